package dev.waterfall.json;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java examples of README.md and docs/java.md, run. Each example is the code between
 * {@code // example:NAME} and {@code // example:end} below, and a page must show exactly that code
 * (de-indented) as a whole block ({@link DocExamples#assertShown}), so the documentation cannot
 * drift from what works.
 */
class ReadmeLibraryExamplesTest {

    @TempDir
    Path home;

    private Waterfall open() {
        return Waterfall.builder("pipeline").environment(Map.of("PIPELINE_PLANT_SITE", "greenhouse")).home(home)
                .defaultsResource(ReadmeLibraryExamplesTest.class, "/shipped-defaults.json").open();
    }

    @Test
    void example_frontPage() {
        Path file = home.resolve("pipeline/config.json");
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            // example:front-page
            try (Waterfall config = Waterfall.builder("pipeline").store("json:" + file).open()) {  // default: ~/.config/pipeline/config.json
                config.set("server.port", Value.of(8080));                       // locked, merged, atomic, durable when it returns
                Resolved port = config.get("server.port").orElseThrow();         // environment > store > system file > defaults
                System.out.println(port.asLong() + " from " + port.origin());    // 8080 from store json:/…/config.json:3
            }
            // example:end
        } finally {
            System.setOut(console);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("8080 from store json:" + file + ":3\n");
    }

    @Test
    void example_openAndRead() {
        // example:open-and-read
        try (Waterfall config = Waterfall.builder("pipeline")          // app name: ~/.config/pipeline/, PIPELINE_* variables
                .defaultsResource(ReadmeLibraryExamplesTest.class, "/shipped-defaults.json")
                .surface("gui")                                          // recorded with every write
                .open()) {
            Resolved name = config.get("plant.default_name").orElseThrow();
            System.out.println(name.asText() + " from " + name.origin());    // Basil from defaults jar:…/shipped-defaults.json:3
            long days = config.get("plant.watering_days").orElseThrow().asLong();
        }
        // example:end
    }

    @Test
    void example_write() {
        try (Waterfall config = open()) {
            // example:write
            WriteResult result = config.set("plant.default_name", Value.of("Rosemary"));  // durable when it returns
            result.warnings().forEach(System.err::println);             // e.g. "PIPELINE_PLANT_DEFAULT_NAME ... overrides"
            config.set("plant.tags", Value.parseJson("[\"herb\", \"sun\"]"));
            config.unset("plant.default_name");                         // the default shows through again
            // example:end
            assertThat(config.get("plant.tags")).map(Resolved::value).contains(Value.parseJson("[\"herb\", \"sun\"]"));
            assertThat(config.get("plant.default_name")).map(Resolved::asText).contains("Basil");
        }
    }

    @Test
    void example_batch() {
        try (Waterfall config = open()) {
            // example:batch
            ConfigStore store = config.store();
            store.apply(List.of(                                         // all or nothing, one revision
                    Change.set(Key.of("sync.last_run"), Value.of("2026-11-26T07:00:00Z")),
                    Change.set(Key.of("sync.count"), Value.of(42)),
                    Change.unset(Key.of("sync.error"))));
            // example:end
            assertThat(store.get(Key.of("sync.count"))).map(Entry::value).contains(Value.of(42));
        }
    }

    @Test
    void example_compareAndSet() {
        try (Waterfall config = open()) {
            ConfigStore store = config.store();
            // example:compare-and-set
            Key counter = Key.of("stats.launches");
            while (true) {                                               // safe against every other process
                Entry current = store.get(counter).orElse(null);
                long seen = current == null ? Change.ABSENT : current.revision();
                long next = current == null ? 1 : ((NumberValue) current.value()).longValueExact() + 1;
                try {
                    store.compareAndSet(counter, seen, Value.of(next));
                    break;
                } catch (RevisionConflictException lost) {
                    // another writer changed it in between: read again and retry
                }
            }
            // example:end
            assertThat(store.get(counter)).map(Entry::value).contains(Value.of(1));
        }
    }

    @Test
    void example_explain() {
        try (Waterfall config = open()) {
            // example:explain
            Explanation why = config.explain("plant.site");
            System.out.println("override with " + why.envVariable());      // override with PIPELINE_PLANT_SITE
            for (Explanation.LayerValue layer : why.layers()) {
                System.out.println(layer.layer().label() + " " + layer.source() + " " + layer.value().map(Value::toJson).orElse("-"));
            }
            // example:end
            assertThat(why.envVariable()).isEqualTo("PIPELINE_PLANT_SITE");
            assertThat(why.winner()).map(Resolved::asText).contains("greenhouse");
        }
    }

    @Test
    void example_watch() throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (Waterfall config = open()) {
            // example:watch
            BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
            try (AutoCloseable watch = config.store().watch(events::add)) {   // every commit, by any process
                config.set("ui.theme", Value.of("dark"));
                StoreEvent event = events.poll(10, TimeUnit.SECONDS);         // at once for a file store: the file system tells
                System.out.println("now at r" + event.revision());            // now at r1
            }
            // example:end
        } finally {
            System.setOut(console);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEqualTo("now at r1\n");
    }

    @Test
    void docs_showExactlyTheseExamples() {
        DocExamples.assertShown(ReadmeLibraryExamplesTest.class,
                "front-page", "open-and-read", "write", "batch", "compare-and-set", "explain", "watch");
    }
}
