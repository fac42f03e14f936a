package io.podhogs.agent;

import io.podhogs.apps.AppRules;
import io.podhogs.select.RulesFileException;
import io.podhogs.apps.AppRulesFile;
import io.podhogs.apps.Applications;
import io.podhogs.export.UserNames;
import io.podhogs.host.HostFiles;
import java.nio.file.Path;

/** The agent's applications from its settings (podhogs.apps.*); a bad file is one line naming it and the setting. */
final class AgentApps {
    private AgentApps() {
    }

    /** @param kubernetes whether a cluster may be used: rules on namespaces and selectors need one */
    static Applications of(AgentConfig.Apps settings, HostFiles host, boolean kubernetes) {
        String label = settings.label().strip();
        if (label.isEmpty()) {
            throw new IllegalArgumentException("podhogs.apps.label is a pod label's key, not empty");
        }
        if (settings.file().isEmpty() || settings.file().get().isBlank()) {
            return new Applications(AppRules.auto(label));
        }
        try {
            AppRules rules = AppRulesFile.read(Path.of(settings.file().get()), new UserNames(host)::uid, kubernetes);
            // The setting when it was changed from its default, else the file's own (or the default)
            String chosen = label.equals(AppRules.DEFAULT_LABEL) ? rules.label() : label;
            return new Applications(new AppRules(rules.apps(), rules.autoUnmatched(), chosen));
        } catch (RulesFileException e) {
            throw new IllegalArgumentException("podhogs.apps.file: " + e.getMessage());
        }
    }
}
