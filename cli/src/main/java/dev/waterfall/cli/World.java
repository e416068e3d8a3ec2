package dev.waterfall.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the command reads from outside its arguments: the environment variables, the home
 * directory, the operating system's name (which picks the default store folder) and the clock.
 * {@link WaterfallCli#main} reads the real ones once; tests pass their own.
 *
 * @param environment the environment variables
 * @param home        the user's home directory
 * @param osName      the operating system's name, as {@code os.name} gives it
 * @param clock       the time source for the metadata of writes
 * @param argumentCharset the character set the JVM decoded the command's arguments with
 *                    ({@code sun.jnu.encoding}, from the locale): anything but UTF-8 turns
 *                    non-ASCII arguments into U+FFFD before the command sees them
 */
public record World(Map<String, String> environment, Path home, String osName, Clock clock, String argumentCharset) {

    public World {
        environment = Map.copyOf(environment);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(argumentCharset, "argumentCharset");
    }

    /** A world with UTF-8 arguments, as tests and a UTF-8 locale have. */
    public World(Map<String, String> environment, Path home, String osName, Clock clock) {
        this(environment, home, osName, clock, "UTF-8");
    }

    /**
     * This process's world: {@code System.getenv()}, the home directory, {@code os.name}, the UTC
     * clock, the arguments' character set. The home directory is {@code $HOME} when it is set to an absolute path, as for every
     * shell tool (Java's {@code user.home} comes from the password database and ignores it), else
     * {@code user.home}.
     */
    public static World current() {
        Map<String, String> environment = System.getenv();
        return new World(environment, home(environment, System.getProperty("user.home")),
                System.getProperty("os.name", "Linux"), Clock.systemUTC(),
                System.getProperty("sun.jnu.encoding", System.getProperty("file.encoding", "UTF-8")));
    }

    /** {@code $HOME} if it is an absolute path, else {@code userHome}. */
    static Path home(Map<String, String> environment, String userHome) {
        String home = environment.get("HOME");
        if (home != null && !home.isBlank()) {
            Path path = Path.of(home);
            if (path.isAbsolute()) {
                return path;
            }
        }
        return Path.of(userHome);
    }

    /** Asks for the passphrase of the secrets file {@code file} on the terminal, if there is one (the only place that asks). */
    static java.util.Optional<char[]> askPassphrase(Path file) {
        java.io.Console console = System.console();
        return console == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(console.readPassword("passphrase of %s: ", file));
    }
}
