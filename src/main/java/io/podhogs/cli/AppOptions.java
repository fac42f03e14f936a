package io.podhogs.cli;

import io.podhogs.apps.AppRules;
import io.podhogs.select.RulesFileException;
import io.podhogs.apps.AppRulesFile;
import io.podhogs.apps.Applications;
import io.podhogs.export.UserNames;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How --by app groups (a picocli mixin): bwmon's automatic grouping, or an applications file. */
final class AppOptions {
    @Option(names = "--apps", paramLabel = "FILE", description = "Applications for --by app (implied when --by is not"
            + " given): a YAML file of named rules on programs, command lines, users, containers, namespaces and pod"
            + " labels (README.md, 'Applications'); the first that holds names a process, others keep their own rows."
            + " Default: automatic, pods by their --app-label or workload, other processes by program base name.")
    Path file;

    @Option(names = "--app-label", paramLabel = "KEY", description = "The pod label whose value names a pod's"
            + " application in the automatic grouping. Default: " + AppRules.DEFAULT_LABEL + ".")
    String label;

    /** Whether a file was given. */
    boolean given() {
        return file != null;
    }

    /**
     * The grouping asked for; an IllegalArgumentException says what is wrong with the file, where.
     *
     * @param kubernetes whether a cluster may be used (rules on namespaces and selectors need one)
     */
    Applications applications(UserNames names, boolean kubernetes) {
        if (label != null && label.isBlank()) {
            throw new IllegalArgumentException("--app-label is a pod label's key, not empty");
        }
        if (file == null) {
            return new Applications(AppRules.auto(label == null ? AppRules.DEFAULT_LABEL : label.strip()));
        }
        try {
            AppRules rules = AppRulesFile.read(file, names::uid, kubernetes);
            return new Applications(label == null ? rules : new AppRules(rules.apps(), rules.autoUnmatched(), label.strip()));
        } catch (RulesFileException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
