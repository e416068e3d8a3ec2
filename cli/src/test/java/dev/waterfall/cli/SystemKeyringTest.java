package dev.waterfall.cli;

import dev.waterfall.secrets.SystemKeyring;
import dev.waterfall.secrets.SystemKeyring.KeyringUnavailableException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The system keyring (file kernel's {@link SystemKeyring}) against a real Secret Service, a private
 * GNOME Keyring ({@link PrivateKeyring}); here rather than in the file kernel because the command's
 * tests share that keyring's set-up.
 */
class SystemKeyringTest {

    @TempDir
    Path dir;

    private PrivateKeyring service;
    private SystemKeyring keyring;

    @BeforeEach
    void start() throws Exception {
        service = PrivateKeyring.start(dir);
        keyring = SystemKeyring.of("demo", service.environment(Map.of()), Duration.ofSeconds(20));
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void aSecret_isStoredReadListedAndRemoved() {
        assertThat(keyring.absence()).isEmpty();
        assertThat(keyring.secret("github")).isEmpty();

        keyring.set("github", "ghp_123 with spaces, \u00fcnicode\nand a second line\n");
        keyring.set("db.main", "first");
        keyring.set("db.main", "second");

        assertThat(keyring.secret("github")).contains("ghp_123 with spaces, \u00fcnicode\nand a second line\n");
        assertThat(keyring.secret("db.main")).as("a second set replaces").contains("second");
        assertThat(keyring.names()).containsExactly("db.main", "github");
        assertThat(SystemKeyring.of("other", service.environment(Map.of()), Duration.ofSeconds(20)).names())
                .as("each app has its own service").isEmpty();

        assertThat(keyring.unset("github")).isTrue();
        assertThat(keyring.unset("github")).isFalse();
        assertThat(keyring.secret("github")).isEmpty();
        assertThat(keyring.names()).containsExactly("db.main");
    }

    @Test
    void otherPrograms_findTheSecretsByServiceAndUsername_asPythonsAndRustsKeyringLibrariesDo() throws Exception {
        keyring.set("github", "from waterfall");
        Processes.Result lookup = service.secretTool("lookup", "service", "waterfall:demo", "username", "github");

        Path input = dir.resolve("secret.txt");
        Files.writeString(input, "from another program");
        Processes.Result stored = Processes.run(java.util.List.of("bash", "-c", "secret-tool store --label=x service waterfall:demo "
                + "username smtp < " + input), dir, service.environment(Map.of()), Duration.ofSeconds(30));

        assertThat(lookup.exitCode()).as(lookup.toString()).isZero();
        assertThat(lookup.out()).isEqualTo("from waterfall");
        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(keyring.secret("smtp")).contains("from another program");
        assertThat(keyring.names()).containsExactly("github", "smtp");
    }

    @Test
    void withoutASessionBusOrTheClient_itSaysWhyThereIsNoKeyring_andStartsNothing() {
        Map<String, String> noBus = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        SystemKeyring withoutBus = SystemKeyring.of("demo", noBus, Duration.ofSeconds(5));
        SystemKeyring withoutClient = SystemKeyring.of("demo", service.environment(Map.of("PATH", dir.toString())), Duration.ofSeconds(5));

        assertThat(withoutBus.absence()).hasValueSatisfying(why -> assertThat(why).contains("no D-Bus session"));
        assertThatThrownBy(() -> withoutBus.secret("github")).isInstanceOf(KeyringUnavailableException.class)
                .hasMessageContaining("DBUS_SESSION_BUS_ADDRESS is not set");
        assertThatThrownBy(() -> withoutClient.set("github", "x")).isInstanceOf(KeyringUnavailableException.class)
                .hasMessageContaining("secret-tool is not installed (Debian and Ubuntu: package libsecret-tools)");
    }

    @Test
    void aKeyringThatDoesNotAnswer_isGivenUpAfterTheTimeout() throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path client = bin.resolve("secret-tool");
        Files.writeString(client, "#!/bin/sh\nexec sleep 60\n"); // as one waiting for a password typed on a screen
        Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwx------"));
        SystemKeyring hanging = SystemKeyring.of("demo", service.environment(Map.of("PATH", bin + ":/usr/bin:/bin")), Duration.ofSeconds(1));

        assertThatThrownBy(() -> hanging.secret("github")).isInstanceOf(KeyringUnavailableException.class)
                .hasMessageContaining("did not answer within 1 s");
    }

    @Test
    void aNameThatIsNoSecretName_isRefused() {
        assertThatThrownBy(() -> keyring.set("../x", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a secret's name is ASCII letters");
    }
}
