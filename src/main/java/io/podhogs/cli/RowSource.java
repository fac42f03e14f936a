package io.podhogs.cli;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.apps.Applications;
import io.podhogs.engine.Engine;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.export.ConnectionRows;
import io.podhogs.export.InterfaceRows;
import io.podhogs.export.Level;
import io.podhogs.export.PortRanges;
import io.podhogs.export.PortRows;
import io.podhogs.identity.Identities;
import io.podhogs.select.AccountFilter;
import java.util.List;
import java.util.function.BiFunction;

/**
 * How a run's rows come out of each snapshot's accounts, by its level ({@code --by}): the filter
 * first, on the ledger's accounts (processes), then the sums of the level; devices are summed whole,
 * connections split out of the accounts the filter kept, and summed by service port.
 */
final class RowSource {
    private RowSource() {
    }

    static BiFunction<List<AccountSnapshot>, EngineSnapshot, List<AccountSnapshot>> of(Level level, AccountFilter filter,
            Identities identities, Applications applications, PortRanges ranges, Engine engine) {
        return switch (level) {
            case INTERFACE -> {
                InterfaceRows devices = new InterfaceRows(System.nanoTime());
                yield (accounts, snapshot) -> devices.rows(snapshot, System.nanoTime());
            }
            case CONNECTION -> {
                ConnectionRows connections = new ConnectionRows();
                engine.wantConnections(); // copied from the engine's next second on
                yield (accounts, snapshot) -> {
                    engine.wantConnections(); // and for as long as the run shows them
                    return connections.rows(kept(filter, identities, accounts, snapshot), snapshot);
                };
            }
            case PORT -> {
                PortRows ports = new PortRows(ranges);
                engine.wantConnections();
                yield (accounts, snapshot) -> {
                    engine.wantConnections();
                    return ports.rows(kept(filter, identities, accounts, snapshot), snapshot);
                };
            }
            default -> (accounts, snapshot) -> level.group(kept(filter, identities, accounts, snapshot), snapshot,
                    identities::name, identities, applications);
        };
    }

    private static List<AccountSnapshot> kept(AccountFilter filter, Identities identities, List<AccountSnapshot> accounts,
                                              EngineSnapshot snapshot) {
        return filter.keep(accounts, snapshot.containersByNetns(), identities::name, identities);
    }
}
