package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code waterfall secret} and {@code ${secret:NAME}} values, end to end through the command. */
class SecretCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple");
    }

    private Path secretsFile() {
        return home.resolve(".config/waterfall/secrets.enc.json");
    }

    @Test
    void aSecret_storedEncrypted_andAStoreValueReferringToIt_readsBackThroughGet() throws IOException {
        cli.env("DB_PASSWORD_TO_STORE", "hunter2");
        Cli.Result stored = cli.run("secret", "set", "db", "--from-env", "DB_PASSWORD_TO_STORE");
        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(stored.err()).contains("stored the secret db in " + secretsFile(), "\"${secret:db}\"");

        assertThat(cli.run("set", "db.password", "${secret:db}").exitCode()).as("a reference needs no --plaintext-secret").isZero();

        assertThat(cli.run("get", "db.password").out()).isEqualTo("hunter2\n");
        assertThat(cli.run("secret", "get", "db").out()).isEqualTo("hunter2\n");
        assertThat(cli.run("secret", "list").out()).isEqualTo("db\n");
        assertThat(cli.run("list", "--show-secrets").out()).contains("db.password = \"${secret:db}\"").doesNotContain("hunter2");
        assertThat(cli.run("explain", "db.password").out()).doesNotContain("hunter2");
        assertThat(Files.readString(secretsFile())).doesNotContain("hunter2");
        assertThat(Files.readString(cli.defaultStore())).contains("${secret:db}").doesNotContain("hunter2");

        assertThat(cli.run("secret", "unset", "db").exitCode()).isZero();
        Cli.Result gone = cli.run("get", "db.password");
        assertThat(gone.exitCode()).isEqualTo(3);
        assertThat(gone.err()).contains("db.password refers to the secret db", "not in " + secretsFile(), "waterfall secret set db");
        assertThat(cli.run("secret", "get", "db").exitCode()).isEqualTo(1);
    }

    @Test
    void help_namesTheReferenceAsItIsWritten() {
        assertThat(cli.run("secret", "--help").out()).contains("\"${secret:NAME}\" stands for the secret NAME").doesNotContain("\"null\"");
    }

    @Test
    void withoutThePassphrase_orWithAWrongOne_nothingIsReadNorWritten() throws IOException {
        cli.env("VALUE", "s3cret");
        cli.run("secret", "set", "api", "--from-env", "VALUE");
        byte[] before = Files.readAllBytes(secretsFile());

        Cli.Result missing = new Cli(home).env("VALUE", "other").run("secret", "set", "api", "--from-env", "VALUE");
        assertThat(missing.exitCode()).isEqualTo(3);
        assertThat(missing.err()).contains("needs its passphrase", "WATERFALL_SECRETS_PASSPHRASE");

        Cli wrong = new Cli(home).env("WATERFALL_SECRETS_PASSPHRASE", "wrong").env("VALUE", "other");
        Cli.Result refused = wrong.run("secret", "set", "api", "--from-env", "VALUE");
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).contains("passphrase is wrong");
        assertThat(wrong.run("secret", "get", "api").exitCode()).isEqualTo(3);
        assertThat(Files.readAllBytes(secretsFile())).isEqualTo(before);
    }

    @Test
    void aCommandThatReadsNoSecret_needsNoPassphrase_andAnotherFileCanBeNamed() {
        Cli plain = new Cli(home);
        assertThat(plain.run("set", "server.port", "8080").exitCode()).isZero();
        assertThat(plain.run("get", "server.port").out()).isEqualTo("8080\n");

        Path elsewhere = home.resolve("vault/team.enc.json");
        cli.env("WATERFALL_SECRETS_FILE", elsewhere.toString()).env("VALUE", "x");
        assertThat(cli.run("secret", "set", "team", "--from-env", "VALUE").exitCode()).isZero();
        assertThat(elsewhere).exists();
        assertThat(secretsFile()).doesNotExist();
        assertThat(cli.run("secret", "set", "bad name", "--from-env", "VALUE").exitCode()).isEqualTo(2);
        assertThat(cli.run("secret", "set", "x", "--from-env", "UNSET_VARIABLE").exitCode()).isEqualTo(2);
    }
}
