package io.podhogs.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.podhogs.select.AccountFacts;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which application names an account: the file's first rule that holds, then the automatic grouping. */
class ApplicationsTest {
    private static final String FILE = """
            apps:
              - name: web
                rules:
                  - match: nginx
                  - containers: "^web-"
              - name: tools
                rules:
                  - match: curl|wget
                    users: "1000"
              - name: all-python
                rules:
                  - match: python
            """;
    private static final Map<String, AccountFacts> ACCOUNTS = Map.of(
            "nginx on the host", process(1, 0, "/usr/sbin/nginx", "", "", "", null),
            "curl of uid 1000", process(2, 1000, "/usr/bin/curl", "", "", "", null),
            "curl of root", process(3, 0, "/usr/bin/curl", "", "", "", null),
            "python in container web-1", process(4, 0, "/usr/bin/python3", "web-1", "", "", null),
            "pod process labelled", process(5, 0, "/app/server", "c", "shop", "api", Map.of("app.kubernetes.io/name", "shop-api", "app", "x")),
            "pod process unlabelled", process(6, 0, "/app/server", "c", "shop", "api", Map.of("app", "x")),
            "pod of no workload", process(7, 0, "/app/server", "c", "shop", "", Map.of()),
            "host unknown traffic", new AccountFacts(false, 0, -1, "unknown TCP", "unknown TCP", "", "", "", "", "", "", null),
            "pod netns traffic", new AccountFacts(false, 0, -1, "unknown TCP", "unknown TCP", "c", "c", "", "shop", "api-1",
                    "api", Map.of("app.kubernetes.io/name", "shop-api")));

    private static AccountFacts process(int pid, int uid, String program, String container, String namespace,
                                        String workload, Map<String, String> labels) {
        return new AccountFacts(true, pid, uid, program, program + " --run", container.isEmpty() ? "" : "id-" + container,
                container, "", namespace, labels == null ? "" : "pod-" + pid, workload, labels);
    }

    @ParameterizedTest(name = "{0}: {1} / {2}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # account                 | with the file, unmatched own | automatic
            nginx on the host         | web          | nginx
            curl of uid 1000          | tools        | curl
            curl of root              | -            | curl
            python in container web-1 | web          | python3
            pod process labelled      | -            | shop/shop-api
            pod process unlabelled    | -            | shop/api
            pod of no workload        | -            | shop/pod-7
            host unknown traffic      | -            | -
            pod netns traffic         | -            | shop/shop-api
            """)
    void namesTheApplication(String account, String byFile, String automatic) throws Exception {
        AccountFacts facts = ACCOUNTS.get(account);
        AppRules file = AppRulesFile.parse("apps.yaml", FILE, u -> OptionalInt.of(Integer.parseInt(u)), true);
        assertEquals(byFile, new Applications(file).appOf(facts), "the file's rules, first match wins");
        assertEquals(automatic, new Applications(AppRules.auto(AppRules.DEFAULT_LABEL)).appOf(facts), "automatic");
        AppRules fileThenAuto = new AppRules(file.apps(), true, AppRules.DEFAULT_LABEL);
        assertEquals(byFile != null ? byFile : automatic, new Applications(fileThenAuto).appOf(facts), "unmatched: auto");
    }
}
