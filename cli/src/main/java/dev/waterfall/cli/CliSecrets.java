package dev.waterfall.cli;

import dev.waterfall.config.SecretSource;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.file.SecretFile;

import java.io.Console;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The command's secrets file, opened only when a secret is needed: {@code <PREFIX>_SECRETS_FILE},
 * else {@code secrets.enc.json} in the app's configuration folder, with the passphrase from
 * {@code <PREFIX>_SECRETS_PASSPHRASE}, else asked for on the terminal. A command that reads no
 * secret asks for nothing.
 */
final class CliSecrets implements SecretSource {

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

    Path path() {
        String configured = world.environment().get(fileVariable());
        return configured != null && !configured.isBlank() ? Path.of(configured) : waterfall.configDirectory().resolve("secrets.enc.json");
    }

    /** The secrets file, opened (asking for the passphrase) on first use. */
    synchronized SecretFile file() {
        if (file == null) {
            file = SecretFile.open(path(), passphrase());
        }
        return file;
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

    @Override
    public Optional<String> secret(String name) {
        return file().secret(name);
    }

    @Override
    public String location() {
        return path().toString();
    }
}
