package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * References ({@code ${key}}, {@code ${env:NAME}}, {@code ${secret:NAME}}) and profiles through the
 * command line (docs/references.md): what get, get --raw, list, explain, history, doctor, set and
 * unset do with them, through the quick {@code get} path as well as picocli's.
 */
class ReferencesCommandTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple");
    }

    private void set(String key, String value) {
        Cli.Result result = cli.run("set", key, value);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void get_valueWithReferences_printsItExpandedOnTheQuickPathAndThroughPicocli_andRawPrintsItAsWritten() {
        set("server.host", "localhost");
        set("server.port", "8080");
        set("app.url", "http://${server.host}:${server.port}/${app.path:index}");

        assertThat(cli.run("get", "app.url").out()).isEqualTo("http://localhost:8080/index\n");
        assertThat(cli.runWithPicocli("get", "app.url").out()).isEqualTo("http://localhost:8080/index\n");
        assertThat(cli.run("get", "app.url", "--raw").out()).isEqualTo("http://${server.host}:${server.port}/${app.path:index}\n");
        assertThat(cli.run("get", "app.url", "--json").text("raw")).isEqualTo("http://${server.host}:${server.port}/${app.path:index}");
        cli.env("WATERFALL_SERVER_PORT", "9090");
        assertThat(cli.run("get", "app.url").out()).as("each reference goes through the whole waterfall")
                .isEqualTo("http://localhost:9090/index\n");
    }

    @Test
    void storeAndHistory_keepTheTextAsWritten_whileListShowsItExpanded() throws IOException {
        set("server.port", "8080");
        set("app.url", "http://x:${server.port}/");

        assertThat(Files.readString(cli.defaultStore())).contains("\"http://x:${server.port}/\"");
        assertThat(cli.run("history").out()).contains("(absent) -> \"http://x:${server.port}/\"");
        assertThat(cli.run("list").out()).contains("app.url = \"http://x:8080/\"");
    }

    @Test
    void dollarDollarBrace_isALiteralDollarBrace() {
        set("shell.prompt", "$${USER} is ${user:me}");

        assertThat(cli.run("get", "shell.prompt").out()).isEqualTo("${USER} is me\n");
    }

    @Test
    void get_cycle_exits2NamingTheChain() {
        set("a", "${b}");
        set("b", "x${a}");

        Cli.Result result = cli.run("get", "a");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).hasLineCount(1).contains("cannot expand a", "a -> b -> a");
    }

    @Test
    void get_referenceToAKeyWithNoValue_exits2NamingTheChainAndHowToFixIt() {
        set("app.url", "http://${server.host}/");

        Cli.Result result = cli.run("get", "app.url");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("app.url -> server.host", "server.host has no value in any layer",
                "set server.host, or write ${server.host:DEFAULT}");
        Cli.Result listed = cli.run("list");
        assertThat(listed.exitCode()).isZero();
        assertThat(listed.out()).contains("app.url = \"http://${server.host}/\"");
        assertThat(listed.err()).contains("warning: cannot expand app.url", "listed as written", "app.url -> server.host");
    }

    @Test
    void explain_showsTheTemplateEachReferenceItsValueAndOrigin_nested() {
        set("server.host", "localhost");
        set("server.port", "8080");
        set("server.address", "${server.host}:${server.port}");
        set("app.url", "http://${server.address}/");

        Cli.Result result = cli.run("explain", "app.url");

        String store = "json:" + cli.defaultStore();
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(
                "app.url = \"http://localhost:8080/\"  from store " + store + ":8\n"
                + "  env       -                            WATERFALL_APP_URL (not set)\n"
                + "* store     \"http://${server.address}/\"  " + store + ":8\n"
                + "  system    -                            (no system file given: --system-file FILE)\n"
                + "  defaults  -                            (no defaults given: --defaults FILE)\n"
                + "  ref     ${server.address}  localhost:8080  store " + store + ":5\n"
                + "  ref       ${server.host}   localhost       store " + store + ":3\n"
                + "  ref       ${server.port}   8080            store " + store + ":4\n");
    }

    @Test
    void explain_cycle_showsTheChainAndExits2() {
        set("a", "${b}");
        set("b", "${a}");

        Cli.Result result = cli.run("explain", "a");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.out()).contains("  error   the references form a cycle a -> b -> a");
        assertThat(result.err()).contains("a -> b -> a");
    }

    @Test
    void aSecretInsideAnotherValue_isExpandedByGet_butNeverByListExplainOrHistory() {
        cli.env("PASSWORD_TO_STORE", "hunter2-hunter2");
        assertThat(cli.run("secret", "set", "db", "--from-env", "PASSWORD_TO_STORE").exitCode()).isZero();
        set("db.url", "postgresql://app:${secret:db}@db.example/app");

        assertThat(cli.run("get", "db.url").out()).isEqualTo("postgresql://app:hunter2-hunter2@db.example/app\n");
        assertThat(cli.run("list").out()).contains("db.url = \"postgresql://app:${secret:db}@db.example/app\"")
                .doesNotContain("hunter2");
        assertThat(cli.run("list", "--show-secrets").out()).doesNotContain("hunter2");
        assertThat(cli.run("explain", "db.url").out()).doesNotContain("hunter2").contains("${secret:db}");
        assertThat(cli.run("history").out()).doesNotContain("hunter2");
    }

    @Test
    void aReferenceToAKeyThatLooksLikeASecret_staysUnexpandedInList() {
        set("db.password", "${secret:db}");
        set("db.url", "postgresql://app:${db.password}@db.example/app");

        assertThat(cli.run("list").out()).contains("db.url = \"postgresql://app:${db.password}@db.example/app\"");
    }

    @Test
    void profiles_setWithProfileWritesTheProfileKey_andGetHonoursProfileFromOptionOrEnvironment() throws IOException {
        set("server.port", "8080");
        Cli.Result written = cli.run("--profile", "dev", "set", "server.port", "8081");
        assertThat(written.exitCode()).as(written.toString()).isZero();
        assertThat(Files.readString(cli.defaultStore())).contains("\"%dev\"");

        assertThat(cli.run("get", "server.port").out()).isEqualTo("8080\n");
        assertThat(cli.run("get", "server.port", "--profile", "dev").out()).as("quick path").isEqualTo("8081\n");
        assertThat(cli.runWithPicocli("get", "server.port", "--profile", "dev").out()).isEqualTo("8081\n");
        assertThat(cli.env("WATERFALL_PROFILE", "dev").run("get", "server.port").out()).isEqualTo("8081\n");
        assertThat(cli.run("set", "server.port", "8082").exitCode()).as("the environment's profile does not redirect a write").isZero();
        assertThat(cli.run("get", "server.port", "--profile", "test").out()).isEqualTo("8082\n");
        assertThat(cli.unsetEnv("WATERFALL_PROFILE").run("--profile", "dev", "unset", "server.port").exitCode()).isZero();
        assertThat(cli.run("get", "server.port", "--profile", "dev").out()).isEqualTo("8082\n");
    }

    @Test
    void profiles_listShowsAProfilesView_andExplainNamesTheProfileThatSuppliedTheValue() throws IOException {
        Path system = Files.writeString(home.resolve("system.json"), "{\"server\": {\"port\": 8000, \"host\": \"sys\"}}\n");
        Files.writeString(home.resolve("system.test.json"), "{\"server\": {\"host\": \"test-host\"}}\n");
        set("server.port", "8080");
        assertThat(cli.run("--profile", "dev", "set", "server.port", "8081").exitCode()).isZero();
        String store = "json:" + cli.defaultStore();

        assertThat(cli.run("list", "--system-file", system.toString()).out()).isEqualTo(
                "%dev.server.port = 8081  # store\n"
                + "server.host = \"sys\"      # system\n"
                + "server.port = 8080       # store\n");
        assertThat(cli.run("list", "--profile", "test,dev", "--system-file", system.toString()).out()).isEqualTo(
                "server.host = \"test-host\"  # system %test\n"
                + "server.port = 8081         # store %dev\n");

        Cli.Result explained = cli.run("explain", "server.port", "--profile", "test,dev", "--system-file", system.toString());
        assertThat(explained.out()).isEqualTo(
                "server.port = 8081  from store " + store + ":7 (profile dev)\n"
                + "  env           -     WATERFALL_SERVER_PORT (not set)\n"
                + "* store %dev    8081  " + store + ":7\n"
                + "  store %dev    -     " + cli.defaultStore().resolveSibling("config.dev.json") + "\n"
                + "  store %test   -     " + store + "\n"
                + "  store %test   -     " + cli.defaultStore().resolveSibling("config.test.json") + "\n"
                + "  store         8080  " + store + ":3\n"
                + "  system %dev   -     " + system + "\n"
                + "  system %dev   -     " + home.resolve("system.dev.json") + "\n"
                + "  system %test  -     " + system + "\n"
                + "  system %test  -     " + home.resolve("system.test.json") + "\n"
                + "  system        8000  " + system + ":1\n"
                + "  defaults      -     (no defaults given: --defaults FILE)\n");
    }

    @Test
    void doctor_listsEveryBrokenReferenceInEveryLayer_andTheProfilesLooseEnds() throws IOException {
        Path defaults = Files.writeString(home.resolve("defaults.json"), "{\"app\": {\"url\": \"http://${app.host}/\"}}\n");
        set("a", "${b}");
        set("b", "${a}");
        assertThat(cli.run("--profile", "dev", "set", "typo.key", "1").exitCode()).isZero();

        Cli.Result result = cli.env("WATERFALL_PROFILE", "stagign").run("doctor", "--defaults", defaults.toString());

        assertThat(result.out() + result.err()).contains("a: the references form a cycle a -> b -> a", "b: the references form a cycle b -> a -> b",
                "app.url: app.url -> app.host: app.host has no value in any layer",
                "%dev.typo.key shadows nothing: no layer holds typo.key",
                "WATERFALL_PROFILE", "names the profile stagign, which no layer defines");
        assertThat(result.exitCode()).isNotZero();
    }
}
