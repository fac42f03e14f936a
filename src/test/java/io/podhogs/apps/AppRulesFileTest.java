package io.podhogs.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.select.RulesFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The applications file: what a good one says, and each bad one's single line naming file, line and problem. */
class AppRulesFileTest {
    /** root and backup (UID 34) are users; numbers are UIDs. */
    private static OptionalInt uid(String user) {
        return switch (user) {
            case "root" -> OptionalInt.of(0);
            case "backup" -> OptionalInt.of(34);
            default -> user.matches("\\d+") ? OptionalInt.of(Integer.parseInt(user)) : OptionalInt.empty();
        };
    }

    private static AppRules parse(String text) throws RulesFileException {
        return AppRulesFile.parse("apps.yaml", text, AppRulesFileTest::uid, true);
    }

    @Test
    void aGoodFileGivesItsApplicationsInOrderWithTheirRules() throws Exception {
        AppRules rules = parse("""
                # the README's example
                apps:
                  - name: web
                    rules:
                      - match: nginx
                      - containers: ["^web-", "nginx:"]
                  - name: backups
                    rules:
                      - match: [restic, borg]
                        users: backup
                  - name: shop
                    rules:
                      - namespaces: shop
                        selector: app=web,tier!=db
                unmatched: auto
                label: app
                """);
        assertEquals(List.of("web", "backups", "shop"), rules.apps().stream().map(App::name).toList());
        assertEquals(List.of(3, 7, 11), rules.apps().stream().map(App::line).toList(), "each application's line");
        assertTrue(rules.autoUnmatched());
        assertEquals("app", rules.label());
        App web = rules.apps().get(0);
        assertEquals(2, web.rules().size());
        assertEquals(2, web.rules().get(1).containers().size());
        assertEquals(Set.of(34), rules.apps().get(1).rules().get(0).uids());
        assertEquals("app=web,tier!=db", rules.apps().get(2).rules().get(0).selector());

        AppRules defaults = parse("apps:\n  - name: a\n    rules:\n      - match: a\n");
        assertFalse(defaults.autoUnmatched(), "unmatched processes keep their own rows by default");
        assertEquals(AppRules.DEFAULT_LABEL, defaults.label());
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            apps:\\n  - name: a\\n    rules:\\n      - match: '('                     | 4 | match '(' is not a regular expression: Unclosed group at character 2
            apps:\\n  - name: a\\n    rules:\\n      - programs: x                    | 4 | unknown field 'programs' in a rule (it takes containers, ignore, match, namespaces, selector, users)
            apps:\\n  - name: a\\n    rules:\\n      - match: x\\n  - name: a\\n    rules:\\n      - match: y | 5 | application 'a' again (first at line 2)
            apps:\\n  - name: a\\n    rules:\\n      - users: nosuchuser                | 4 | users 'nosuchuser' is no user of the host's /etc/passwd: give a name it lists or a UID
            apps:\\n  - name: a\\n    rules:\\n      - selector: 'a=b=c'                | 4 | selector 'a=b=c': 'b=c' is not a label value (terms: key=value, key==value, key!=value, key, !key, separated by commas)
            apps:\\n  - name: a\\n    rules:\\n      - {}                               | 4 | an empty rule of application 'a' would take everything
            apps:\\n  - name: a                                                        | 2 | application 'a' has no rules (rules: a list of '- match: REGEX' ...)
            apps:\\n  - rules:\\n      - match: x                                      | 2 | an application without a name
            apps:\\n  - name: a\\n    rules:\\n      - match: {x: 1}                     | 4 | match is a string here, not a list or a mapping
            apps:\\n  - name: a\\n    rules:\\n      - match: x\\nunmatched: drop       | 5 | unmatched is own or auto, not 'drop'
            apps:\\n  - name: a\\n    rules:\\n      - match: x\\nalert: y              | 5 | unknown field 'alert' in the file (it takes alerts, apps, label, unmatched)
            apps:\\n  - name: a\\n    rules:\\n      - match: x\\n      - match: [x, y      | 5 | not YAML: expected ',' or ']', but got <stream end>
            apps: web                                                                 | 1 | apps is a list of applications ('- name: ...')
            unmatched: auto                                                           | 1 | no 'apps' list: an applications file names at least one application
            "# nothing"                                                               | 1 | empty: an applications file has an 'apps' list
            apps:\\n  - name: a\\n    name: b\\n    rules:\\n      - match: x          | 3 | 'name' twice in an application
            """)
    void aBadFileIsOneLineNamingFileLineAndProblem(String text, int line, String problem) {
        RulesFileException e = assertThrows(RulesFileException.class, () -> parse(text.replace("\\n", "\n")));
        assertEquals("apps.yaml:" + line + ": " + problem, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void namespacesAndSelectorsNeedKubernetes() {
        RulesFileException e = assertThrows(RulesFileException.class, () -> AppRulesFile.parse("apps.yaml",
                "apps:\n  - name: shop\n    rules:\n      - namespaces: shop\n", AppRulesFileTest::uid, false));
        assertEquals("apps.yaml:2: application 'shop' has namespaces or a selector, which need Kubernetes"
                + " (--kubernetes off leaves it out)", e.getMessage());
    }

    @Test
    void aMissingUnreadableOrHugeFileIsOneLine(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.yaml");
        assertEquals(missing + ": no such file", assertThrows(RulesFileException.class,
                () -> AppRulesFile.read(missing, AppRulesFileTest::uid, true)).getMessage());
        Path huge = dir.resolve("huge.yaml");
        Files.write(huge, new byte[(int) io.podhogs.select.RulesYaml.MAX_BYTES + 1]);
        assertTrue(assertThrows(RulesFileException.class, () -> AppRulesFile.read(huge, AppRulesFileTest::uid, true))
                .getMessage().startsWith(huge + ": larger than 1024 KiB"));
        Path latin = dir.resolve("latin1.yaml");
        Files.write(latin, new byte[] {'a', 'p', 'p', 's', ':', ' ', (byte) 0xe9});
        assertEquals(latin + ": not UTF-8 text", assertThrows(RulesFileException.class,
                () -> AppRulesFile.read(latin, AppRulesFileTest::uid, true)).getMessage());
    }

    @Test
    void yamlTagsAreNotRunAndAliasBombsAreRefused() {
        // Composed, never constructed: a tag names no class to make, it is only a string's tag here.
        assertThrows(RulesFileException.class, () -> parse("apps: !!javax.script.ScriptEngineManager [x]\n"));
        StringBuilder bomb = new StringBuilder("a: &a [x, x]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            bomb.append(c).append(": &").append(c).append(" [*").append((char) (c - 1)).append(", *")
                    .append((char) (c - 1)).append("]\n");
        }
        assertThrows(RulesFileException.class, () -> parse(bomb.toString()));
    }
}
