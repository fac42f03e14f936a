package io.podhogs.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The production entry point, {@link Main}, started by Quarkus as the packaged jar starts it: the
 * exit status is Cli's, and Quarkus adds nothing to stdout or stderr (no banner, no log lines).
 */
@QuarkusMainTest
class MainLaunchTest {

    @Test
    @Launch({"-V"})
    void versionThroughQuarkus(LaunchResult result) {
        assertEquals(0, result.exitCode());
        assertEquals(List.of("podhogs " + Version.number()), result.getOutputStream());
        assertEquals("", result.getErrorOutput());
    }

    @Test
    void usageErrorsThroughQuarkus(QuarkusMainLauncher launcher) {
        LaunchResult unknownDevice = launcher.launch("-t", "phcli-absent0");
        assertEquals(2, unknownDevice.exitCode());
        assertEquals("", unknownDevice.getOutput());
        assertEquals(1, unknownDevice.getErrorStream().size(), unknownDevice::getErrorOutput);
        assertTrue(unknownDevice.getErrorOutput().startsWith("podhogs: no such device: phcli-absent0"),
                unknownDevice::getErrorOutput);

        LaunchResult unknownOption = launcher.launch("--bogus");
        assertEquals(2, unknownOption.exitCode());
        assertEquals(1, unknownOption.getErrorStream().size(), unknownOption::getErrorOutput);
        assertTrue(unknownOption.getErrorOutput().startsWith("podhogs: Unknown option: '--bogus'"),
                unknownOption::getErrorOutput);
        CliUsageTest.assertNoStackTrace(unknownOption.getErrorOutput());
    }
}
