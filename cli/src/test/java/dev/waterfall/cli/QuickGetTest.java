package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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

    @Test
    void everyOptionOfTheTable_isInPicocliModelOfEveryCommand_andTakenByTheQuickPathAlike() throws IOException {
        Files.writeString(home.resolve("schema.json"), "{\"type\": \"object\"}\n");
        CommandLine whole = WaterfallCli.commandLine(cli.world());
        List<CommandLine> commands = new ArrayList<>();
        collect(whole, commands);
        for (CommandLine command : commands) {
            for (GlobalOption option : GlobalOption.values()) {
                CommandLine.Model.OptionSpec spec = command.getCommandSpec().findOption(option.optionName);
                assertThat(spec).as("%s in %s", option.optionName, command.getCommandSpec().qualifiedName()).isNotNull();
                assertThat(spec.arity().max() > 0).as("%s takes a value", option.optionName).isEqualTo(option.takesValue());
            }
        }
        Set<String> declared = whole.getCommandSpec().options().stream().map(CommandLine.Model.OptionSpec::longestName)
                .collect(Collectors.toSet());
        Set<String> table = Stream.concat(Arrays.stream(GlobalOption.values()).map(option -> option.optionName),
                Stream.of("--help", "--version")).collect(Collectors.toSet());
        assertThat(declared).as("picocli's global options are the table's and the help options").isEqualTo(table);

        for (GlobalOption option : GlobalOption.values()) {
            String[] args = option.takesValue()
                    ? new String[] {"get", "plant.name", option.optionName, valueFor(option)}
                    : new String[] {"get", "plant.name", option.optionName};
            assertThat(quick(args)).as("taken: %s", List.of(args)).isPresent();
            assertThat(cli.run(args)).as("%s", List.of(args)).isEqualTo(cli.runWithPicocli(args));
        }
    }

    /** A value for a global option that a plain get of plant.name accepts; both paths must agree on any other. */
    private String valueFor(GlobalOption option) {
        return switch (option) {
            case APP -> "waterfall";
            case STORE -> "json:" + cli.defaultStore();
            case DEFAULTS -> home.resolve("defaults.json").toString();
            case SYSTEM_FILE -> home.resolve("system.json").toString();
            case ENV_PREFIX -> "WATERFALL";
            case SCHEMA -> home.resolve("schema.json").toString();
            default -> "x";
        };
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        for (CommandLine sub : command.getSubcommands().values()) {
            if (!into.contains(sub)) {
                collect(sub, into);
            }
        }
    }

    @Test
    void plainGet_takenByTheQuickPath_expandsReferences_andReadsTheActiveProfile() {
        cli.run("set", "app.url", "http://${plant.name}:${server.port:80}/");
        cli.run("--profile", "dev", "set", "plant.name", "Thyme");
        List<List<String>> invocations = List.of(
                List.of("get", "app.url"),
                List.of("--profile", "dev", "get", "app.url"),
                List.of("--profile=dev", "get", "plant.name"),
                List.of("get", "plant.name"));
        List<String> expected = List.of("http://Rosemary:80/\n", "http://Thyme:80/\n", "Thyme\n", "Rosemary\n");
        for (int i = 0; i < invocations.size(); i++) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            OptionalInt code = QuickGet.run(cli.world(), new PrintWriter(out, true), new PrintWriter(err, true),
                    invocations.get(i).toArray(String[]::new));
            assertThat(code).as("taken: %s", invocations.get(i)).hasValue(ExitCodes.OK);
            assertThat(out.toString()).as("%s", invocations.get(i)).isEqualTo(expected.get(i));
            assertThat(cli.runWithPicocli(invocations.get(i).toArray(String[]::new)).out()).isEqualTo(expected.get(i));
        }
        cli.env("WATERFALL_PROFILE", "dev");
        assertThat(cli.run("get", "app.url").out()).as("the profile from the environment").isEqualTo("http://Thyme:80/\n");
    }

    @Test
    void plainGet_ofAValueChangedOutsideWaterfall_readsTheFile_andLeavesTheRecordToTheNextReaderOfRevisions() throws IOException {
        Path file = cli.defaultStore();
        Path history = file.resolveSibling("config.json.history.ndjson");
        long before = ((dev.waterfall.config.NumberValue) cli.run("--json", "get", "plant.name").at("revision")).longValueExact();
        String recorded = Files.readString(history);
        Files.writeString(file, Files.readString(file).replace("Rosemary", "Thyme")); // a hand edit

        Cli.Result plain = cli.run("get", "plant.name");

        assertThat(plain).isEqualTo(new Cli.Result(0, "Thyme\n", ""));
        assertThat(cli.runWithPicocli("get", "plant.name")).isEqualTo(plain);
        assertThat(Files.readString(history)).as("a plain get reads no metadata and records nothing").isEqualTo(recorded);

        Cli.Result json = cli.run("--json", "get", "plant.name");
        assertThat(json.text("value")).isEqualTo("Thyme");
        assertThat(((dev.waterfall.config.NumberValue) json.at("revision")).longValueExact()).as("a new revision").isGreaterThan(before);
        assertThat(json.text("updatedBy.surface")).isEqualTo("external");
        assertThat(Files.readString(history)).as("--json get records the outside change").isNotEqualTo(recorded).contains("Thyme");
    }

    @Test
    void plainGet_ofABrokenStore_failsAsAReaderOfRevisionsDoes() throws IOException {
        Files.writeString(cli.defaultStore(), "{\"plant\": {\"name\": \n");

        Cli.Result plain = cli.run("get", "plant.name");
        Cli.Result json = cli.run("--json", "get", "plant.name");

        assertThat(plain.exitCode()).isEqualTo(ExitCodes.STORE);
        assertThat(plain.err()).isEqualTo(json.err()).contains(cli.defaultStore().toString(), "backups restore");
    }

    /** What the quick path alone makes of {@code args}. */
    private OptionalInt quick(String... args) {
        return QuickGet.run(cli.world(), new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true), args);
    }
}
