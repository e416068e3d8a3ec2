package dev.waterfall.config.binding;

import dev.waterfall.config.ConfigChange;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Live;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Watch;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.contract.ChildWriter;
import dev.waterfall.contract.DocExamples;
import dev.waterfall.contract.JavaProcess;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live values follow every writer: another JVM through each store kind, a Python script following
 * docs/protocol.md, a PostgreSQL writer in another process, hand edits of the system and defaults
 * files. Waits are generous and bounded (a queue polled with a timeout); nothing is timed.
 */
class LiveTest {

    public record Server(String host, @Min(1) @Max(65535) int port) { }

    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path home;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    private Waterfall open(String store) throws IOException {
        Path defaults = home.resolve("defaults.json");
        if (!Files.exists(defaults)) {
            Files.writeString(defaults, "{\"server\": {\"host\": \"localhost\", \"port\": 8080}}\n");
        }
        Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(home)
                .identity(new ProcessIdentity("tester", "host", 1)).store(store)
                .systemFile(home.resolve("system.json")).defaultsFile(defaults).open();
        opened.add(config);
        return config;
    }

    /** Runs the test's writer JVM ({@link ChildWriter}) and waits for it to finish. */
    private static void childSet(String uri, String key, String json) throws Exception {
        Process process = JavaProcess.start(ChildWriter.class, "set", uri, key, json);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(item).as("nothing arrived within " + WAIT_SECONDS + " s").isNotNull();
        return item;
    }

