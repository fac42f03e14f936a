package io.podhogs.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which accounts a filter selects, as a table: bwmon's include/exclude (exclude wins), nethogs's -P,
 * users, containers, Kubernetes namespaces and labels, and how the kinds combine (and) and a kind's
 * values (or).
 */
class AccountFilterTest {
    /** A root nginx in container web (pod shop/web-1, app=web), pid 40. */
    private static final AccountFacts NGINX = new AccountFacts(true, 40, 0, "/usr/sbin/nginx",
            "nginx -g daemon off;", "c0ffee", "web", "nginx:1.27", "shop", "web-1", "web", Map.of("app", "web", "tier", "front"));
    /** A uid-1000 curl on the host, pid 77. */
    private static final AccountFacts CURL = new AccountFacts(true, 77, 1000, "/usr/bin/curl",
            "curl -O https://example.org/big.iso", "", "", "", "", "", "", null);
    /** What container web's network namespace carried that no process took. */
    private static final AccountFacts WEB_NETNS = new AccountFacts(false, 0, 0, "unknown TCP", "unknown TCP",
            "c0ffee", "web", "nginx:1.27", "shop", "web-1", "web", Map.of("app", "web", "tier", "front"));
    /** The host's unknown bucket. */
    private static final AccountFacts HOST_UNKNOWN = new AccountFacts(false, 0, 0, "unknown TCP", "unknown TCP",
            "", "", "", "", "", "", null);
    private static final Map<String, AccountFacts> ACCOUNTS = Map.of("nginx", NGINX, "curl", CURL,
            "web-netns", WEB_NETNS, "host-unknown", HOST_UNKNOWN);

    /**
     * Each criterion is a column (";" between a kind's values); selected lists the accounts shown,
     * by name, in the order nginx, curl, web-netns, host-unknown.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # case                                | pids  | match        | ignore     | uids   | containers | namespaces | selector        | selected
            nothing asked selects everything       | -     | -            | -          | -      | -          | -          | -               | nginx curl web-netns host-unknown
            -P one process                         | 77    | -            | -          | -      | -          | -          | -               | curl
            -P two processes                       | 40;77 | -            | -          | -      | -          | -          | -               | nginx curl
            --match on the program path            | -     | nginx        | -          | -      | -          | -          | -               | nginx
            --match on the command line            | -     | example\\.org | -         | -      | -          | -          | -               | curl
            --match any of several                 | -     | ^/usr/sbin;curl | -       | -      | -          | -          | -               | nginx curl
            --match is found anywhere, not whole   | -     | sbin         | -          | -      | -          | -          | -               | nginx
            --match anchored misses                | -     | ^nginx$      | -          | -      | -          | -          | -               | -
            --ignore alone shows the rest          | -     | -            | curl       | -      | -          | -          | -               | nginx web-netns host-unknown
            --ignore wins over --match             | -     | usr          | curl       | -      | -          | -          | -               | nginx
            --ignore on the command line           | -     | -            | daemon off | -      | -          | -          | -               | curl web-netns host-unknown
            --user                                 | -     | -            | -          | 1000   | -          | -          | -               | curl
            --user root is processes only          | -     | -            | -          | 0      | -          | -          | -               | nginx
            --container by name                    | -     | -            | -          | -      | ^web$      | -          | -               | nginx web-netns
            --container by image                   | -     | -            | -          | -      | nginx:1    | -          | -               | nginx web-netns
            --container by ID                      | -     | -            | -          | -      | c0f        | -          | -               | nginx web-netns
            --container matching none              | -     | -            | -          | -      | db         | -          | -               | -
            --namespace                            | -     | -            | -          | -      | -          | shop       | -               | nginx web-netns
            --namespace of several                 | -     | -            | -          | -      | -          | kube;shop  | -               | nginx web-netns
            --selector equality                    | -     | -            | -          | -      | -          | -          | app=web         | nginx web-netns
            --selector inequality and existence    | -     | -            | -          | -      | -          | -          | tier!=db,app    | nginx web-netns
            --selector not in a pod is not selected | -    | -            | -          | -      | -          | -          | !canary         | nginx web-netns
            kinds combine: container and user      | -     | -            | -          | 1000   | web        | -          | -               | -
            kinds combine: selector and user       | -     | -            | -          | 0      | -          | -          | app=web         | nginx
            kinds combine: namespace and program   | -     | nginx        | -          | -      | -          | shop       | -               | nginx
            """)
    void selects(String name, String pids, String match, String ignore, String uids, String containers,
                 String namespaces, String selector, String selected) {
        AccountFilter filter = new AccountFilter(ints(pids), patterns(match), patterns(ignore), ints(uids),
                patterns(containers), Set.copyOf(list(namespaces)), selector);
        List<String> shown = new ArrayList<>();
        for (String account : List.of("nginx", "curl", "web-netns", "host-unknown")) {
            if (filter.predicate().test(ACCOUNTS.get(account))) {
                shown.add(account);
            }
        }
        assertEquals(selected == null ? List.of() : List.of(selected.split(" ")), shown, name);
        assertEquals(match == null && pids == null && ignore == null && uids == null && containers == null
                && namespaces == null && selector == null, filter.all(), "all() says nothing was asked");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --match     | (unclosed    | --match '(unclosed' is not a regular expression: Unclosed group at character 10
            --ignore    | [a-          | --ignore '[a-' is not a regular expression: Illegal character range at character 4
            --container | *web         | --container '*web' is not a regular expression: Dangling meta character '*' at character 1
            """)
    void aBadRegularExpressionIsOneLineNamingTheOption(String option, String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccountFilter.regex(option, text));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @ParameterizedTest
    @CsvSource({"a=b=c", "'app in (web)'", "=web"})
    void aBadSelectorIsRefusedWhenTheFilterIsMade(String selector) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AccountFilter(Set.of(),
                List.of(), List.of(), Set.of(), List.of(), Set.of(), selector));
        assertTrue(e.getMessage().startsWith("selector"), e::getMessage);
    }

    private static List<String> list(String values) {
        return values == null ? List.of() : Arrays.stream(values.split(";")).map(String::strip).toList();
    }

    private static Set<Integer> ints(String values) {
        return Set.copyOf(list(values).stream().map(Integer::valueOf).toList());
    }

    private static List<Pattern> patterns(String values) {
        return list(values).stream().map(Pattern::compile).toList();
    }
}
