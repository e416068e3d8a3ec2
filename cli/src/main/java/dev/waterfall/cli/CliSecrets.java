package dev.waterfall.cli;

import dev.waterfall.config.SecretSource;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.file.SecretFile;
import dev.waterfall.file.SystemKeyring;
import dev.waterfall.file.SystemKeyring.KeyringUnavailableException;

import java.io.Console;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Where the command's secrets are (docs/secrets.md): the system keyring where there is one
 * ({@link SystemKeyring}), else the encrypted secrets file: {@code <PREFIX>_SECRETS_FILE}, else
 * {@code secrets.enc.json} in the app's configuration folder, with the passphrase from
 * {@code <PREFIX>_SECRETS_PASSPHRASE}, else asked for on the terminal. {@code <PREFIX>_SECRETS}
 * says {@code keyring} or {@code file} to use only that one; unset (or {@code auto}), a secret is
 * looked up in the keyring first, then in the file if there is one. Nothing is opened, started or
 * asked until a secret is needed.
 */
final class CliSecrets implements SecretSource {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up that reads the jar's annotations and service
     * files), which a plain {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(CliSecrets.class.getName());
    }

    /** Where secrets are kept and looked up. */
    enum Place {
        /** The keyring, then the file; new secrets go to the keyring when there is one. */
        AUTO,
        /** Only the system keyring. */
        KEYRING,
        /** Only the secrets file. */
        FILE
    }

    private final World world;
    private Waterfall waterfall; // the configuration it belongs to, attached once open
    private SecretFile file;

    CliSecrets(World world) {
        this.world = world;
    }

    /** Attaches the configuration whose app and prefix name the file and the variables. */
    void attach(Waterfall opened) {
        this.waterfall = opened;
    }

    /** The variable that names another file. */
    String fileVariable() {
        return waterfall.envPrefix() + "_SECRETS_FILE";
    }

    /** The variable that holds the passphrase. */
    String passphraseVariable() {
        return waterfall.envPrefix() + "_SECRETS_PASSPHRASE";
    }

    /** The variable that says where secrets are: keyring, file or auto. */
    String placeVariable() {
        return waterfall.envPrefix() + "_SECRETS";
    }

    /** Where secrets are, as {@link #placeVariable()} says. */
    Place place() {
        String configured = world.environment().get(placeVariable());
        if (configured == null || configured.isBlank()) {
            return Place.AUTO;
        }
        return switch (configured.strip().toLowerCase(Locale.ROOT)) {
            case "auto" -> Place.AUTO;
            case "keyring" -> Place.KEYRING;
            case "file" -> Place.FILE;
            default -> throw new WaterfallException(placeVariable() + " is \"" + configured + "\"; say keyring (the system keyring only), "
                    + "file (the secrets file only) or auto (the keyring where there is one, then the file)");
        };
    }

    Path path() {
        String configured = world.environment().get(fileVariable());
        return configured != null && !configured.isBlank() ? Path.of(configured) : waterfall.configDirectory().resolve("secrets.enc.json");
    }

    /** Whether the secrets file exists (reading it would need the passphrase). */
    boolean fileExists() {
        return Files.exists(path());
    }

    /** The secrets file, opened (asking for the passphrase) on first use. */
    synchronized SecretFile file() {
        if (file == null) {
            file = SecretFile.open(path(), passphrase());
        }
        return file;
    }

    /** The app's secrets in the system keyring; each call on it fails with {@link KeyringUnavailableException} where there is none. */
    SystemKeyring keyring() {
        return SystemKeyring.of(waterfall.app(), world.environment(), SystemKeyring.DEFAULT_TIMEOUT);
    }

    private char[] passphrase() {
        String configured = world.environment().get(passphraseVariable());
        if (configured != null && !configured.isEmpty()) {
            return configured.toCharArray();
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("passphrase of %s: ", path());
            if (typed != null && typed.length > 0) {
                return typed;
            }
        }
        throw new WaterfallException("the secrets file " + path() + " needs its passphrase: set " + passphraseVariable()
                + " (or run on a terminal to be asked)");
    }

    /**
     * What {@code call} answers of the keyring, or {@code otherwise} when there is none to ask (in
     * {@link Place#AUTO}, where the file is used then).
     */
    <T> T ifKeyring(Function<SystemKeyring, T> call, T otherwise) {
        try {
            return call.apply(keyring());
        } catch (KeyringUnavailableException e) {
            log().log(Level.DEBUG, "using the secrets file only: " + e.getMessage());
            return otherwise;
        }
    }

    @Override
    public Optional<String> secret(String name) {
        return secret(place(), name);
    }

    /** The secret from {@code place}: in {@link Place#AUTO} the keyring's, else the file's if there is a file. */
    Optional<String> secret(Place place, String name) {
        return switch (place) {
            case KEYRING -> keyring().secret(name);
            case FILE -> file().secret(name);
            case AUTO -> {
                Optional<String> kept = ifKeyring(keyring -> keyring.secret(name), Optional.empty());
                yield kept.isPresent() || !fileExists() ? kept : file().secret(name);
            }
        };
    }

    /**
     * Stores the secret in {@code place}; in {@link Place#AUTO} the keyring, else the file.
     *
     * @return where it was stored, as a message says it (with why the keyring was not used)
     */
    String set(Place place, String name, String value) {
        switch (place) {
            case KEYRING -> keyring().set(name, value);
            case FILE -> file().set(name, value);
            case AUTO -> {
                try {
                    keyring().set(name, value);
                } catch (KeyringUnavailableException e) {
                    file().set(name, value);
                    return path() + " (" + e.getMessage() + ")";
                }
                return keyring().location();
            }
        }
        return location(place);
    }

    /** The names of the secrets in {@code place}; in {@link Place#AUTO} those of the keyring and of the file, if there is one. */
    SortedSet<String> names(Place place) {
        SortedSet<String> names = new TreeSet<>();
        if (place != Place.FILE) {
            names.addAll(place == Place.KEYRING ? keyring().names() : ifKeyring(SystemKeyring::names, Collections.emptySortedSet()));
        }
        if (place == Place.FILE || place == Place.AUTO && fileExists()) {
            names.addAll(file().names());
        }
        return names;
    }

    /** Removes the secret from {@code place}, in {@link Place#AUTO} from the keyring and the file; whether it was anywhere. */
    boolean unset(Place place, String name) {
        return switch (place) {
            case KEYRING -> keyring().unset(name);
            case FILE -> file().unset(name);
            case AUTO -> {
                boolean fromKeyring = ifKeyring(keyring -> keyring.unset(name), false);
                boolean fromFile = fileExists() && file().unset(name);
                yield fromKeyring || fromFile;
            }
        };
    }

    @Override
    public String location() {
        return location(place());
    }

    /** Where {@code place} is, as messages say it; in {@link Place#AUTO} the keyring only where there may be one. */
    String location(Place place) {
        return switch (place) {
            case KEYRING -> keyring().location();
            case FILE -> path().toString();
            case AUTO -> keyring().absence().isPresent() ? path().toString() : keyring().location() + " or " + path();
        };
    }
}
