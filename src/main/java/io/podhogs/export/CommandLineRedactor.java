package io.podhogs.export;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Command lines with what looks like a secret replaced by {@value #REDACTED}: podhogs shows every
 * process of a node, and its output (the agent's API, a trace or JSON log pasted into a ticket)
 * travels further than the node. Argument by argument (argv as /proc/PID/cmdline gives it), so that
 * a value with spaces goes whole:
 * <ul>
 * <li>{@code --password=V}, {@code -Djavax.net.ssl.keyStorePassword=V}, {@code PGPASSWORD=V},
 *     {@code token=V}, {@code key=V}: an option or assignment whose name is secret-like (below), its
 *     whole value;</li>
 * <li>{@code --password V}, {@code -storepass V}: a bare option with such a name, the next argument
 *     (unless that is a long option itself: {@code --password} alone asks for the password);</li>
 * <li>{@code scheme://user:password@host}: the password of a URL;</li>
 * <li>{@code ?token=V&...}, {@code ;Password=V;...}: secret-like pairs of a query or connection
 *     string, inside any argument;</li>
 * <li>{@code Bearer V}, {@code Basic V}: an Authorization header's credentials ({@code curl -H}).</li>
 * </ul>
 * An argument that is a whole shell command ({@code sh -c "mysql --password=x"}) is read word by word
 * with the same rules. A name is secret-like when its last part (after the last {@code - _ .}, case
 * ignored) ends in password, passwd, passphrase, pwd, pass, secret, token, key, credential(s),
 * cookie, bearer or is passin/passout: {@code --db-password}, {@code AWS_SECRET_ACCESS_KEY},
 * {@code --api-key}, {@code -setcookie}, but not {@code --password-file}, {@code --token-ttl} or
 * {@code --secret-name}, whose values are not secrets. It errs on the side of hiding: a
 * {@code --sort-key=name} is redacted too. Not recognised: short options ({@code -p VALUE},
 * {@code -pVALUE}: {@code -p} is a port as often as a password), {@code -u user:password}, a URL whose user part alone is a
 * token ({@code https://TOKEN@host}), and secrets under names of no such form.
 */
public final class CommandLineRedactor {
    /** What stands for a value that was hidden. */
    public static final String REDACTED = "<redacted>";

    private static final Pattern ASSIGNMENT = Pattern.compile("^(-{0,2})([A-Za-z_][A-Za-z0-9_.\\-]*)=(.*)$", Pattern.DOTALL);
    private static final Pattern BARE_OPTION = Pattern.compile("^-{1,2}([A-Za-z][A-Za-z0-9_.\\-]*)$");
    private static final Pattern URL_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.\\-]*://[^/\\s@:?#]*):([^/\\s?#]*)@");
    private static final Pattern PAIR = Pattern.compile("([?&;])([A-Za-z_][A-Za-z0-9_.\\-]*)=([^&;\\s]*)");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)\\b(bearer|basic)(\\s+)(\\S+)");
    private static final Pattern WORD = Pattern.compile("\\S+");
    private static final String[] SECRET_ENDINGS = {"password", "passwd", "passphrase", "pwd", "pass", "secret",
        "token", "key", "credential", "credentials", "cookie", "bearer"};

    private CommandLineRedactor() {
    }

    /** The command line, its arguments joined by spaces as ps shows them, secrets hidden. */
    public static String redact(List<String> arguments) {
        StringBuilder b = new StringBuilder();
        boolean valueNext = false;
        for (String argument : arguments) {
            if (b.length() > 0) {
                b.append(' ');
            }
            if (valueNext && !argument.startsWith("--")) {
                b.append(REDACTED);
                valueNext = false;
                continue;
            }
            valueNext = false;
            Matcher option = BARE_OPTION.matcher(argument);
            if (option.matches()) {
                valueNext = secretName(option.group(1)) && !negated(option.group(1));
                b.append(argument);
                continue;
            }
            Matcher assignment = ASSIGNMENT.matcher(argument);
            if (assignment.matches() && secretName(assignment.group(2))) {
                // The whole argument is NAME=VALUE: its value, spaces and all.
                b.append(assignment.group(1)).append(assignment.group(2)).append('=').append(REDACTED);
                continue;
            }
            b.append(words(argument));
        }
        return b.toString();
    }

    /**
     * One argument read as words (a shell command in one argument, a program name a process gave
     * itself), each word under the same rules, a bare secret-like option hiding the next word.
     */
    public static String words(String text) {
        StringBuilder b = new StringBuilder();
        Matcher word = WORD.matcher(text);
        int last = 0;
        boolean valueNext = false;
        while (word.find()) {
            b.append(text, last, word.start());
            last = word.end();
            String w = word.group();
            if (valueNext && !w.startsWith("--")) {
                b.append(REDACTED);
                valueNext = false;
                continue;
            }
            valueNext = false;
            Matcher option = BARE_OPTION.matcher(w);
            if (option.matches()) {
                valueNext = secretName(option.group(1)) && !negated(option.group(1));
                b.append(w);
                continue;
            }
            Matcher assignment = ASSIGNMENT.matcher(w);
            if (assignment.matches() && secretName(assignment.group(2))) {
                b.append(assignment.group(1)).append(assignment.group(2)).append('=').append(REDACTED);
                continue;
            }
            b.append(w);
        }
        b.append(text, last, text.length());
        return inside(b.toString());
    }

    /** What can hide inside any word: a URL's password, a query's or connection string's secret pairs, credentials. */
    private static String inside(String text) {
        String s = URL_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + ":" + REDACTED + "@"));
        s = PAIR.matcher(s).replaceAll(m -> Matcher.quoteReplacement(secretName(m.group(2)) && !m.group(3).equals(REDACTED)
                ? m.group(1) + m.group(2) + "=" + REDACTED : m.group()));
        return AUTHORIZATION.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + REDACTED));
    }

    /** Whether a name (an option's, a variable's, a query parameter's) is one a secret goes by. */
    static boolean secretName(String name) {
        String[] parts = name.split("[-_.]+");
        if (parts.length == 0) {
            return false;
        }
        String last = parts[parts.length - 1].toLowerCase(Locale.ROOT);
        if (last.equals("passin") || last.equals("passout")) {
            return true;
        }
        for (String ending : SECRET_ENDINGS) {
            if (last.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    /** --no-password: a switch that says there is none. */
    private static boolean negated(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.startsWith("no-") || n.startsWith("no_");
    }
}
