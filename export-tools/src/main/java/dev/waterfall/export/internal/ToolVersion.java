package dev.waterfall.export.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Waterfall, from the build, for the meta files. */
public final class ToolVersion {

    private ToolVersion() {
    }

    /** The version, such as {@code 0.1.0}, or {@code unknown} if the build did not record it. */
    public static String read() {
        try (InputStream in = ToolVersion.class.getResourceAsStream("/dev/waterfall/export/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "unknown");
            return version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
