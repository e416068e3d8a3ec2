package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, items 6 and 7: a value of a key that looks like a secret reaches no output that prints
 * many values, nor any message, whichever command prints it, from the store or the environment;
 * and the secrets file is made only with a passphrase long enough to protect it.
 */
class SecretRedactionTest {

    private static final String SECRET = "hunter2-s3cr3t";

    @TempDir
    Path home;

    Cli cli;
    String store;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
        store = "sqlite:" + home.resolve("app.db"); // a database store holds secrets without --plaintext-secret
    }

    private Cli.Result run(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--store";
        all[1] = store;
        System.arraycopy(args, 0, all, 2, args.length);
        return cli.run(all);
    }

    private static void hidesTheSecret(Cli.Result result) {
        assertThat(result.out() + result.err()).as(result.toString()).doesNotContain(SECRET);
    }

    @Test
    void explain_ofAStoredSecret_redactsItInTextAndJson_unlessShowSecrets() {
        assertThat(run("set", "db.password", SECRET).exitCode()).isZero();

        Cli.Result text = run("explain", "db.password");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        hidesTheSecret(text);
        assertThat(text.out()).contains("db.password = <redacted>  from store", "* store     <redacted>");

        Cli.Result json = run("--json", "explain", "db.password");
        hidesTheSecret(json);
        assertThat(json.at("winner.redacted").toJson()).isEqualTo("true");
        assertThat(json.text("winner.type")).isEqualTo("string");
        assertThat(json.at("layers.1.value.redacted").toJson()).isEqualTo("true");

        assertThat(run("explain", "db.password", "--show-secrets").out()).contains(SECRET);
    }

    @Test
    void explain_ofASecretFromTheEnvironment_redactsIt() {
        cli.env("WATERFALL_X_AUTHTOKEN", SECRET);
        run("set", "x.authtoken", "${secret:none}");

        Cli.Result text = run("explain", "x.authtoken");
        hidesTheSecret(text);
        assertThat(text.out()).contains("* env       <redacted>");
        hidesTheSecret(run("--json", "explain", "x.authtoken"));
        hidesTheSecret(run("list"));
    }

    @Test
    void setJson_undo_history_andList_redactTheValue() {
        Cli.Result set = run("--json", "set", "api.key", SECRET);
        assertThat(set.exitCode()).as(set.toString()).isZero();
        hidesTheSecret(set);
        assertThat(set.at("redacted").toJson()).isEqualTo("true");

        run("set", "api.key", "other-value-1");
        hidesTheSecret(run("history"));
        hidesTheSecret(run("--json", "history"));
        Cli.Result undoneText = run("undo", "--dry-run");
        hidesTheSecret(undoneText);
        Cli.Result undone = run("--json", "undo");
        assertThat(undone.exitCode()).as(undone.toString()).isZero();
        hidesTheSecret(undone);
        hidesTheSecret(run("list"));
        hidesTheSecret(run("--json", "list"));
        assertThat(run("get", "api.key").out()).as("get names one key: it prints its value").isEqualTo(SECRET + "\n");
    }

    @Test
    void set_ofASecretNamedKeyWithInvalidJson_doesNotEchoTheValue() {
        Cli.Result result = run("set", "db.password", "{" + SECRET);

        assertThat(result.exitCode()).isEqualTo(2);
        hidesTheSecret(result);
        assertThat(result.err()).contains("db.password", "not valid JSON", "--string");
    }

    @Test
    void anEnvironmentSecretThatDoesNotParse_isNamedButNotShown() {
        run("set", "db.password", "5"); // not a string: the variable is read as a JSON literal
        cli.env("WATERFALL_DB_PASSWORD", "[" + SECRET);

        Cli.Result result = run("get", "db.password");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        hidesTheSecret(result);
        assertThat(result.err()).contains("WATERFALL_DB_PASSWORD");
    }

    @Test
    void doctor_typoWarning_neverShowsTheValue() {
        cli.env("WATERFALL_DB_PASSWROD", SECRET);

        Cli.Result result = run("doctor");

        hidesTheSecret(result);
        assertThat(result.out()).contains("WATERFALL_DB_PASSWROD", "typo");
    }

    @Test
    void aShortPassphrase_isRefusedForANewSecretsFile_sayingTheMinimumAndWhy() {
        Cli short1 = new Cli(home).env("WATERFALL_SECRETS", "file").env("WATERFALL_SECRETS_PASSPHRASE", "x").env("VALUE", SECRET);

        Cli.Result result = short1.run("secret", "set", "db", "--from-env", "VALUE");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
        assertThat(result.err()).contains("at least 12 characters", "offline");
        hidesTheSecret(result);
        assertThat(home.resolve(".config/waterfall/secrets.enc.json")).doesNotExist();
    }

    @Test
    void secretSet_tightensALooseSecretsFileTo0600() throws IOException {
        Cli secrets = new Cli(home).env("WATERFALL_SECRETS", "file").env("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple")
                .env("VALUE", SECRET);
        assertThat(secrets.run("secret", "set", "db", "--from-env", "VALUE").exitCode()).isZero();
        Path file = home.resolve(".config/waterfall/secrets.enc.json");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result doctor = secrets.run("doctor");
        assertThat(doctor.out()).contains("warning: " + file + ": the secrets file's mode is rw-r--r--", "chmod 600");

        assertThat(secrets.run("secret", "set", "db", "--from-env", "VALUE").exitCode()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aBrokenFile_doesNotQuoteTheSecretItStumbledOn() throws IOException {
        Path toml = Files.writeString(home.resolve("hand.toml"), "a = 1\n[db]\npassword = " + SECRET + "\n");
        Cli.Result tomlResult = cli.run("--store", "toml:" + toml, "list");
        assertThat(tomlResult.exitCode()).isEqualTo(3);
        hidesTheSecret(tomlResult);
        assertThat(tomlResult.err()).contains(toml + ":3:", "password", "needs quotes");

        Path json = Files.writeString(home.resolve("hand.json"), "{\"db\": {\"password\": " + SECRET + "}}");
        Cli.Result jsonResult = cli.run("--store", "json:" + json, "list");
        assertThat(jsonResult.exitCode()).isEqualTo(3);
        hidesTheSecret(jsonResult);
        assertThat(jsonResult.err()).contains(json + ":1:", "password");
    }
}
