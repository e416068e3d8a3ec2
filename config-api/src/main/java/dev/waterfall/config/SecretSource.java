package dev.waterfall.config;

import java.util.Optional;

/**
 * Where the secrets that values refer to come from (docs/secrets.md): a string value that is
 * exactly {@code ${secret:NAME}} stands for the secret {@code NAME}, resolved when it is read with
 * {@link Waterfall#get(Key)}, so the store holds the reference and never the secret. The file
 * kernel's encrypted {@code SecretFile} is one; an OS keyring could be another.
 */
public interface SecretSource {

    /**
     * The secret called {@code name}, if this source holds one.
     *
     * @throws WaterfallException naming the source if it cannot be read (a wrong passphrase, a damaged file)
     */
    Optional<String> secret(String name);

    /** Where the secrets are, for messages (a file path). */
    String location();

    /**
     * Makes the secret source of a configuration from what the configuration knows once it is
     * built: its app name, environment prefix, environment and folder, so that a source keeps the
     * same variables and files as every other program of the app (the {@code secrets} module's
     * {@code Secrets::of} is one).
     */
    @FunctionalInterface
    interface Factory {
        SecretSource open(String app, String envPrefix, java.util.Map<String, String> environment, java.nio.file.Path configDirectory);
    }
}
