package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What is hidden and what is not, argument by argument (argv as /proc/PID/cmdline has it): each row
 * a command line and how podhogs shows it. The rows that must stay whole matter as much as those
 * that must not: a redactor that hides everything would pass the others.
 */
class CommandLineRedactorTest {
    private static final String R = CommandLineRedactor.REDACTED;

    static Stream<Arguments> commandLines() {
        return Stream.of(
                // Options with a secret-like name and their value in the same argument.
                row(List.of("app", "--password=hunter2"), "app --password=" + R),
                row(List.of("app", "--db-password=s3cr3t", "--db-host=db"), "app --db-password=" + R + " --db-host=db"),
                row(List.of("app", "--db_password=x"), "app --db_password=" + R),
                row(List.of("app", "--client-secret=abc", "--api-key=k", "--auth-token=t"),
                        "app --client-secret=" + R + " --api-key=" + R + " --auth-token=" + R),
                row(List.of("app", "--secret=abc"), "app --secret=" + R),
                row(List.of("app", "-passphrase=abc"), "app -passphrase=" + R),
                row(List.of("java", "-Djavax.net.ssl.keyStorePassword=changeit", "-jar", "a.jar"),
                        "java -Djavax.net.ssl.keyStorePassword=" + R + " -jar a.jar"),
                // A value with spaces is one argument: hidden whole.
                row(List.of("app", "--password=two words", "next"), "app --password=" + R + " next"),
                // Assignments: environment style and key=value.
                row(List.of("env", "PGPASSWORD=pw", "psql"), "env PGPASSWORD=" + R + " psql"),
                row(List.of("app", "token=abc", "key=def", "user=bob"), "app token=" + R + " key=" + R + " user=bob"),
                row(List.of("env", "AWS_SECRET_ACCESS_KEY=xyz", "AWS_ACCESS_KEY_ID=AKIA1"),
                        "env AWS_SECRET_ACCESS_KEY=" + R + " AWS_ACCESS_KEY_ID=AKIA1"),
                row(List.of("app", "GITHUB_TOKEN=ghp_x"), "app GITHUB_TOKEN=" + R),
                // The value in the next argument.
                row(List.of("app", "--password", "hunter2", "--user", "bob"), "app --password " + R + " --user bob"),
                row(List.of("app", "--password", "two words"), "app --password " + R),
                row(List.of("keytool", "-storepass", "changeit", "-list"), "keytool -storepass " + R + " -list"),
                row(List.of("erl", "-setcookie", "monster", "-name", "a"), "erl -setcookie " + R + " -name a"),
                row(List.of("openssl", "rsa", "-passin", "pass:xyz"), "openssl rsa -passin " + R),
                row(List.of("curl", "--oauth2-bearer", "tok"), "curl --oauth2-bearer " + R),
                // ... but a long option after a bare one is an option: mysql --password asks for it.
                row(List.of("mysql", "--password", "--host", "db"), "mysql --password --host db"),
                row(List.of("psql", "--no-password", "shop"), "psql --no-password shop"),
                // URLs: the password, whatever its characters; the user stays.
                row(List.of("app", "--dsn=postgres://app:pw@db:5432/shop"),
                        "app --dsn=postgres://app:" + R + "@db:5432/shop"),
                row(List.of("git", "clone", "https://oauth2:glpat-x@gitlab.example/g/r.git"),
                        "git clone https://oauth2:" + R + "@gitlab.example/g/r.git"),
                row(List.of("app", "redis://:p@ss@cache:6379/0"), "app redis://:" + R + "@cache:6379/0"),
                row(List.of("app", "DATABASE_URL=mysql://u:p@h/db"), "app DATABASE_URL=mysql://u:" + R + "@h/db"),
                // Query and connection strings: only the secret-like pairs.
                row(List.of("curl", "https://api.example/v1?user=bob&token=abc&page=2"),
                        "curl https://api.example/v1?user=bob&token=" + R + "&page=2"),
                row(List.of("app", "Server=db;User Id=sa;Password=pw;Database=shop"),
                        "app Server=db;User Id=sa;Password=" + R + ";Database=shop"),
                // Authorization headers.
                row(List.of("curl", "-H", "Authorization: Bearer eyJhbGciOi", "https://x"),
                        "curl -H Authorization: Bearer " + R + " https://x"),
                row(List.of("curl", "--header=Authorization: Basic dXNlcjpwdw=="), "curl --header=Authorization: Basic " + R),
                // A shell command in one argument: read word by word.
                row(List.of("sh", "-c", "mysql --password=pw -h db && curl -u x https://u:p@h"),
                        "sh -c mysql --password=" + R + " -h db && curl -u x https://u:" + R + "@h"),
                row(List.of("sh", "-c", "app --token abc --verbose"), "sh -c app --token " + R + " --verbose"),
                // What is not a secret stays as it is.
                row(List.of("app", "--password-file=/run/secrets/pw", "--token-ttl=5m", "--secret-name=db"),
                        "app --password-file=/run/secrets/pw --token-ttl=5m --secret-name=db"),
                row(List.of("nginx", "-g", "daemon off;"), "nginx -g daemon off;"),
                row(List.of("python3", "traffic.py", "udp-send", "10.0.0.2", "5501", "--count", "400"),
                        "python3 traffic.py udp-send 10.0.0.2 5501 --count 400"),
                row(List.of("ssh", "-p", "2222", "git@github.com"), "ssh -p 2222 git@github.com"),
                row(List.of("redis-cli", "-p", "6379", "-a", "pw"), "redis-cli -p 6379 -a pw"),
                row(List.of("app", "https://TOKEN@github.com/o/r"), "app https://TOKEN@github.com/o/r"),
                row(List.of("app", "--keyring=login", "--access-key-id=AKIA1"), "app --keyring=login --access-key-id=AKIA1"),
                row(List.of("app", "=x", "-", "--", "--=y"), "app =x - -- --=y"),
                row(List.of(), ""));
    }

    private static Arguments row(List<String> argv, String shown) {
        return Arguments.of(argv, shown);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void hidesWhatLooksLikeASecretAndNothingElse(List<String> argv, String shown) {
        assertEquals(shown, CommandLineRedactor.redact(argv));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void aProgramNameIsReadWordByWord(List<String> argv, String shown) {
        // A process may rewrite its argv[0] into a whole title (postgres, sshd do): the same rules apply.
        String title = String.join(" ", argv);
        String redacted = CommandLineRedactor.words(title);
        for (String arg : argv) {
            if (!arg.contains(" ") && !shown.contains(arg) && !arg.equals("pass:xyz")) {
                assertEquals(-1, (" " + redacted + " ").indexOf(" " + arg + " "), () -> arg + " shown in " + redacted);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void secretNames() {
        for (String name : List.of("password", "PASSWORD", "dbPassword", "db-password", "MYSQL_ROOT_PASSWORD", "passwd",
                "pwd", "storepass", "secret", "clientSecret", "token", "authToken", "key", "apiKey", "api_key",
                "credentials", "setcookie", "passin", "passout")) {
            assertEquals(true, CommandLineRedactor.secretName(name), name);
        }
        for (String name : List.of("user", "host", "password-file", "token-ttl", "secret-name", "keyring", "access-key-id",
                "passwords-dir", "tokenizer", "port", "name", "keys-dir")) {
            assertEquals(false, CommandLineRedactor.secretName(name), name);
        }
    }
}
