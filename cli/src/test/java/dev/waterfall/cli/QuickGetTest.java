package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick path of {@code waterfall get}: whatever it takes it runs exactly as picocli's command
 * line does (output, errors, exit code), and whatever is not a plain {@code get KEY} it leaves to
 * picocli without printing anything.
 */
class QuickGetTest {

    @TempDir
    Path home;

    Cli cli;
    String store;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(home).env("WATERFALL_FROM_ENV", "env value").env("OTHER_PORT", "9090");
        store = "json:" + home.resolve("elsewhere/app.json");
        cli.run("set", "plant.name", "Rosemary");
        cli.run("set", "ports", "[80, 443]");
        cli.run("--store", store, "set", "server.port", "8080");
        cli.run("--app", "other", "set", "port", "1");
        Files.writeString(home.resolve("defaults.json"), "{\"shipped\": {\"flag\": true}}\n");
        Files.writeString(home.resolve("system.json"), "{\"system\": \"wide\"}\n");
    }

    @Test
    void plainGet_printsWhatPicocliPrints() {
        List<List<String>> invocations = List.of(
                List.of("get", "plant.name"),
                List.of("get", "ports"),
                List.of("--json", "get", "plant.name"),
                List.of("get", "--json", "ports"),
                List.of("get", "plant.name", "--json", "--verbose"),
                List.of("get", "from.env"),
                List.of("--json", "get", "from.env"),
                List.of("--store", store, "get", "server.port"),
                List.of("get", "server.port", "--store=" + store, "--json"),
                List.of("--app", "other", "get", "port"),
                List.of("--app=other", "--env-prefix", "OTHER", "get", "port"),
                List.of("get", "shipped.flag", "--defaults", home.resolve("defaults.json").toString()),
                List.of("--system-file=" + home.resolve("system.json"), "--json", "get", "system"));
        for (List<String> invocation : invocations) {
            String[] args = invocation.toArray(String[]::new);
            assertThat(quick(args)).as("taken: %s", invocation).isPresent();
            Cli.Result viaPicocli = cli.runWithPicocli(args);
            assertThat(viaPicocli.exitCode()).as(viaPicocli.toString()).isZero();
            assertThat(cli.run(args)).as("%s", invocation).isEqualTo(viaPicocli);
        }
    }

    @Test
    void failingGet_reportsWhatPicocliReports() throws IOException {
        Files.writeString(home.resolve("broken.json"), "{\"a\": \n");
        List<List<String>> invocations = List.of(
                List.of("get", "no.such.key"),
                List.of("get", "get"),
                List.of("get", "help"),
                List.of("--store", "set", "get", "x"),
                List.of("--json", "get", "no.such.key"),
                List.of("get", "bad..key"),
                List.of("get", "Bad Key!"),
                List.of("get", "a=b"),
                List.of("--app", "not/an/app", "get", "x"),
                List.of("--store", "nosuch:x", "get", "x"),
                List.of("--store", "json:" + home.resolve("broken.json"), "get", "a"),
                List.of("get", "x", "--defaults", home.resolve("missing.json").toString()));
        for (List<String> invocation : invocations) {
            String[] args = invocation.toArray(String[]::new);
            Cli.Result viaPicocli = cli.runWithPicocli(args);
            assertThat(viaPicocli.exitCode()).as(viaPicocli.toString()).isNotZero();
            assertThat(cli.run(args)).as("%s", invocation).isEqualTo(viaPicocli);
        }
    }

    @Test
    void failingGet_verbose_printsTheStackTraceAfterTheSameLine() {
        Cli.Result viaPicocli = cli.runWithPicocli("--verbose", "get", "no.such.key");
        Cli.Result result = cli.run("--verbose", "get", "no.such.key");

        assertThat(result.exitCode()).isEqualTo(viaPicocli.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err().lines().findFirst()).isEqualTo(viaPicocli.err().lines().findFirst());
        assertThat(result.err()).contains("NotFoundException");
    }

    @Test
    void anythingButAPlainGet_isLeftToPicocli() {
        List<List<String>> declined = new ArrayList<>(List.of(
                List.of(),
                List.of("get"),
                List.of("get", "a", "b"),
                List.of("list"),
                List.of("set", "a", "1"),
                List.of("help", "get"),
                List.of("get", "--help"),
                List.of("-h", "get", "a"),
                List.of("--version"),
                List.of("get", "-V"),
                List.of("get", "--", "a"),
                List.of("get", "-a"),
                List.of("get", "@args.txt"),
                List.of("@args.txt"),
                List.of("get", "--jsn", "a"),
                List.of("get", "--json=true", "a"),
                List.of("get", "a", "--json", "--json"),
                List.of("--app", "x", "--app=y", "get", "a"),
                List.of("--app", "get", "get", "a"),
                List.of("--app", "--json", "get", "a"),
                List.of("--app=", "get", "a"),
                List.of("--store", "@file", "get", "a"),
                List.of("get", "a", "--store"),
                List.of("gte", "a"),
                List.of("Get", "a")));
        for (List<String> invocation : declined) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            OptionalInt code = QuickGet.run(cli.world(), new PrintWriter(out, true), new PrintWriter(err, true),
                    invocation.toArray(String[]::new));
            assertThat(code).as("declined: %s", invocation).isEmpty();
            assertThat(out.toString() + err.toString()).as("printed nothing: %s", invocation).isEmpty();
        }
    }

    /** What the quick path alone makes of {@code args}. */
    private OptionalInt quick(String... args) {
        return QuickGet.run(cli.world(), new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true), args);
    }
}
