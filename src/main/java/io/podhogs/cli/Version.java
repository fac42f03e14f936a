package io.podhogs.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven wrote into podhogs.properties at build time. */
public final class Version implements IVersionProvider {
    public static String number() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("/podhogs.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through to "unknown"
        }
        return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"podhogs " + number()};
    }
}
