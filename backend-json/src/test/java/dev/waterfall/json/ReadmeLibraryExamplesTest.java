package dev.waterfall.json;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Java examples, run. Each example is the code between {@code // readme:NAME} and
 * {@code // readme:end} below, and the README must show exactly that code (de-indented), so the
 * documentation cannot drift from what works.
 */
class ReadmeLibraryExamplesTest {

    @TempDir
    Path home;

    private Waterfall open() {
        return Waterfall.builder("pipeline").environment(Map.of("PIPELINE_PLANT_SITE", "greenhouse")).home(home)
                .defaultsResource(ReadmeLibraryExamplesTest.class, "/shipped-defaults.json").open();
    }

    @Test
    void example_openAndRead() {
        // readme:open-and-read
        try (Waterfall config = Waterfall.builder("pipeline")          // app name: ~/.config/pipeline/, PIPELINE_* variables
                .defaultsResource(ReadmeLibraryExamplesTest.class, "/shipped-defaults.json")
                .surface("gui")                                          // recorded with every write
                .open()) {
            Resolved name = config.get("plant.default_name").orElseThrow();
            System.out.println(name.asText() + " from " + name.origin());    // Basil from defaults jar:…/shipped-defaults.json:3
            long days = config.get("plant.watering_days").orElseThrow().asLong();
        }
        // readme:end
    }

    @Test
    void example_write() {
        try (Waterfall config = open()) {
            // readme:write
            WriteResult result = config.set("plant.default_name", Value.of("Rosemary"));  // durable when it returns
            result.warnings().forEach(System.err::println);             // e.g. "PIPELINE_PLANT_DEFAULT_NAME ... overrides"
            config.set("plant.tags", Value.parseJson("[\"herb\", \"sun\"]"));
            config.unset("plant.default_name");                         // the default shows through again
            // readme:end
            assertThat(config.get("plant.tags")).map(Resolved::value).contains(Value.parseJson("[\"herb\", \"sun\"]"));
            assertThat(config.get("plant.default_name")).map(Resolved::asText).contains("Basil");
        }
    }

    @Test
    void example_batch() {
        try (Waterfall config = open()) {
            // readme:batch
            ConfigStore store = config.store();
            store.apply(List.of(                                         // all or nothing, one revision
                    Change.set(Key.of("sync.last_run"), Value.of("2026-11-26T07:00:00Z")),
                    Change.set(Key.of("sync.count"), Value.of(42)),
                    Change.unset(Key.of("sync.error"))));
            // readme:end
            assertThat(store.get(Key.of("sync.count"))).map(Entry::value).contains(Value.of(42));
        }
    }

    @Test
    void example_compareAndSet() {
        try (Waterfall config = open()) {
            ConfigStore store = config.store();
            // readme:compare-and-set
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
            // readme:end
            assertThat(store.get(counter)).map(Entry::value).contains(Value.of(1));
        }
    }

    @Test
    void example_explain() {
        try (Waterfall config = open()) {
            // readme:explain
            Explanation why = config.explain("plant.site");
            System.out.println("override with " + why.envVariable());      // override with PIPELINE_PLANT_SITE
            for (Explanation.LayerValue layer : why.layers()) {
                System.out.println(layer.layer().label() + " " + layer.source() + " " + layer.value().map(Value::toJson).orElse("-"));
            }
            // readme:end
            assertThat(why.envVariable()).isEqualTo("PIPELINE_PLANT_SITE");
            assertThat(why.winner()).map(Resolved::asText).contains("greenhouse");
        }
    }

    @Test
    void readme_showsExactlyTheseExamples() throws IOException {
        String source = Files.readString(Path.of(System.getProperty("waterfall.repo.dir", ".."))
                .resolve("backend-json/src/test/java/dev/waterfall/json/ReadmeLibraryExamplesTest.java"), StandardCharsets.UTF_8);
        String readme = Files.readString(Path.of(System.getProperty("waterfall.repo.dir", "..")).resolve("README.md"), StandardCharsets.UTF_8);
        Matcher matcher = Pattern.compile("// readme:([a-z-]+)\\n(.*?)\\n\\s*// readme:end", Pattern.DOTALL).matcher(source);
        List<String> names = new ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
            String example = dedent(matcher.group(2));
            assertThat(readme).as("README.md shows example " + matcher.group(1) + " exactly as tested").contains(example);
        }
        assertThat(names).containsExactly("open-and-read", "write", "batch", "compare-and-set", "explain");
    }

    static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        return out.toString();
    }
}
