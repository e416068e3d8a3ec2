package dev.waterfall.secrets;

import dev.waterfall.config.SecretSource;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.secrets.SystemKeyring.KeyringUnavailableException;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * An app's secrets where the command line keeps them (docs/secrets.md), for any Java program: the
 * system keyring where there is one ({@link SystemKeyring}), else the encrypted secrets file:
 * {@code <PREFIX>_SECRETS_FILE}, else {@code secrets.enc.json} in the app's configuration folder,
 * with the passphrase from {@code <PREFIX>_SECRETS_PASSPHRASE}, else from the {@link Prompt} given
 * (the command line asks on the terminal; a library never does). {@code <PREFIX>_SECRETS} says
 * {@code keyring} or {@code file} to use only that one; unset (or {@code auto}), a secret is looked
 * up in the keyring first, then in the file if there is one. Nothing is opened, started or asked
 * until a secret is needed.
 *
 * <pre>{@code
 * Waterfall config = Waterfall.builder("pipeline").secrets(Secrets::of).open();
 * }</pre>
 *
 * builds it from the configuration's own app name, prefix, environment and folder.
 */
public final class Secrets implements SecretSource {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up that reads the jar's annotations and service
     * files), which a plain {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(Secrets.class.getName());
    }

    /** Where secrets are kept and looked up. */
    public enum Place {
        /** The keyring, then the file; new secrets go to the keyring when there is one. */
        AUTO,
        /** Only the system keyring. */
        KEYRING,
        /** Only the secrets file. */
        FILE
    }

    /** Asks for the passphrase of a secrets file when no variable holds it; empty when it cannot ask. */
    @FunctionalInterface
    public interface Prompt {
        Optional<char[]> passphrase(Path file);
    }

    private final String app;
    private final String envPrefix;
    private final Map<String, String> environment;
    private final Path configDirectory;
    private final Prompt prompt;
    private SecretFile file;

    private Secrets(String app, String envPrefix, Map<String, String> environment, Path configDirectory, Prompt prompt) {
        this.app = Objects.requireNonNull(app, "app");
        this.envPrefix = Objects.requireNonNull(envPrefix, "envPrefix");
        this.environment = Map.copyOf(environment);
        this.configDirectory = Objects.requireNonNull(configDirectory, "configDirectory");
        this.prompt = Objects.requireNonNull(prompt, "prompt");
    }

    /**
     * The secrets of {@code app}, read as the command line reads them; a passphrase comes only from
     * {@code <PREFIX>_SECRETS_PASSPHRASE}.
     *
     * @param envPrefix       the prefix of its variables ({@code PIPELINE} for {@code PIPELINE_SECRETS})
     * @param environment     the environment variables
     * @param configDirectory the app's configuration folder, where {@code secrets.enc.json} is by default
     */
    public static Secrets of(String app, String envPrefix, Map<String, String> environment, Path configDirectory) {
        return of(app, envPrefix, environment, configDirectory, file -> Optional.empty());
    }

    /** As {@link #of(String, String, Map, Path)}, asking {@code prompt} for a passphrase no variable holds. */
    public static Secrets of(String app, String envPrefix, Map<String, String> environment, Path configDirectory, Prompt prompt) {
        return new Secrets(app, envPrefix, environment, configDirectory, prompt);
    }

    /** The variable that names another file. */
    public String fileVariable() {
        return envPrefix + "_SECRETS_FILE";
    }

    /** The variable that holds the passphrase. */
    public String passphraseVariable() {
        return envPrefix + "_SECRETS_PASSPHRASE";
    }

    /** The variable that says where secrets are: keyring, file or auto. */
    public String placeVariable() {
        return envPrefix + "_SECRETS";
    }

    /** Where secrets are, as {@link #placeVariable()} says. */
    public Place place() {
        String configured = environment.get(placeVariable());
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

    /** The secrets file: {@code <PREFIX>_SECRETS_FILE}, else {@code secrets.enc.json} in the configuration folder. */
    public Path path() {
        String configured = environment.get(fileVariable());
        return configured != null && !configured.isBlank() ? Path.of(configured) : configDirectory.resolve("secrets.enc.json");
    }

    /** Whether the secrets file exists (reading it would need the passphrase). */
    public boolean fileExists() {
        return Files.exists(path());
    }

    /** The secrets file, opened (with the passphrase from the variable or the prompt) on first use. */
    public synchronized SecretFile file() {
        if (file == null) {
            file = SecretFile.open(path(), passphrase());
        }
        return file;
    }

    /** The app's secrets in the system keyring; each call on it fails with {@link KeyringUnavailableException} where there is none. */
    public SystemKeyring keyring() {
        return SystemKeyring.of(app, environment, SystemKeyring.DEFAULT_TIMEOUT);
    }

    private char[] passphrase() {
        String configured = environment.get(passphraseVariable());
        if (configured != null && !configured.isEmpty()) {
            return configured.toCharArray();
        }
        Optional<char[]> typed = prompt.passphrase(path());
        if (typed.isPresent() && typed.get().length > 0) {
            return typed.get();
        }
        throw new WaterfallException("the secrets file " + path() + " needs its passphrase: set " + passphraseVariable()
                + " (or run on a terminal to be asked)");
    }

    /**
     * What {@code call} answers of the keyring, or {@code otherwise} when there is none to ask (in
     * {@link Place#AUTO}, where the file is used then).
     */
    public <T> T ifKeyring(Function<SystemKeyring, T> call, T otherwise) {
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
    public Optional<String> secret(Place place, String name) {
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
    public String set(Place place, String name, String value) {
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
    public SortedSet<String> names(Place place) {
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
    public boolean unset(Place place, String name) {
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
    public String location(Place place) {
        return switch (place) {
            case KEYRING -> keyring().location();
            case FILE -> path().toString();
            case AUTO -> keyring().absence().isPresent() ? path().toString() : keyring().location() + " or " + path();
        };
    }
}
