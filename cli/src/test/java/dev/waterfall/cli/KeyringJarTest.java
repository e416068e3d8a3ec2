package dev.waterfall.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waterfall secret} in real processes with a real Secret Service ({@link PrivateKeyring}):
 * secrets go to the keyring where there is one, and to the secrets file where there is none.
 */
@Tag("packaged")
class KeyringJarTest {

    @TempDir
    Path home;

    private PrivateKeyring keyring;

    @BeforeEach
    void start() throws Exception {
        keyring = PrivateKeyring.start(Files.createDirectories(home.resolve("keyring")));
    }

    @AfterEach
    void stop() {
        keyring.close();
    }

    private Processes.Result run(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName()));
        command.addAll(List.of(args));
        return Processes.run(command, home, environment, Duration.ofMinutes(2));
    }

    @Test
    void aSecret_goesToTheKeyring_andAReferenceResolvesFromIt_withNoPassphrase() throws Exception {
        Map<String, String> desktop = keyring.environment(Processes.cleanEnvironment(home));
        desktop.put("GITHUB_TOKEN_TO_STORE", "ghp_from_the_keyring");

        Processes.Result stored = run(desktop, "secret", "set", "github", "--from-env", "GITHUB_TOKEN_TO_STORE");
        Processes.Result set = run(desktop, "set", "github.token", "${secret:github}");
        Processes.Result get = run(desktop, "get", "github.token");
        Processes.Result list = run(desktop, "secret", "list");
        Processes.Result otherProgram = keyring.secretTool("lookup", "service", "waterfall:waterfall", "username", "github");

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(stored.err()).contains("stored the secret github in the system keyring (Secret Service, service \"waterfall:waterfall\")");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(get.out()).as(get.toString()).isEqualTo("ghp_from_the_keyring\n");
        assertThat(list.out()).isEqualTo("github\n");
        assertThat(otherProgram.out()).isEqualTo("ghp_from_the_keyring");
        assertThat(home.resolve(".config/waterfall/secrets.enc.json")).as("no passphrase, no file").doesNotExist();

        Processes.Result healthy = run(desktop, "doctor");
        Processes.Result unset = run(desktop, "secret", "unset", "github");
        Processes.Result gone = run(desktop, "get", "github.token");
        Processes.Result dangling = run(desktop, "doctor");

        assertThat(unset.exitCode()).as(unset.toString()).isZero();
        assertThat(gone.exitCode()).isEqualTo(3);
        assertThat(gone.err()).contains("refers to the secret github, which is not in the system keyring");
        assertThat(healthy.out()).as(healthy.toString()).endsWith("no problems found\n");
        assertThat(dangling.out()).contains("warning: github.token: refers to the secret github, which is not in the system keyring "
                + "(Secret Service, service \"waterfall:waterfall\") or " + home.resolve(".config/waterfall/secrets.enc.json"));
    }

    @Test
    void withoutASessionBus_theSecretGoesToTheFile_andTheCommandSaysWhy() throws Exception {
        Map<String, String> cron = Processes.cleanEnvironment(home); // no D-Bus session, as in a cron job
        cron.put("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple");
        cron.put("SMTP_PASSWORD", "from the file");

        Processes.Result stored = run(cron, "secret", "set", "smtp", "--from-env", "SMTP_PASSWORD");

        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(stored.err()).contains("stored the secret smtp in " + home.resolve(".config/waterfall/secrets.enc.json"),
                "no D-Bus session");
        assertThat(keyring.secretTool("lookup", "service", "waterfall:waterfall", "username", "smtp").exitCode()).isEqualTo(1);

        Map<String, String> desktop = keyring.environment(cron);
        assertThat(run(desktop, "secret", "get", "smtp").out()).as("the file is looked at after the keyring").isEqualTo("from the file\n");
        assertThat(run(desktop, "secret", "set", "--keyring", "smtp", "--from-env", "SMTP_PASSWORD").exitCode()).isZero();
        assertThat(run(desktop, "secret", "list").out()).as("one name, in both places").isEqualTo("smtp\n");
        assertThat(run(desktop, "secret", "unset", "smtp").exitCode()).isZero();
        assertThat(run(desktop, "secret", "get", "smtp").exitCode()).as("removed from both").isEqualTo(1);
    }

    @Test
    void secretsKeyring_usesOnlyTheKeyring_andSaysSoWhereThereIsNone() throws Exception {
        Map<String, String> noBus = Processes.cleanEnvironment(home);
        noBus.put("WATERFALL_SECRETS", "keyring");
        noBus.put("VALUE", "x");

        Processes.Result refused = run(noBus, "secret", "set", "github", "--from-env", "VALUE");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("there is no system keyring to use: no D-Bus session");
        assertThat(home.resolve(".config/waterfall/secrets.enc.json")).doesNotExist();
    }
}
