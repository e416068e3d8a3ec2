package dev.waterfall.cli;

import dev.waterfall.config.NumberValue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class DoctorCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    @Test
    void doctor_healthyStore_reportsNoProblems() {
        cli.run("set", "a", "1");

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "app waterfall, environment variables WATERFALL_*, store json:" + cli.defaultStore() + " (the default)\n"
                + "no problems found\n");
    }

    @Test
    void doctor_referenceToASecretThatIsNowhere_warnsNamingTheKeysAndWhatToDo() {
        cli.env("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple").env("VALUE", "hunter2");
        assertThat(cli.run("secret", "set", "db", "--from-env", "VALUE").exitCode()).isZero();
        cli.run("set", "db.password", "${secret:db}");
        cli.run("set", "github.token", "${secret:github}");
        cli.run("set", "ci.token", "${secret:github}");

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).as("a warning").isZero();
        assertThat(result.out()).contains("warning: ci.token, github.token: refers to the secret github, which is not in "
                + home.resolve(".config/waterfall/secrets.enc.json") + ": reading it fails until it is added (`waterfall secret set github`)")
                .doesNotContain("secret db").endsWith("0 errors, 1 warning\n");
    }

    @Test
    void doctor_referenceWithTheSecretsFileLocked_notesItInsteadOfAskingForThePassphrase() {
        cli.env("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple").env("VALUE", "hunter2");
        assertThat(cli.run("secret", "set", "db", "--from-env", "VALUE").exitCode()).isZero();
        cli.run("set", "db.password", "${secret:db}");
        cli.unsetEnv("WATERFALL_SECRETS_PASSPHRASE");

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("info: db.password: refers to the secret db, which is not in the system keyring; the secrets "
                + "file " + home.resolve(".config/waterfall/secrets.enc.json") + " may hold it (set WATERFALL_SECRETS_PASSPHRASE");
    }

    @Test
    void doctor_cleanInstall_notesTheFileDoesNotExistYet() {
        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("info: " + cli.defaultStore() + ": does not exist yet");
        assertThat(cli.defaultStore().getParent()).doesNotExist();
    }

    @Test
    void doctor_brokenFile_reportsPathLineAndColumnAndExits3() throws IOException {
        cli.run("set", "a", "1");
        Files.writeString(cli.defaultStore(), "{\n  \"a\": 1,\n}\n");

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("\nerror: " + cli.defaultStore() + ":3:")
                .endsWith("1 error, 0 warnings\n");
    }

    @Test
    void doctor_fileReadableByOthers_warnsWithTheFix() throws IOException {
        cli.run("set", "a", "1");
        Files.setPosixFilePermissions(cli.defaultStore(), PosixFilePermissions.fromString("rw-r--r--"));

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("warning: " + cli.defaultStore() + ": file mode is rw-r--r--", "chmod 600")
                .endsWith("0 errors, 1 warning\n");
    }

    @Test
    void doctor_tempFileOfAnInterruptedWrite_warns() throws IOException {
        cli.run("set", "a", "1");
        Path temp = Files.writeString(cli.defaultStore().resolveSibling(".config.json.12345.tmp"), "{\"a\": ");

        Cli.Result result = cli.run("doctor");

        assertThat(result.out()).contains("warning: " + temp + ": a temp file left by an interrupted write");
    }

    @Test
    void doctor_prefixedVariableMatchingNoKey_warnsAsALikelyTypo() {
        cli.run("set", "server.port", "8080");
        cli.env("WATERFALL_SERVR_PORT", "9090").env("WATERFALL_STORE", "json:" + cli.defaultStore());

        Cli.Result result = cli.run("doctor");

        assertThat(result.out()).contains("warning: WATERFALL_SERVR_PORT: matches no key")
                .doesNotContain("warning: WATERFALL_STORE")
                .contains("(WATERFALL_STORE)");
    }

    @Test
    void doctor_variableShadowingAStoredKey_notesIt() {
        cli.run("set", "server.port", "8080");
        cli.env("WATERFALL_SERVER_PORT", "9090");

        Cli.Result result = cli.run("doctor");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("info: WATERFALL_SERVER_PORT: overrides the stored value of server.port");
    }

    @Test
    void doctor_brokenDefaultsFile_isAnError() throws IOException {
        Path defaults = Files.writeString(home.resolve("defaults.json"), "{\"a\": ");

        Cli.Result result = cli.run("doctor", "--defaults", defaults.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("error: " + defaults);
    }

    @Test
    void doctor_json_listsFindingsAndCounts() {
        cli.run("set", "a", "1");
        cli.env("WATERFALL_B", "1");

        Cli.Result result = cli.run("doctor", "--json");

        assertThat(result.text("app")).isEqualTo("waterfall");
        assertThat(result.text("envPrefix")).isEqualTo("WATERFALL_");
        assertThat(result.text("store")).isEqualTo("json:" + cli.defaultStore());
        assertThat(result.text("storeFrom")).isEqualTo("the default");
        assertThat(result.text("findings.0.severity")).isEqualTo("warning");
        assertThat(result.text("findings.0.subject")).isEqualTo("WATERFALL_B");
        assertThat(result.at("errors")).isEqualTo(new NumberValue("0"));
        assertThat(result.at("warnings")).isEqualTo(new NumberValue("1"));
    }
}
