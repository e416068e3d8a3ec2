package dev.waterfall.cli;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.engine.JsonValues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared table of resolution cases, {@code clients/parity/cases.json}: the Java library, the
 * Python client and the Rust client resolve every case to the value and origin the table gives
 * (environment, store, system file, defaults, default store folders per platform, key names with
 * {@code -} and {@code _}). The table is the specification; each language is checked against it,
 * so they agree with each other. Python and Rust run as real processes over the same file (the Rust
 * example {@code parity} is built by {@code scripts/test-all} before the Java suite).
 */
class ClientParityTest {

    @TempDir
    Path scratch;

    /** One case of the table. */
    record Case(String name, TableValue spec) {
        String text(String member) {
            Value value = spec.members().get(member);
            return value instanceof StringValue string ? string.value() : null;
        }

        boolean has(String member) {
            return spec.members().containsKey(member);
        }
    }

    /** A case's outcome: empty when no layer has the key. */
    record Outcome(Value value, String layer, String source, int line) {
    }

    static Path casesFile() {
        return Processes.repository().resolve("clients/parity/cases.json");
    }

    static List<Case> cases() throws Exception {
        Value root = new JsonValues().parse(Files.readString(casesFile(), StandardCharsets.UTF_8));
        List<Case> cases = new ArrayList<>();
        for (Value item : ((ArrayValue) ((TableValue) root).members().get("cases")).items()) {
            TableValue spec = (TableValue) item;
            cases.add(new Case(((StringValue) spec.members().get("name")).value(), spec));
        }
        return cases;
    }

    static Optional<Outcome> expected(Case c) {
        Value expect = c.spec().members().get("expect");
        if (expect instanceof NullValue) {
            return Optional.empty();
        }
        Map<String, Value> members = ((TableValue) expect).members();
        return Optional.of(new Outcome(members.get("value"), ((StringValue) members.get("layer")).value(),
                ((StringValue) members.get("source")).value(), Integer.parseInt(members.get("line").toJson())));
    }

    @Test
    void javaLibrary_resolvesEveryCase_asTheTableSays() throws Exception {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(20);
        int n = 0;
        for (Case c : cases) {
            Path folder = Files.createDirectories(scratch.resolve("case" + n++)).toRealPath();
            assertThat(javaOutcome(c, folder)).as(c.name()).isEqualTo(expected(c));
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void pythonClient_resolvesEveryCase_asTheTableSays() throws Exception {
        Path script = Processes.repository().resolve("clients/python/tests/parity.py");
        Processes.Result result = Processes.run(List.of("python3", script.toString(), casesFile().toString()), scratch,
                Processes.cleanEnvironment(scratch), Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertOutputMatches(result.out(), "python");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void rustClient_resolvesEveryCase_asTheTableSays() throws Exception {
        Processes.Result result = Processes.run(List.of(RustClient.example("parity").toString(), casesFile().toString()), scratch,
                Processes.cleanEnvironment(scratch), Duration.ofMinutes(2));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertOutputMatches(result.out(), "rust");
    }

    /**
     * Compares a client's output, one {@code {"name":…,"result":…}} line per case in the table's
     * order, with what the table expects.
     */
    static void assertOutputMatches(String output, String language) throws Exception {
        List<Case> cases = cases();
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as(language + " prints one line per case").hasSize(cases.size());
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Map<String, Value> line = ((TableValue) new JsonValues().parse(lines.get(i))).members();
            assertThat(((StringValue) line.get("name")).value()).isEqualTo(c.name());
            Optional<Outcome> actual = Optional.empty();
            if (line.get("result") instanceof TableValue result) {
                Map<String, Value> r = result.members();
                actual = Optional.of(new Outcome(r.get("value"), ((StringValue) r.get("layer")).value(),
                        ((StringValue) r.get("source")).value(), Integer.parseInt(r.get("line").toJson())));
            }
            assertThat(actual).as(language + ": " + c.name()).isEqualTo(expected(c));
        }
    }

    private static Optional<Outcome> javaOutcome(Case c, Path folder) throws Exception {
        String dir = folder.toString();
        Map<String, String> environment = new LinkedHashMap<>();
        if (c.spec().members().get("env") instanceof TableValue env) {
            env.members().forEach((name, value) -> environment.put(name, ((StringValue) value).value().replace("$DIR", dir)));
        }
        Path home = Files.createDirectories(folder.resolve("home"));
        Waterfall.Builder builder = Waterfall.builder(c.text("app")).environment(environment).home(home)
                .operatingSystem(c.has("os") ? c.text("os") : "Linux");
        if (c.has("store")) {
            write(Path.of((c.has("storeFile") ? c.text("storeFile") : "$DIR/store.json").replace("$DIR", dir)), c, "store");
        }
        if (!c.has("storeUri")) {
            builder.store("json:" + folder.resolve("store.json"));
        } else if (c.text("storeUri") != null) {
            builder.store(c.text("storeUri").replace("$DIR", dir));
        }
        if (c.has("system")) {
            builder.systemFile(write(folder.resolve("system.json"), c, "system"));
        } else if (c.has("systemPath")) {
            builder.systemFile(Path.of(c.text("systemPath").replace("$DIR", dir)));
        }
        if (c.has("defaults")) {
            builder.defaultsFile(write(folder.resolve("defaults.json"), c, "defaults"));
        }
        try (Waterfall waterfall = builder.open()) {
            Optional<Resolved> found = waterfall.get(c.text("key"));
            return found.map(r -> new Outcome(r.value(), r.origin().layer().label(), r.origin().source().replace(dir, "$DIR"),
                    r.origin().line()));
        }
    }

    private static Path write(Path file, Case c, String member) throws Exception {
        List<String> lines = new ArrayList<>();
        for (Value line : ((ArrayValue) c.spec().members().get(member)).items()) {
            lines.add(((StringValue) line).value());
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return file;
    }
}
