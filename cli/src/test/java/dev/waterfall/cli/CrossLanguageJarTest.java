package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.engine.JsonValues;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waterfall's other-language clients against the Java writers, all as real processes on one store:
 * the Java CLI, the Java library ({@link LibraryWriter}), the Python client
 * ({@code clients/python/tests/crossproc.py}) and the Rust client ({@code clients/rust/examples/crossproc.rs}, built by
 * {@code scripts/test-all}; it writes JSON and NDJSON stores, not SQLite).
 *
 * <ul>
 *   <li>mixed writers of distinct keys plus one compare-and-set counter lose no update, on JSON,
 *       NDJSON and SQLite, while readers in Java, Python and Rust (not SQLite) never see a torn file, and every write
 *       is in the history under the surface that made it;</li>
 *   <li>values of every kind written by one language read identically in the others;</li>
 *   <li>a broken file is refused by every language with the same line and column, and nothing
 *       rewrites it.</li>
 * </ul>
 *
 * The CLI writes fewer times than the others: each of its writes is a JVM start (about half a second
 * here), and the point is that its lock and its history interleave with the others', not its speed.
 */
@Tag("packaged")
class CrossLanguageJarTest {

    static final int WRITES = 250;
    static final int INCREMENTS = 25;
    static final int CLI_WRITES = 8;
    static final int CLI_INCREMENTS = 3;

    @TempDir
    Path dir;

    /**
     * The store's URI; an SQLite one names its namespace, which is otherwise the app's name and so
     * differs between the CLI ({@code waterfall}) and the writers ({@code contract}).
     */
    static String uri(String scheme, Path file) {
        return scheme + ":" + file + (scheme.equals("sqlite") ? "?namespace=contract" : "");
    }

    static Path python() {
        return Processes.repository().resolve("clients/python/tests/crossproc.py");
    }

    private List<String> cli(String... args) {
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", Processes.jar().toString(), WaterfallCli.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private Processes.Result run(List<String> command) throws Exception {
        return Processes.run(command, dir, environment(), Duration.ofMinutes(5));
    }

    /** The clean environment of {@link Processes}, plus the Python client's folder for {@code python3 -m waterfall_config}. */
    private Map<String, String> environment() {
        Map<String, String> environment = Processes.cleanEnvironment(dir);
        environment.put("PYTHONPATH", Processes.repository().resolve("clients/python").toString());
        return environment;
    }

