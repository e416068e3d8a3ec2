package dev.waterfall.config.binding;

import dev.waterfall.config.ConfigChange;
import dev.waterfall.config.Key;
import dev.waterfall.config.Live;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Watch;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opening examples of docs/java.md, run: typed settings with {@code bind}, live settings that
 * follow every writer, and a watch of the resolved keys. Each block between {@code // example:NAME}
 * and {@code // example:end} is on the page exactly.
 */
class JavaPageTest {

    // example:java-settings
    public record Server(String host, int port, Duration timeout) { }  // a record, a @JsonCreator class or a bean
    // example:end

    @TempDir
    Path home;

    private Waterfall config;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream console = System.out;

    @BeforeEach
    void open() throws IOException {
        Path defaults = home.resolve("defaults.json");
        Files.writeString(defaults, "{\n  \"server\": {\"host\": \"localhost\", \"port\": 8080, \"timeout\": \"30s\"}\n}\n");
        config = Waterfall.builder("pipeline").environment(Map.of("PIPELINE_SERVER_TIMEOUT", "1m")).home(home)
                .identity(new ProcessIdentity("tester", "host", 1)).store("json:" + home.resolve("config.json"))
                .defaultsFile(defaults).open();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        System.setOut(console);
        config.close();
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void example_bind() {
        config.set("server.port", Value.of(8081));
        // example:java-bind
        Server server = config.bind("server", Server.class);  // each leaf from the layer that wins
        System.out.println(server);          // Server[host=localhost, port=8081, timeout=PT1M]
        // example:end
        assertThat(printed()).isEqualTo("Server[host=localhost, port=8081, timeout=PT1M]\n");
    }

    @Test
    void example_live() throws InterruptedException {
        // example:java-live
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        try (Live<Server> server = config.live("server", Server.class)) {  // follows every writer
            server.subscribe((old, next) -> events.add("port " + old.port() + " -> " + next.port()),
                    problem -> events.add(problem.getMessage()));  // a bad value: get() keeps the last good one
            config.set("server.port", Value.of(9090));             // or `waterfall set`, another program, Python
            System.out.println(events.poll(10, TimeUnit.SECONDS)); // port 8080 -> 9090
            config.store().set(Key.of("server.port"), Value.of("80a"));  // a bare store write: no schema stops it
            System.out.println(events.poll(10, TimeUnit.SECONDS)); // cannot bind server to Server: 1 problem
                                                                   //   server.port: expected an integer …, got "80a" from store json:…:3
            System.out.println(server.get().port());               // 9090, the last valid Server
        }
        // example:end
        assertThat(printed()).matches("(?s)port 8080 -> 9090\ncannot bind server to Server: 1 problem\n"
                + "  server\\.port: expected an integer.*, got \"80a\" from store json:" + home.resolve("config.json") + ":3\n9090\n");
    }

    @Test
    void example_watch() throws InterruptedException {
        // example:java-watch
        BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
        try (Watch watch = config.watch("server", changes::add)) {  // one call per commit, whichever layer changed
            config.set("server.host", Value.of("example.org"));
            for (ConfigChange.KeyChange change : changes.poll(10, TimeUnit.SECONDS).changes()) {
                System.out.println(change);  // server.host: "localhost" (defaults …/defaults.json:2) -> "example.org" (store json:…/config.json:3)
            }
        }
        // example:end
        assertThat(printed()).isEqualTo("server.host: \"localhost\" (defaults " + home.resolve("defaults.json") + ":2) -> \"example.org\" (store json:"
                + home.resolve("config.json") + ":3)\n");
    }

    @Test
    void docs_showExactlyTheseExamples() {
        DocExamples.assertShown(JavaPageTest.class, "java-settings", "java-bind", "java-live", "java-watch");
    }
}
