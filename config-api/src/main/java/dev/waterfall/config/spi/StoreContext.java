package dev.waterfall.config.spi;

import dev.waterfall.config.Actor;
import dev.waterfall.config.SecretPolicy;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * The world a store is opened in, passed in rather than read from globals, so that tests control
 * it completely.
 *
 * @param app         the application name
 * @param actor       who this process's writes are recorded as
 * @param clock       the time source for metadata, backups and history
 * @param environment the environment variables (for {@code PGPASSWORD} and the like)
 * @param home        the user's home directory, for {@code ~} in paths and {@code .pgpass}
 * @param services    objects shared by the stores of one Waterfall instance
 * @param plaintextSecrets which keys that look like secrets the plaintext stores may write
 *                    ({@link SecretPolicy}; {@link SecretPolicy#refuseSecrets()} by default)
 */
public record StoreContext(String app, Actor actor, Clock clock, Map<String, String> environment, Path home,
                           Services services, SecretPolicy plaintextSecrets) {

    /** A context whose plaintext stores refuse every key that looks like a secret. */
    public StoreContext(String app, Actor actor, Clock clock, Map<String, String> environment, Path home, Services services) {
        this(app, actor, clock, environment, home, services, SecretPolicy.refuseSecrets());
    }

    public StoreContext {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(clock, "clock");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(plaintextSecrets, "plaintextSecrets");
    }

    /**
     * Resolves a path as written in a store URI; see {@link #resolvePath(String, Path)}.
     *
     * @throws dev.waterfall.config.InvalidValueException for {@code ~user/...}
     */
    public Path resolvePath(String text) {
        return resolvePath(text, home);
    }

    /**
     * Resolves a path as a user writes it, in a store URI or an option ({@code --defaults=~/x},
     * which the shell does not expand): {@code ~} and {@code ~/...} mean {@code home}; a relative
     * path is taken as given (relative to the working directory). The one place {@code ~} is
     * expanded.
     *
     * @throws dev.waterfall.config.InvalidValueException for {@code ~user/...}, another user's home,
     *         which is not looked up: taken as written it would make a folder named {@code ~user} here
     */
    public static Path resolvePath(String text, Path home) {
        if (text.equals("~")) {
            return home;
        }
        if (text.startsWith("~/") || text.startsWith("~\\")) {
            return home.resolve(text.substring(2));
        }
        if (text.startsWith("~")) {
            int end = text.indexOf('/') < 0 ? text.length() : text.indexOf('/');
            throw new dev.waterfall.config.InvalidValueException("the path " + Echo.of(text) + " starts with "
                    + Echo.of(text.substring(0, end)) + ", another user's home, which Waterfall does not look up (it would "
                    + "otherwise make a folder named " + Echo.of(text.substring(0, end)) + " in the working directory); "
                    + "write the full path, or ~/ for your own home");
        }
        return Path.of(text);
    }
}