    private String storeUri(String kind) {
        return switch (kind) {
            case "json" -> "json:" + home.resolve("config.json");
            case "toml" -> "toml:" + home.resolve("config.toml");
            case "ndjson" -> "ndjson:" + home.resolve("config.ndjson");
            case "sqlite" -> "sqlite:" + home.resolve("config.db") + "?namespace=live";  // one namespace for the test and its writer, whose app names differ
            case "postgresql" -> postgresUri();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static String postgresUri() {
        String base = System.getenv("WATERFALL_TEST_PG_URL");
        base = base == null || base.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : base.strip();
        return base + (base.contains("?") ? "&" : "?") + "namespace=live-" + UUID.randomUUID();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"json", "toml", "ndjson", "sqlite", "postgresql"})
    void live_followsAWriterInAnotherProcess_andKeepsTheLastValidValueThroughAnInvalidOne(String kind) throws Exception {
        String uri = storeUri(kind);
        Waterfall config = open(uri);
        Live<Server> server = Binder.of(config).live("server", Server.class);
        opened.add(server);
        BlockingQueue<Server> values = new LinkedBlockingQueue<>();
        BlockingQueue<WaterfallException> problems = new LinkedBlockingQueue<>();
        server.subscribe((old, next) -> values.add(next), problems::add);
        assertThat(server.get()).isEqualTo(new Server("localhost", 8080));

        // Three commits in quick succession from one writer process: each is seen on its own, in order,
        // even when the store's notifications coalesce them (the commits between are rebuilt from history).
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        server.subscribe((old, next) -> seen.add("port " + next.port()), problem -> seen.add("invalid"));
        Process writer = JavaProcess.start(SetSequence.class, uri, "server.port", "9090", "server.port", "\"80a\"", "server.port", "7070");
        String output = new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(writer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).as(output).isZero();

        assertThat(next(values)).isEqualTo(new Server("localhost", 9090));
        WaterfallException problem = next(problems);
        assertThat(problem).isInstanceOf(BindingException.class);
        assertThat(problem.getMessage()).contains("server.port", "\"80a\"", "store " + config.store().location());
        assertThat(next(values)).as("the next valid change recovers").isEqualTo(new Server("localhost", 7070));
        assertThat(List.of(next(seen), next(seen), next(seen))).containsExactly("port 9090", "invalid", "port 7070");
        assertThat(server.get()).isEqualTo(new Server("localhost", 7070));
        assertThat(server.error()).isEmpty();
        assertThat(values).isEmpty();
        assertThat(problems).isEmpty();
    }

    @Test
    void live_anInvalidChange_keepsTheLastValidValueUntilTheNextValidOne() throws Exception {
        String uri = storeUri("json");
        Waterfall config = open(uri);
        Live<Server> server = Binder.of(config).live("server", Server.class);
        opened.add(server);
        BlockingQueue<WaterfallException> problems = new LinkedBlockingQueue<>();
        BlockingQueue<Server> values = new LinkedBlockingQueue<>();
        server.subscribe((old, next) -> values.add(next), problems::add);

        childSet(uri, "server.port", "70000");
        WaterfallException problem = next(problems);
        assertThat(problem.getMessage()).contains("server.port", "65535", "70000", "store " + config.store().location() + ":3");
        assertThat(server.get()).as("the last valid value stays").isEqualTo(new Server("localhost", 8080));
        assertThat(server.error()).contains(problem);

        childSet(uri, "server.host", "\"example.org\"");  // still invalid: the port
        assertThat(next(problems).getMessage()).contains("70000");
        assertThat(server.get()).isEqualTo(new Server("localhost", 8080));

        childSet(uri, "server.port", "8443");
        assertThat(next(values)).isEqualTo(new Server("example.org", 8443));
        assertThat(server.error()).isEmpty();
    }

    @Test
    void watch_storeWrittenByAnotherProcess_reportsEachCommitInOrderAndNoneForAWriteThatChangedNothing() throws Exception {
        String uri = storeUri("json");
        Waterfall config = open(uri);
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        opened.add(config.watch("w", changes::add));

        Process writer = JavaProcess.start(ChildWriter.class, "distinct", uri, "w", "20");
        assertThat(writer.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 20; i++) {
            ConfigChange change = next(changes);
            assertThat(change.changes()).as("commit %d on its own", i).hasSize(1);
            ConfigChange.KeyChange keyChange = change.changes().get(0);
            assertThat(keyChange.key().path()).isEqualTo("w.k" + i);
            assertThat(keyChange.before()).isEmpty();
            assertThat(keyChange.after().orElseThrow().value()).isEqualTo(Value.of(i));
            assertThat(keyChange.after().orElseThrow().origin().layer()).isEqualTo(Layer.STORE);
        }
        childSet(uri, "w.k3", "3");             // the value it holds: no commit, no call
        childSet(uri, "other.key", "1");        // outside the prefix: no call
        childSet(uri, "w.sentinel", "true");
        ConfigChange sentinel = next(changes);
        assertThat(sentinel.changes()).extracting(change -> change.key().path()).containsExactly("w.sentinel");
        assertThat(changes).isEmpty();
    }

    @Test
    void watch_aValueThatRefersToAnotherKey_firesWhenThatKeyChanges_inAnotherProcess() throws Exception {
        String uri = storeUri("json");
        Waterfall config = open(uri);
        config.set("app.url", Value.of("http://${server.host}:${server.port}/")); // server.* from the defaults file
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        opened.add(config.watch("app", changes::add));
        assertThat(config.get("app.url").orElseThrow().value()).isEqualTo(Value.of("http://localhost:8080/"));

        childSet(uri, "server.port", "9090"); // outside the watched prefix; only the reference ties it to app.url

        ConfigChange change = next(changes);
        assertThat(change.changes()).extracting(keyChange -> keyChange.key().path()).containsExactly("app.url");
        ConfigChange.KeyChange keyChange = change.changes().get(0);
        assertThat(keyChange.before().orElseThrow().value()).isEqualTo(Value.of("http://localhost:8080/"));
        assertThat(keyChange.after().orElseThrow().value()).isEqualTo(Value.of("http://localhost:9090/"));
        assertThat(config.raw(dev.waterfall.config.Key.of("app.url")).orElseThrow().value())
                .as("the store keeps the template").isEqualTo(Value.of("http://${server.host}:${server.port}/"));
    }

    @Test
    void watch_aCommitFromAPythonScriptFollowingTheProtocol_isReportedWithItsOrigin() throws Exception {
        Path file = home.resolve("config.json");
        Waterfall config = open("json:" + file);
        config.set("server.port", Value.of(8081));
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        opened.add(config.watch("server", changes::add));

        String script = DocExamples.code("python-protocol") + "\nimport sys\nwaterfall_set(sys.argv[1], 'server.port', 9191)\n";
        Process python = new ProcessBuilder("python3", "-c", script, file.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();

        ConfigChange.KeyChange change = next(changes).changes().get(0);
        assertThat(change.key().path()).isEqualTo("server.port");
        assertThat(change.before().orElseThrow().value()).isEqualTo(Value.of(8081));
        assertThat(change.after().orElseThrow().value()).isEqualTo(Value.of(9191));
        assertThat(change.after().orElseThrow().origin().toString()).startsWith("store json:" + file);
    }

    @Test
    void watch_handEditsOfTheSystemFileAndTheDefaultsFile_reportTheNewValueAndOrigin() throws Exception {
        Waterfall config = open(storeUri("json"));
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        BlockingQueue<WaterfallException> errors = new LinkedBlockingQueue<>();
        opened.add(config.watch("server", changes::add, errors::add));
        Path system = home.resolve("system.json");

        Files.writeString(system, "{\n  \"server\": {\n    \"port\": 8443\n  }\n}\n");   // a hand edit, in place
        ConfigChange.KeyChange change = next(changes).changes().get(0);
        assertThat(change.before().orElseThrow().origin().layer()).isEqualTo(Layer.DEFAULTS);
        assertThat(change.after().orElseThrow().value()).isEqualTo(Value.of(8443));
        assertThat(change.after().orElseThrow().origin().toString()).isEqualTo("system " + system + ":3");

        Path edited = home.resolve("defaults.json.new");                                 // an editor's save: a rename over it
        Files.writeString(edited, "{\"server\": {\"host\": \"example.org\", \"port\": 8080}}\n");
        Files.move(edited, home.resolve("defaults.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        change = next(changes).changes().get(0);
        assertThat(change.key().path()).isEqualTo("server.host");
        assertThat(change.after().orElseThrow().value()).isEqualTo(Value.of("example.org"));
        assertThat(change.after().orElseThrow().origin().layer()).isEqualTo(Layer.DEFAULTS);

        Files.writeString(system, "{\n  \"server\": \n");                                // broken: reported, nothing changes
        assertThat(next(errors).getMessage()).contains(system.toString());
        Files.writeString(system, "{\n  \"server\": {\n    \"port\": 8444\n  }\n}\n");
        change = next(changes).changes().get(0);
        assertThat(change.before().orElseThrow().value()).isEqualTo(Value.of(8443));
        assertThat(change.after().orElseThrow().value()).isEqualTo(Value.of(8444));
        assertThat(changes).isEmpty();
    }

    @Test
    void watch_aStoreWhoseFolderDoesNotExistYet_seesTheFirstWriteThatCreatesIt() throws Exception {
        Path file = home.resolve("not-yet").resolve("config.json");
        Waterfall config = open("json:" + file);
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        opened.add(config.watch("server", changes::add));
        childSet("json:" + file, "server.port", "9000");
        assertThat(next(changes).changes().get(0).after().orElseThrow().value()).isEqualTo(Value.of(9000));
        childSet("json:" + file, "server.port", "9001");   // and then watches the folder it created
        assertThat(next(changes).changes().get(0).after().orElseThrow().value()).isEqualTo(Value.of(9001));
    }

    @Test
    void watch_aListenerThatThrows_doesNotStopTheOthers() throws Exception {
        Waterfall config = open(storeUri("json"));
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        opened.add(config.watch("server", change -> {
            throw new IllegalStateException("a broken listener");
        }));
        opened.add(config.watch("server", changes::add));
        config.set("server.port", Value.of(1234));
        config.set("server.port", Value.of(1235));
        assertThat(next(changes).changes().get(0).after().orElseThrow().value()).isEqualTo(Value.of(1234));
        assertThat(next(changes).changes().get(0).after().orElseThrow().value()).isEqualTo(Value.of(1235));
    }

    @Test
    void live_fileStore_isToldByTheFileSystemAndCloseEndsEveryThread() throws Exception {
        Waterfall config = open(storeUri("json"));
        Live<Server> server = Binder.of(config).live("server", Server.class);
        assertThat(threadNames()).anyMatch(name -> name.startsWith("waterfall-files json:"))
                .anyMatch(name -> name.equals("waterfall-live pipeline"))
                .noneMatch(name -> name.startsWith("waterfall-watch")); // no polling thread
        assertThat(threadsOf(config)).allMatch(Thread::isDaemon);
        server.close();
        assertThat(threadNames()).noneMatch(name -> name.startsWith("waterfall-files") || name.startsWith("waterfall-live"));

        Live<Server> again = Binder.of(config).live("server", Server.class);
        assertThat(threadNames()).anyMatch(name -> name.equals("waterfall-live pipeline"));
        config.close();
        assertThat(threadNames()).noneMatch(name -> name.startsWith("waterfall-files") || name.startsWith("waterfall-live"));
        assertThat(again.get()).isEqualTo(new Server("localhost", 8080));
    }

    @Test
    void live_inAProgramThatClosesIt_doesNotKeepTheJvmAlive() throws Exception {
        String uri = storeUri("json");
        Process program = JavaProcess.start(LiveProgram.class, uri, home.toString());
        var reader = new java.io.BufferedReader(new java.io.InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).isEqualTo("ready");
        childSet(uri, "server.port", "9999");
        assertThat(program.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)).as("the program ended after close()").isTrue();
        assertThat(reader.readLine()).isEqualTo("Server[host=localhost, port=9999]");
        assertThat(program.exitValue()).isZero();
    }

    /** A writer process: sets each KEY to JSON in turn, one commit each, as fast as it can. */
    public static final class SetSequence {
        public static void main(String[] args) {
            try (Waterfall config = Waterfall.builder("contract").store(args[0]).environment(Map.of())
                    .home(Path.of(System.getProperty("java.io.tmpdir"))).identity(new ProcessIdentity("child", "testhost", ProcessHandle.current().pid()))
                    .surface("child").open()) {
                for (int i = 1; i + 1 < args.length; i += 2) {
                    config.store().set(dev.waterfall.config.Key.of(args[i]), Value.parseJson(args[i + 1]));
                }
            }
        }
    }

    private static List<Thread> threadsOf(Waterfall config) {
        return Thread.getAllStackTraces().keySet().stream().filter(thread -> thread.getName().startsWith("waterfall-")).toList();
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    /** A program that follows a live value until it changes once, closes it and returns from {@code main}: its JVM must end. */
    public static final class LiveProgram {
        public static void main(String[] args) throws Exception {
            Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(Path.of(args[1]))
                    .store(args[0]).defaults(Map.of("server.host", "localhost", "server.port", 8080)).open();
            Live<Server> server = Binder.of(config).live("server", Server.class);
            BlockingQueue<Server> values = new LinkedBlockingQueue<>();
            server.subscribe((old, next) -> values.add(next));
            System.out.println("ready");
            System.out.flush();
            Server changed = values.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            server.close();
            config.close();
            System.out.println(changed);
            System.out.flush();
        }
    }
}
