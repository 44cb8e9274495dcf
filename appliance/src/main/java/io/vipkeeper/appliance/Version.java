package io.vipkeeper.appliance;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The build's version, from version.properties (filled in by Maven). */
public final class Version implements IVersionProvider {

    /** e.g. {@code 0.1.0}; "unknown" when run from classes without resource filtering. */
    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("/io/vipkeeper/appliance/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The line {@code vipkeeper version} prints. */
    public static String line() {
        return "vipkeeper " + get() + " (Java " + Runtime.version() + ", " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ")";
    }

    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }
}
