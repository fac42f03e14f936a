package io.podhogs.export;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.identity.RemoteClass;
import java.io.PrintStream;
import java.util.List;

/**
 * nethogs 0.8.7's trace mode ({@code -t}), line for line, so that its parsers keep working:
 *
 * <pre>
 *
 * Refreshing:
 * program/pid/uid&lt;TAB&gt;sent&lt;TAB&gt;received
 * </pre>
 *
 * Unknown buckets print as nethogs prints them ({@code unknown TCP/0/0}). Unlike nethogs, numbers
 * are printed in full rather than in six significant digits. Rows of pods, namespaces and workloads
 * ({@code --by pod} ...), which nethogs has not, add one field per remote class after the
 * received column, in the same unit: {@code external=SENT/RECEIVED}.
 */
public final class TraceWriter {
    private final PrintStream out;

    public TraceWriter(PrintStream out) {
        this.out = out;
    }

    /** Writes one block; the rows written (for the run's summary). */
    public List<AccountSnapshot> write(EngineSnapshot snapshot, RowFormat format) {
        StringBuilder block = new StringBuilder("\nRefreshing:\n");
        List<AccountSnapshot> rows = format.rows(snapshot);
        for (AccountSnapshot a : rows) {
            block.append(format.name(a)).append('/').append(a.pid()).append('/').append(a.uid())
                    .append('\t').append(format.mode().format(format.mode().sent(a)))
                    .append('\t').append(format.mode().format(format.mode().received(a)));
            if (format.level().kubernetes()) {
                for (RemoteClass c : RemoteClass.values()) {
                    block.append('\t').append(c.label()).append('=')
                            .append(format.mode().format(format.mode().sent(a.with(c)))).append('/')
                            .append(format.mode().format(format.mode().received(a.with(c))));
                }
            }
            block.append('\n');
        }
        out.print(block);
        out.flush();
        return rows;
    }
}
