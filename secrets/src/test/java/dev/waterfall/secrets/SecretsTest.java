package dev.waterfall.secrets;

import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The keyring-then-file source outside the command line: the same variables, file and rules
 * (docs/secrets.md). The keyring itself is exercised with a private keyring by the CLI's tests.
 */
class SecretsTest {

    @TempDir
    Path folder;

    @Test
    void theVariables_areNamedByThePrefix_andSayWhereSecretsAre() {
        Secrets secrets = Secrets.of("pipeline", "PIPE", Map.of("PIPE_SECRETS", " Keyring "), folder);

        assertThat(secrets.placeVariable()).isEqualTo("PIPE_SECRETS");
        assertThat(secrets.fileVariable()).isEqualTo("PIPE_SECRETS_FILE");
        assertThat(secrets.passphraseVariable()).isEqualTo("PIPE_SECRETS_PASSPHRASE");
        assertThat(secrets.place()).isEqualTo(Secrets.Place.KEYRING);
        assertThat(Secrets.of("pipeline", "PIPE", Map.of(), folder).place()).isEqualTo(Secrets.Place.AUTO);
        assertThatThrownBy(() -> Secrets.of("pipeline", "PIPE", Map.of("PIPE_SECRETS", "vault"), folder).place())
                .isInstanceOf(WaterfallException.class)
                .hasMessageStartingWith("PIPE_SECRETS is \"vault\"; say keyring");
    }

    @Test
    void theFile_isInTheConfigurationFolder_unlessAVariableNamesAnother() {
        assertThat(Secrets.of("pipeline", "PIPE", Map.of(), folder).path()).isEqualTo(folder.resolve("secrets.enc.json"));
        Path other = folder.resolve("elsewhere.enc.json");
        assertThat(Secrets.of("pipeline", "PIPE", Map.of("PIPE_SECRETS_FILE", other.toString()), folder).path()).isEqualTo(other);
    }

    @Test
    void aSecretSetInTheFile_isReadBackByAnotherInstance_withThePassphraseFromTheVariableOrThePrompt() {
        Map<String, String> env = Map.of("PIPE_SECRETS", "file", "PIPE_SECRETS_PASSPHRASE", "a long enough passphrase");
        Secrets writer = Secrets.of("pipeline", "PIPE", env, folder);

        assertThat(writer.set(Secrets.Place.FILE, "db", "hunter2")).isEqualTo(folder.resolve("secrets.enc.json").toString());

        assertThat(Secrets.of("pipeline", "PIPE", env, folder).secret("db")).contains("hunter2");
        Secrets prompted = Secrets.of("pipeline", "PIPE", Map.of("PIPE_SECRETS", "file"), folder,
                file -> Optional.of("a long enough passphrase".toCharArray()));
        assertThat(prompted.secret("db")).contains("hunter2");
        assertThat(prompted.names(Secrets.Place.FILE)).containsExactly("db");
        assertThat(prompted.location()).isEqualTo(folder.resolve("secrets.enc.json").toString());
    }

    @Test
    void aFileWithoutItsPassphrase_isAnErrorNamingTheVariable_andALibraryNeverAsks() {
        Map<String, String> env = Map.of("PIPE_SECRETS", "file", "PIPE_SECRETS_PASSPHRASE", "a long enough passphrase");
        Secrets.of("pipeline", "PIPE", env, folder).set(Secrets.Place.FILE, "db", "hunter2");

        assertThatThrownBy(() -> Secrets.of("pipeline", "PIPE", Map.of("PIPE_SECRETS", "file"), folder).secret("db"))
                .isInstanceOf(WaterfallException.class)
                .hasMessage("the secrets file " + folder.resolve("secrets.enc.json") + " needs its passphrase: set PIPE_SECRETS_PASSPHRASE"
                        + " (or run on a terminal to be asked)");
    }
}
