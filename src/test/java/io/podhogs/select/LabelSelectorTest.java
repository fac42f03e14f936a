package io.podhogs.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API's selector grammar: what selects what, and what is refused with why. */
class LabelSelectorTest {
    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "example.com/team", "shop",
            "empty", "");

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "app=web|true", "app==web|true", "app!=web|false", "app=db|false", "app!=db|true", "app|true", "!app|false",
            "canary|false", "!canary|true", "app=web,tier=front|true", "app=web,tier=back|false",
            " app = web , tier != back |true", "example.com/team=shop|true", "empty=|true", "empty!=|false",
            "app=web.v1-2_x|false", "''|true"})
    void selects(String selector, boolean selected) {
        assertEquals(selected, LabelSelector.parse(selector).test(WEB), selector);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app===x=", "a==b=c", "a=b=c", "=web", "!", "!=x", "app=web,", ",app", "a,,b",
            "app=(web)", "%", "app in (web)", "-app=x", "app-=x", "Example.com/team=x", "a/b/c=x", "!a=b", "a!=b!=c"})
    void refuses(String selector) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse(selector));
        assertTrue(e.getMessage().startsWith("selector '" + selector + "': "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(terms: key=value, key==value, key!=value, key, !key, separated by commas)"),
                e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void keysAndValuesAreBoundedAsKubernetesBoundsThem() {
        assertTrue(LabelSelector.parse("a".repeat(63) + "=" + "b".repeat(63)).test(Map.of("a".repeat(63), "b".repeat(63))));
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("a".repeat(64) + "=x"));
        assertThrows(IllegalArgumentException.class, () -> LabelSelector.parse("a=" + "b".repeat(64)));
    }
}