    private static List<String> pythonCommand(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", python().toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** A writer process that prints "ready" first; its output is collected to a file. */
    private Process start(List<String> command, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".out").toFile());
        builder.environment().clear();
        builder.environment().putAll(environment());
        return builder.start();
    }

    private String finish(Process process, String name) throws Exception {
        assertThat(process.waitFor(8, TimeUnit.MINUTES)).as(name + " finishes").isTrue();
        String out = Files.readString(dir.resolve(name + ".out"), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(name + ":\n" + out).isZero();
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "ndjson", "sqlite"})
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void mixedWriters_inEveryLanguage_loseNoUpdate_andReadersNeverSeeATornStore(String scheme) throws Exception {
        Path file = dir.resolve("shared." + (scheme.equals("sqlite") ? "db" : scheme));
        String uri = uri(scheme, file);
        assertThat(run(cli("--store", uri, "set", "seed", "0")).exitCode()).isZero(); // SQLite: the schema, made by Java

        Path stop = dir.resolve("stop-readers");
        Process pythonReader = start(pythonCommand("read", uri, stop.toString()), "python-reader");
        boolean rust = !scheme.equals("sqlite"); // the Rust client reads and writes JSON and NDJSON stores
        Process rustReader = rust ? start(RustClient.command("read", uri, stop.toString()), "rust-reader") : null;
        AtomicReference<Throwable> javaReaderFailure = new AtomicReference<>();
        AtomicLong javaReads = new AtomicLong();
        Thread javaReader = new Thread(() -> {
            try (Waterfall reader = Waterfall.builder("contract").store(uri).environment(Map.of()).home(dir).open()) {
                while (!Files.exists(stop)) {
                    reader.store().snapshot();
                    if (scheme.equals("json")) {
                        byte[] bytes = Files.readAllBytes(file);
                        assertThat(new JsonValues().parse(new String(bytes, StandardCharsets.UTF_8))).isInstanceOf(TableValue.class);
                    }
                    javaReads.incrementAndGet();
                }
            } catch (Throwable e) {
                javaReaderFailure.set(e);
            }
        }, "java-reader");
        javaReader.start();

        long started = System.nanoTime();
        Map<String, Process> writers = new LinkedHashMap<>();
        writers.put("java-distinct", start(LibraryWriter.command("distinct", uri, "java", String.valueOf(WRITES)), "java-distinct"));
        writers.put("java-counter", start(LibraryWriter.command("counter", uri, "counter", String.valueOf(INCREMENTS)), "java-counter"));
        writers.put("python-distinct", start(pythonCommand("distinct", uri, "python", String.valueOf(WRITES)), "python-distinct"));
        writers.put("python-counter", start(pythonCommand("counter", uri, "counter", String.valueOf(INCREMENTS)), "python-counter"));
        if (rust) {
            writers.put("rust-distinct", start(RustClient.command("distinct", uri, "rust", String.valueOf(WRITES)), "rust-distinct"));
            writers.put("rust-counter", start(RustClient.command("counter", uri, "counter", String.valueOf(INCREMENTS)), "rust-counter"));
        }
        // The CLI, one JVM per write, meanwhile.
        for (int i = 0; i < CLI_WRITES; i++) {
            Processes.Result set = run(cli("--store", uri, "set", "cli.k" + i, String.valueOf(i)));
            assertThat(set.exitCode()).as(set.toString()).isZero();
        }
        for (int i = 0; i < CLI_INCREMENTS; i++) {
            cliIncrement(uri, "counter");
        }
        for (Map.Entry<String, Process> writer : writers.entrySet()) {
            finish(writer.getValue(), writer.getKey());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Files.writeString(stop, "");
        javaReader.join(TimeUnit.MINUTES.toMillis(2));
        String pythonReads = finish(pythonReader, "python-reader");
        assertThat(javaReaderFailure.get()).as("the Java reader saw a whole store every time").isNull();
        assertThat(pythonReads).as("the Python reader saw a whole store every time").contains("reads ");
        String rustReads = rust ? finish(rustReader, "rust-reader") : "";
        if (rust) {
            assertThat(rustReads).as("the Rust reader saw a whole store every time").contains("reads ");
        }
        int writersCounted = rust ? 3 : 2;
        System.out.printf("cross-language %s: %d writes in %.1f s (Java reads %d, Python %s, Rust %s)%n", scheme,
                writersCounted * (WRITES + INCREMENTS) + CLI_WRITES + CLI_INCREMENTS, seconds, javaReads.get(),
                pythonReads.lines().filter(l -> l.startsWith("reads")).findFirst().orElse(""),
                rustReads.lines().filter(l -> l.startsWith("reads")).findFirst().orElse("-"));

        try (Waterfall check = Waterfall.builder("contract").store(uri).environment(Map.of()).home(dir).open()) {
            ConfigStore store = check.store();
            List<String> prefixes = new ArrayList<>(List.of("java", "python"));
            if (writersCounted == 3) {
                prefixes.add("rust");
            }
            for (String prefix : prefixes) {
                for (int i = 0; i < WRITES; i++) {
                    assertThat(store.get(Key.of(prefix + ".k" + i))).as(prefix + ".k" + i).map(e -> e.value().toJson()).contains(String.valueOf(i));
                }
            }
            for (int i = 0; i < CLI_WRITES; i++) {
                assertThat(store.get(Key.of("cli.k" + i))).map(e -> e.value().toJson()).contains(String.valueOf(i));
            }
            assertThat(store.get(Key.of("counter"))).as("no increment is lost").map(e -> e.value().toJson())
                    .contains(String.valueOf(writersCounted * INCREMENTS + CLI_INCREMENTS));

            List<HistoryRecord> history = store.history(HistoryQuery.all().limit(100_000));
            Map<String, Long> bySurface = new TreeMap<>();
            for (HistoryRecord record : history) {
                if (record.key().path().matches("(java|python|rust|cli)\\.k\\d+")) {
                    bySurface.merge(record.by().surface() + " " + record.key().path().substring(0, record.key().path().indexOf('.')), 1L, Long::sum);
                }
                assertThat(record.by().isExternal()).as("every change was made through a client: " + record).isFalse();
            }
            Map<String, Long> expected = new TreeMap<>(Map.of("app java", (long) WRITES, "python python", (long) WRITES, "cli cli", (long) CLI_WRITES));
            if (writersCounted == 3) {
                expected.put("rust rust", (long) WRITES);
            }
            assertThat(bySurface).as("each write is in the history under the surface that made it").isEqualTo(expected);
        }
    }

    /** One compare-and-set increment through the CLI: get --json for the revision, set --if-revision, retry on exit 4. */
    private void cliIncrement(String uri, String key) throws Exception {
        Pattern revision = Pattern.compile("\"revision\"\\s*:\\s*(\\d+)");
        Pattern value = Pattern.compile("\"value\"\\s*:\\s*(\\d+)");
        while (true) {
            Processes.Result get = run(cli("--store", uri, "get", key, "--json"));
            long current = 0;
            long at = 0;
            if (get.exitCode() == 0) {
                Matcher r = revision.matcher(get.out());
                Matcher v = value.matcher(get.out());
                assertThat(r.find() && v.find()).as(get.toString()).isTrue();
                at = Long.parseLong(r.group(1));
                current = Long.parseLong(v.group(1));
            } else {
                assertThat(get.exitCode()).as(get.toString()).isEqualTo(1);
            }
            Processes.Result set = run(cli("--store", uri, "set", key, String.valueOf(current + 1), "--if-revision", String.valueOf(at)));
            if (set.exitCode() == 0) {
                return;
            }
            assertThat(set.exitCode()).as(set.toString()).isEqualTo(4);
        }
    }

    /** A key name of quoted segments (issue 15 item 14), in its written form: every language writes and names it so. */
    static final String QUOTED = "\"cfg(unix)\".\"x.y\".\"~\"";

    /** Values of every kind, as JSON text: each language writes them all, and every language reads back the same. */
    static final Map<String, String> VALUES = values();

    private static Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ascii", "\"plain text\"");
        values.put("planes", "\"\u00e9\u00df \u4e2d\u6587 \uD83D\uDE00 \uD800\uDF48 \uD83E\uDD16 \uDB40\uDC01 \uDBFF\uDFFD\"");
        values.put("escapes", "\"quote \\\" backslash \\\\ slash / tab \\t newline \\n cr \\r bell \\u0007 del \\u007f nul \\u0000 ls \\u2028\"");
        values.put("empty", "\"\"");
        values.put("big", "123456789012345678901234567890123456789");
        values.put("negative", "-98765432109876543210");
        values.put("small", "0.000000000000000000000000000001");
        values.put("exponent", "6.02214076e23");
        values.put("tiny", "-1.5E-300");
        values.put("trailing-zeros", "1.500");
        values.put("zero", "0");
        values.put("true", "true");
        values.put("false", "false");
        values.put("null", "null");
        values.put("array", "[1,\"two\",null,[3.0,[]],{\"four\":4}]");
        values.put("empty-array", "[]");
        values.put("nested", "[{\"name\":\"a\",\"inner\":{\"deep\":[{\"x\":null}],\"e\":{}}},{}]");
        values.put(QUOTED, "\"quoted segments\"");
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "ndjson", "sqlite"})
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void valuesWrittenByOneLanguage_readIdenticallyInTheOthers(String scheme) throws Exception {
        Path file = dir.resolve("values." + (scheme.equals("sqlite") ? "db" : scheme));
        String uri = uri(scheme, file);
        assertThat(run(cli("--store", uri, "set", "seed", "0")).exitCode()).isZero();
        List<String> writers = new ArrayList<>(List.of("java", "python"));
        if (!scheme.equals("sqlite")) {
            writers.add("rust");
        }
        for (String writer : writers) {
            Path lines = dir.resolve(writer + ".tsv");
            StringBuilder text = new StringBuilder();
            VALUES.forEach((name, json) -> text.append(writer).append('.').append(name).append('\t').append(json).append('\n'));
            Files.writeString(lines, text.toString(), StandardCharsets.UTF_8);
            List<String> command = switch (writer) {
                case "java" -> LibraryWriter.command("setmany", uri, lines.toString());
                case "python" -> pythonCommand("setmany", uri, lines.toString());
                default -> RustClient.command("setmany", uri, lines.toString());
            };
            Processes.Result result = run(command);
            assertThat(result.exitCode()).as(writer + " writes: " + result).isZero();
        }
        Map<String, Value> expected = new TreeMap<>();
        expected.put("seed", new JsonValues().parse("0"));
        for (String writer : writers) {
            VALUES.forEach((name, json) -> expected.put(writer + "." + name, new JsonValues().parse(json)));
        }

        // Java reads through the CLI's list --json: the canonical values, by key.
        Processes.Result list = run(cli("--store", uri, "list", "--json"));
        assertThat(list.exitCode()).as(list.toString()).isZero();
        Map<String, Value> javaRead = new TreeMap<>();
        for (Value item : ((dev.waterfall.config.ArrayValue) new JsonValues().parse(list.out())).items()) {
            Map<String, Value> members = ((TableValue) item).members();
            javaRead.put(((dev.waterfall.config.StringValue) members.get("key")).value(), members.get("value"));
        }
        assertThat(javaRead).as("Java reads what every language wrote").isEqualTo(expected);
        if (!scheme.equals("sqlite")) {
            String history = Files.readString(scheme.equals("json") ? dir.resolve(file.getFileName() + ".history.ndjson") : file);
            for (String writer : writers) {
                assertThat(history).as(writer + "'s history line names the quoted key as Java does")
                        .contains("\"key\":" + Value.of(writer + "." + QUOTED).toJson());
            }
        }

        List<List<String>> readers = new ArrayList<>();
        readers.add(pythonCommand("dump", uri));
        if (!scheme.equals("sqlite")) {
            readers.add(RustClient.command("dump", uri));
        }
        for (List<String> reader : readers) {
            Processes.Result dump = run(reader);
            assertThat(dump.exitCode()).as(dump.toString()).isZero();
            Map<String, Value> read = new TreeMap<>();
            dump.out().lines().filter(l -> l.contains("\t")).forEach(line -> {
                int tab = line.indexOf('\t');
                read.put(line.substring(0, tab), new JsonValues().parse(line.substring(tab + 1)));
            });
            assertThat(read).as(reader.get(0) + " reads what every language wrote").isEqualTo(expected);
        }
    }

    /**
     * A new SQLite store made by a Python write is the one Java makes: the same tables, indexes and
     * Flyway history row (version, script, checksum), so Java opens it without migrating and writes
     * beside Python; the first write's history row is Python's.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aSqliteStoreMadeByPython_isTheOneJavaMakes() throws Exception {
        Path byPython = dir.resolve("python.db");
        Path byJava = dir.resolve("java.db");
        Processes.Result pythonSet = run(List.of("python3", "-m", "waterfall_config", "--store", "sqlite:" + byPython, "set", "a", "1"));
        assertThat(pythonSet.exitCode()).as(pythonSet.toString()).isZero();
        assertThat(run(cli("--store", "sqlite:" + byJava, "set", "a", "1")).exitCode()).isZero();
        String schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name;"
                + "SELECT installed_rank, version, description, type, script, checksum, success FROM flyway_schema_history;";
        Processes.Result javaSchema = run(List.of("sqlite3", byJava.toString(), schema));
        Processes.Result pythonSchema = run(List.of("sqlite3", byPython.toString(), schema));
        assertThat(javaSchema.exitCode()).as(javaSchema.toString()).isZero();
        assertThat(pythonSchema.out()).as("Python's new database").isEqualTo(javaSchema.out()).contains("|1359459886|");

        Processes.Result javaGet = run(cli("--store", "sqlite:" + byPython, "get", "a"));
        assertThat(javaGet.exitCode()).as(javaGet.toString()).isZero();
        assertThat(javaGet.out().strip()).isEqualTo("1");
        assertThat(run(cli("--store", "sqlite:" + byPython, "set", "b", "2")).exitCode()).isZero();
        Processes.Result history = run(List.of("sqlite3", byPython.toString(), "SELECT revision, key, by_surface FROM history ORDER BY id"));
        assertThat(history.out()).isEqualTo("1|a|python\n2|b|cli\n");
    }

    /**
     * The values of {@link #VALUES} a TOML store can hold (TOML has no null and 64-bit integers), plus
     * an array of tables: Java writes them into a TOML store, and Python (tomllib) and Rust (its own
     * TOML 1.0 reader) read back exactly what Java reads.
     */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aTomlStoreWrittenByJava_readsIdenticallyInPythonAndRust() throws Exception {
        Path file = dir.resolve("values.toml");
        String uri = "toml:" + file;
        Map<String, String> values = new LinkedHashMap<>(VALUES);
        values.keySet().removeAll(List.of("big", "negative", "null", "array", "nested"));
        values.put("mixed-array", "[1,\"two\",[3.0,[]],{\"four\":4}]");
        values.put("tables", "[{\"name\":\"a\",\"inner\":{\"deep\":[{\"x\":1.0e-7}]}},{}]");
        values.put("integer", "-9223372036854775808");
        StringBuilder text = new StringBuilder();
        values.forEach((name, json) -> text.append("java.").append(name).append('\t').append(json).append('\n'));
        Path lines = dir.resolve("toml.tsv");
        Files.writeString(lines, text.toString(), StandardCharsets.UTF_8);
        Processes.Result write = run(LibraryWriter.command("setmany", uri, lines.toString()));
        assertThat(write.exitCode()).as(write.toString()).isZero();

        Map<String, Value> expected = new TreeMap<>();
        values.forEach((name, json) -> expected.put("java." + name, new JsonValues().parse(json)));
        Processes.Result list = run(cli("--store", uri, "list", "--json"));
        assertThat(list.exitCode()).as(list.toString()).isZero();
        Map<String, Value> javaRead = new TreeMap<>();
        for (Value item : ((dev.waterfall.config.ArrayValue) new JsonValues().parse(list.out())).items()) {
            Map<String, Value> members = ((TableValue) item).members();
            javaRead.put(((dev.waterfall.config.StringValue) members.get("key")).value(), members.get("value"));
        }
        assertThat(javaRead).as("Java reads what it wrote").isEqualTo(expected);

        for (List<String> reader : List.of(pythonCommand("dump", uri), RustClient.command("dump", uri))) {
            Processes.Result dump = run(reader);
            assertThat(dump.exitCode()).as(dump.toString()).isZero();
            Map<String, Value> read = new TreeMap<>();
            dump.out().lines().filter(l -> l.contains("\t")).forEach(line -> {
                int tab = line.indexOf('\t');
                read.put(line.substring(0, tab), new JsonValues().parse(line.substring(tab + 1)));
            });
            assertThat(read).as(reader.get(0) + " reads the TOML store Java wrote\n" + Files.readString(file)).isEqualTo(expected);
        }
    }

    /**
     * Broken TOML files a person makes by hand. Java and Rust name the same place; Python's tomllib
     * has its own positions (it refuses every one, exit 3, naming a line and column, but for a
     * duplicate key it points past the key and for a bad date at the value's start).
     */
    static final List<String> BROKEN_TOML = List.of(
            "a = 1\nb = \n",
            "a = 1\nb = tru\n",
            "[a]\nx = 1\n[a]\n",
            "a = 1\na = 2\n",
            "a = \"open\nb = 1\n",
            "a = 2026-02-30\n",
            "\u00e9 = 1\n",
            "a = [1, 2\nb = 3\n",
            "a = {x = 1,}\n",
            "[server\nport = 1\n",
            "port = 08080\n",
            "a.b = 1\n[a]\n");

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aBrokenTomlFile_isRefusedByJavaAndRust_atTheSamePlace_andByPython_andNothingRewritesIt() throws Exception {
        Pattern place = Pattern.compile("broken\\.toml:(\\d+):(\\d+):");
        int n = 0;
        for (String text : BROKEN_TOML) {
            Path file = dir.resolve("toml" + n++).resolve("broken.toml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            String uri = "toml:" + file;
            Map<String, Processes.Result> results = new LinkedHashMap<>();
            results.put("java set", run(cli("--store", uri, "set", "b", "3"))); // a write reads the file first: the same parse as get
            results.put("rust get", run(RustClient.command("get", uri, "a")));
            results.put("python get", run(pythonCommand("get", uri, "a")));
            Map<String, String> places = new LinkedHashMap<>();
            for (Map.Entry<String, Processes.Result> result : results.entrySet()) {
                assertThat(result.getValue().exitCode()).as(result.getKey() + " of " + text + ": " + result.getValue()).isEqualTo(3);
                Matcher matcher = place.matcher(result.getValue().err());
                assertThat(matcher.find()).as(result.getKey() + " names file:line:col: " + result.getValue()).isTrue();
                places.put(result.getKey(), matcher.group(1) + ":" + matcher.group(2));
            }
            assertThat(List.of(places.get("java set"), places.get("rust get")).stream().distinct())
                    .as("Java and Rust name one place in\n" + text + "\n" + places).hasSize(1);
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("nothing rewrote the broken file").isEqualTo(text);
        }
    }

    /** Broken JSON files a person makes by hand, and where Java's reader says the mistake is. */
    static final List<String> BROKEN = List.of(
            "{\n  \"a\": 1,\n  \"b\": 2,\n}\n",
            "{\n  \"a\": 1\n  \"b\": 2\n}\n",
            "{\n  \"a\": tru\n}\n",
            "{\n  \"a\": \"x\n",
            "{\n  \"a\": [1, 2,]\n}\n",
            "{\n  \"a\": 01\n}\n",
            "{\"a\": 1} x",
            "{\n  \"a\" 1\n}",
            "{\n  'a': 1\n}",
            "{\n  \"a\": \"\\q\"\n}",
            "{\n  \"a\": 1,\n  \"a\": 2\n}",
            "{\n  \"a\": {\n");

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aBrokenFile_isRefusedByEveryLanguage_atTheSamePlace_andNothingRewritesIt() throws Exception {
        Pattern place = Pattern.compile("broken\\.json:(\\d+):(\\d+):");
        int n = 0;
        for (String text : BROKEN) {
            Path file = dir.resolve("case" + n++).resolve("broken.json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            String uri = "json:" + file;
            Map<String, String> places = new LinkedHashMap<>();

            Processes.Result javaGet = run(cli("--store", uri, "get", "a"));
            Processes.Result javaSet = run(cli("--store", uri, "set", "b", "3"));
            Processes.Result pythonGet = run(pythonCommand("get", uri, "a"));
            Processes.Result pythonSet = run(List.of("python3", "-m", "waterfall_config", "--store", uri, "set", "b", "3"));
            Map<String, Processes.Result> results = new LinkedHashMap<>();
            results.put("java get", javaGet);
            results.put("java set", javaSet);
            results.put("python get", pythonGet);
            results.put("python set", pythonSet);
            results.put("rust get", run(RustClient.command("get", uri, "a")));
            results.put("rust set", run(RustClient.command("set", uri, "b", "3")));
            for (Map.Entry<String, Processes.Result> result : results.entrySet()) {
                assertThat(result.getValue().exitCode()).as(result.getKey() + " of " + text + ": " + result.getValue()).isEqualTo(3);
                Matcher matcher = place.matcher(result.getValue().err());
                assertThat(matcher.find()).as(result.getKey() + " names file:line:col: " + result.getValue()).isTrue();
                places.put(result.getKey(), matcher.group(1) + ":" + matcher.group(2));
            }
            assertThat(places.values().stream().distinct()).as("every language names one place in\n" + text + "\n" + places).hasSize(1);
            assertThat(Files.readString(file, StandardCharsets.UTF_8)).as("nothing rewrote the broken file").isEqualTo(text);
            try (var siblings = Files.list(file.getParent())) {
                assertThat(siblings.map(p -> p.getFileName().toString()).filter(name -> !name.equals("broken.json.lock")))
                        .as("no history, backup or temp file").containsExactly("broken.json");
            }
        }
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void theRustWatcher_seesEveryChangeOfAJavaWriter_inOrder() throws Exception {
        Path file = dir.resolve("watched.json");
        String uri = "json:" + file;
        int changes = 40;
        Process watcher = start(RustClient.command("watch", uri, String.valueOf(changes)), "rust-watcher");
        Processes.Result writes = run(LibraryWriter.command("distinct", uri, "w", String.valueOf(changes)));
        assertThat(writes.exitCode()).as(writes.toString()).isZero();
        String seen = finish(watcher, "rust-watcher");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            expected.add("r" + (i + 1) + " w.k" + i + " " + i);
        }
        assertThat(seen.lines().filter(line -> line.matches("r\\d+ .*")).toList()).isEqualTo(expected);
    }
}
