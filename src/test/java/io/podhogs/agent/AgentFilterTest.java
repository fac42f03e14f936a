package io.podhogs.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.host.HostFiles;
import io.podhogs.select.AccountFilter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The agent's podhogs.select.* settings: each bad value refused in one line naming its setting. */
class AgentFilterTest {
    /** One setting given (by its last name: match, ignore, users ...), the others not. */
    private static AgentConfig.Select one(String setting, String value) {
        return new AgentConfig.Select() {
            private Optional<List<String>> list(String name) {
                return setting.equals(name) ? Optional.of(List.of(value.split(","))) : Optional.empty();
            }

            @Override
            public Optional<List<String>> match() {
                return list("match");
            }

            @Override
            public Optional<List<String>> ignore() {
                return list("ignore");
            }

            @Override
            public Optional<List<String>> users() {
                return list("users");
            }

            @Override
            public Optional<List<String>> containers() {
                return list("containers");
            }

            @Override
            public Optional<List<String>> namespaces() {
                return list("namespaces");
            }

            @Override
            public Optional<String> selector() {
                return setting.equals("selector") ? Optional.of(value) : Optional.empty();
            }
        };
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            match      | (         | podhogs.select.match '(' is not a regular expression: Unclosed group at character 2
            ignore     | a{2       | podhogs.select.ignore 'a{2' is not a regular expression: Unclosed counted closure at character 4
            containers | +         | podhogs.select.containers '+' is not a regular expression: Dangling meta character '+' at character 1
            users      | no-such-user-here | podhogs.select.users 'no-such-user-here' is no user of the host's /etc/passwd: give a name it lists or a UID
            selector   | app=(web) | podhogs.select.selector 'app=(web)': '(web)' is not a label value (terms: key=value, key==value, key!=value, key, !key, separated by commas)
            """)
    void aBadSettingIsOneLineNamingIt(String setting, String value, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentFilter.of(one(setting, value), HostFiles.system(), true));
        assertEquals(message, e.getMessage());
    }

    @Test
    void namespacesAndSelectorNeedKubernetes() {
        for (String setting : List.of("namespaces", "selector")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AgentFilter.of(one(setting, "shop"), HostFiles.system(), false));
            assertTrue(e.getMessage().contains("podhogs.kubernetes.mode=off"), e::getMessage);
        }
    }

    @Test
    void usersByNameAndNumberAndNothingSetIsEverything() {
        AccountFilter users = AgentFilter.of(one("users", "root,1000"), HostFiles.system(), false);
        assertEquals(java.util.Set.of(0, 1000), users.uids());
        assertTrue(AgentFilter.of(one("none", ""), HostFiles.system(), false).all());
    }
}
