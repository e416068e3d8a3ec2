/**
 * Where the secrets that {@code ${secret:NAME}} values refer to are kept (docs/secrets.md): the
 * system keyring ({@link dev.waterfall.secrets.SystemKeyring}), the encrypted secrets file
 * ({@link dev.waterfall.secrets.SecretFile}), and {@link dev.waterfall.secrets.Secrets}, the
 * keyring-then-file source built from an app's name, prefix, environment and folder, with the same
 * variables and rules as the command line.
 */
module dev.waterfall.secrets {
    requires transitive dev.waterfall.config;
    requires dev.waterfall.file;
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.secrets;
}
