package dev.waterfall.secrets;

import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encrypted secrets file: what it keeps, what it shows, and what a wrong passphrase or a changed byte does. */
class SecretFileTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("app").resolve("secrets.enc.json");
    }

    @Test
    void secrets_roundTripThroughTheFile_namesAndValuesEncrypted_fileOwnerOnly() throws Exception {
        SecretFile secrets = SecretFile.open(file(), "correct horse".toCharArray());
        secrets.set("db", "hunter2");
        secrets.set("github.token", "ghp_caf\u00e9 \"quoted\"");

        SecretFile again = SecretFile.open(file(), "correct horse".toCharArray());
        assertThat(again.secret("db")).contains("hunter2");
        assertThat(again.secret("github.token")).contains("ghp_caf\u00e9 \"quoted\"");
        assertThat(again.secret("absent")).isEmpty();
        assertThat(again.names()).containsExactly("db", "github.token");
        assertThat(again.unset("db")).isTrue();
        assertThat(again.unset("db")).isFalse();
        assertThat(secrets.names()).containsExactly("github.token");

        String text = Files.readString(file(), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("{\"format\":\"waterfall-secrets\",\"version\":1,\"kdf\":\"PBKDF2-HMAC-SHA256\",\"iterations\":600000,")
                .doesNotContain("hunter2").doesNotContain("ghp_").doesNotContain("github").doesNotContain("db");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file().getParent()))).isEqualTo("rwx------");
    }

    @Test
    void eachWrite_usesAFreshNonce() throws Exception {
        SecretFile secrets = SecretFile.open(file(), "pw long enough".toCharArray());
        secrets.set("a", "same");
        String first = Files.readString(file());
        secrets.set("a", "same");

        assertThat(Files.readString(file())).isNotEqualTo(first);
        assertThat(nonce(Files.readString(file()))).isNotEqualTo(nonce(first));
    }

    @Test
    void aWrongPassphrase_readsNothing_andWritesNothing() throws Exception {
        SecretFile.open(file(), "the right passphrase".toCharArray()).set("db", "hunter2");
        byte[] before = Files.readAllBytes(file());
        SecretFile wrong = SecretFile.open(file(), "wrong".toCharArray());

        assertThatThrownBy(() -> wrong.secret("db")).isInstanceOf(WaterfallException.class)
                .hasMessageContaining(file().toString()).hasMessageContaining("passphrase is wrong");
        assertThatThrownBy(() -> wrong.set("other", "x")).isInstanceOf(WaterfallException.class).hasMessageContaining("passphrase is wrong");
        assertThat(Files.readAllBytes(file())).isEqualTo(before);
    }

    @Test
    void aParameterChangedInTheClear_failsTheAuthentication() throws Exception {
        SecretFile.open(file(), "pw long enough".toCharArray()).set("db", "hunter2");
        Files.writeString(file(), Files.readString(file()).replace("\"iterations\":600000", "\"iterations\":600001"));

        assertThatThrownBy(() -> SecretFile.open(file(), "pw long enough".toCharArray()).secret("db"))
                .isInstanceOf(WaterfallException.class).hasMessageContaining("changed or damaged");
    }

    @Test
    void aFileThatIsNoSecretsFile_isAClearError() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"db\": \"hunter2\"}\n");

        assertThatThrownBy(() -> SecretFile.open(file(), "pw long enough".toCharArray()).secret("db"))
                .isInstanceOf(StoreBrokenException.class).hasMessageContaining("not a secrets file");
        assertThatThrownBy(() -> SecretFile.open(file(), "pw long enough".toCharArray()).set("db", "x")).isInstanceOf(StoreBrokenException.class);
        assertThat(Files.readString(file())).isEqualTo("{\"db\": \"hunter2\"}\n");
    }

    @Test
    void names_areLimitedToASafeAlphabet_andAPassphraseCannotBeEmpty() {
        SecretFile secrets = SecretFile.open(file(), "pw long enough".toCharArray());
        assertThatThrownBy(() -> secrets.set("a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretFile.open(file(), new char[0])).isInstanceOf(IllegalArgumentException.class);
        assertThat(file()).doesNotExist();
    }

    private static String nonce(String text) {
        int at = text.indexOf("\"nonce\":\"") + 9;
        return text.substring(at, text.indexOf('"', at));
    }
}
