package io.podhogs.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.podhogs.accounting.AccountSnapshot;
import io.podhogs.accounting.OwnerKey;
import io.podhogs.accounting.Traffic;
import io.podhogs.attribution.ResolverStats;
import io.podhogs.attribution.ProcessInfo;
import io.podhogs.attribution.ProcessOwner;
import io.podhogs.capture.CaptureStatus;
import io.podhogs.engine.EngineSnapshot;
import io.podhogs.host.HostFiles;
import io.podhogs.identity.CgroupIdentity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --json carries the frames the parser could not read fully, by why, summed over the captures. */
class JsonWriterRejectedFramesTest {
    @Test
    void everyObjectEndsWithTheRejectedFramesOfEveryCapture() {
        Traffic t = new Traffic(5000, 5, 7000, 7);
        AccountSnapshot curl = new AccountSnapshot(new OwnerKey(new ProcessOwner(new ProcessInfo(8, 8, 0, "/usr/bin/curl",
                "/usr/bin/curl", "curl", CgroupIdentity.NONE), 0)), Map.of(3, t), t, 100, 200, false, 0, 0);
        EngineSnapshot snapshot = new EngineSnapshot(Instant.EPOCH, List.of(curl),
                List.of(new CaptureStatus("veth1", 100, 6400, 12, 3, 0, 5, 0, true, ""),
                        new CaptureStatus("veth2", 50, 3200, 1, 0, 2, 0, 0, true, "")),
                Map.of(3, "veth1"), 1, 0, new ResolverStats(0, 0, 0, 0, 0, 0, 0, 1), "per device", Map.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Path none = Path.of("/nonexistent");
        new JsonWriter(new PrintStream(out, true, StandardCharsets.UTF_8), new UserNames(new HostFiles(none, none, none)))
                .write(snapshot, new RowFormat(ViewMode.TOTAL_BYTES, false, false, false));
        String line = out.toString(StandardCharsets.UTF_8);
        assertTrue(line.endsWith(",\"kernel_drops\":5,\"rejected_frames\":{\"truncated\":13,\"malformed\":3,\"failed\":2}}\n"),
                line);
    }
}
