package dev.waterfall.config.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the user's store lives by default, per platform:
 * <ul>
 *   <li>Linux, BSD, Termux, iSH: {@code $XDG_CONFIG_HOME/<app>/config.json}, or
 *       {@code ~/.config/<app>/config.json} when {@code XDG_CONFIG_HOME} is unset, empty or relative
 *       (as the XDG spec says);</li>
 *   <li>macOS: {@code ~/Library/Application Support/<app>/config.json};</li>
 *   <li>Windows: {@code %APPDATA%\<app>\config.json}, or {@code ~\AppData\Roaming\<app>\config.json}.</li>
 * </ul>
 */
public final class DefaultLocations {

    private DefaultLocations() {
    }

    /** The default store file in the app's {@linkplain #configDirectory configuration folder}. */
    public static Path defaultStoreFile(Path configDirectory) {
        return configDirectory.resolve("config.json");
    }

    /** The folder that holds {@code app}'s configuration. */
    public static Path configDirectory(String app, String osName, Map<String, String> environment, Path home) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            String appData = environment.get("APPDATA");
            Path base = appData != null && !appData.isBlank() ? Path.of(appData) : home.resolve("AppData").resolve("Roaming");
            return base.resolve(app);
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return home.resolve("Library").resolve("Application Support").resolve(app);
        }
        String xdg = environment.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg).resolve(app);
        }
        return home.resolve(".config").resolve(app);
    }
}
