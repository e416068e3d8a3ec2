package dev.waterfall.file;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.spi.Services;
import dev.waterfall.config.spi.StoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kernel checks every file a codec produces before it replaces the old one: a writer bug is an
 * error and the file on disk stays as it was. Each case here is a codec that gets one thing wrong,
 * either in the bytes (which the kernel parses) or in the document it hands over with them.
 */
class WriteCheckTest {

    @TempDir
    Path dir;

    private final Services services = new Services();

    @AfterEach
    void close() {
        services.close();
    }

    /** A lines codec whose output goes through {@code fault}; with {@code ownDocument} it hands the kernel the document it meant to write. */
    private FileStore open(UnaryOperator<Map<Key, Value>> fault, boolean ownDocument) {
        DocumentCodec codec = new DocumentCodec() {
            private final LinesCodec lines = new LinesCodec();

            @Override
            public String formatName() {
                return "faulty lines";
            }

            @Override
            public String extension() {
                return "lines";
            }

            @Override
            public Document parse(byte[] content, String source) {
                return lines.parse(content, source);
            }

            @Override
            public byte[] edit(Document current, List<Edit> edits) {
                return editWithDocument(current, edits).bytes();
            }

            @Override
            public Edited editWithDocument(Document current, List<Edit> edits) {
                Map<Key, Value> values = new LinkedHashMap<>(current == null ? Map.of() : current.values());
                for (Edit edit : edits) {
                    if (edit.isRemove()) {
                        values.remove(edit.key());
                    } else {
                        values.put(edit.key(), edit.value().get());
                    }
                }
                Map<Key, Value> written = fault.apply(values);
                StringBuilder out = new StringBuilder();
                written.forEach((key, value) -> out.append(key).append('=').append(value.toJson()).append('\n'));
                byte[] bytes = out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                return new Edited(bytes, ownDocument ? lines.parse(bytes, "written") : null);
            }
        };
        StoreContext context = new StoreContext("kernel", new Actor("test", "u", "h", 1), Clock.systemUTC(), Map.of(), dir, services);
        return FileStore.open(dir.resolve("data.lines"), codec, context, new FileStore.Options(3, Duration.ofSeconds(30), 1 << 20));
    }

    private static final UnaryOperator<Map<Key, Value>> CORRECT = values -> values;

    private static UnaryOperator<Map<Key, Value>> dropping(String key) {
        return values -> {
            Map<Key, Value> copy = new LinkedHashMap<>(values);
            copy.remove(Key.of(key));
            return copy;
        };
    }

    private static UnaryOperator<Map<Key, Value>> changing(String key, Value to) {
        return values -> {
            Map<Key, Value> copy = new LinkedHashMap<>(values);
            copy.put(Key.of(key), to);
            return copy;
        };
    }

    private void seed() {
        FileStore good = open(CORRECT, false);
        good.set(Key.of("kept.a"), Value.of(1));
        good.set(Key.of("kept.b"), Value.of("two"));
    }

    private void assertRefusedAndUnchanged(FileStore faulty, String expected) throws IOException {
        byte[] before = Files.readAllBytes(dir.resolve("data.lines"));
        assertThatThrownBy(() -> faulty.set(Key.of("edited"), Value.of(3)))
                .isInstanceOf(WaterfallException.class)
                .hasMessageContaining("internal error")
                .hasMessageContaining(expected)
                .hasMessageContaining("nothing was written");
        assertThat(Files.readAllBytes(dir.resolve("data.lines"))).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(path -> path.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
        assertThat(open(CORRECT, false).get(Key.of("edited"))).isEmpty();
    }

    @Test
    void aWriterThatDropsAnotherKey_isRefused() throws IOException {
        seed();
        assertRefusedAndUnchanged(open(dropping("kept.a"), false), "kept.a reads back as null instead of 1");
        assertRefusedAndUnchanged(open(dropping("kept.a"), true), "kept.a reads back as null instead of 1");
    }

    @Test
    void aWriterThatChangesAnotherKey_isRefused() throws IOException {
        seed();
        assertRefusedAndUnchanged(open(changing("kept.b", Value.of("owt")), false), "kept.b reads back as \"owt\" instead of \"two\"");
        assertRefusedAndUnchanged(open(changing("kept.b", Value.of("owt")), true), "kept.b reads back as \"owt\" instead of \"two\"");
    }

    @Test
    void aWriterThatWritesTheWrongValue_isRefused() throws IOException {
        seed();
        assertRefusedAndUnchanged(open(changing("edited", Value.of(4)), false), "edited reads back as 4 instead of 3");
        assertRefusedAndUnchanged(open(changing("edited", Value.of(4)), true), "edited reads back as 4 instead of 3");
    }

    @Test
    void aWriterThatAddsAKey_isRefused() throws IOException {
        seed();
        assertRefusedAndUnchanged(open(changing("stray", Value.of(true)), true), "stray reads back as true instead of null");
    }

    @Test
    void aCorrectWriter_writes() {
        seed();
        FileStore store = open(CORRECT, true);
        store.set(Key.of("edited"), Value.of(3));
        assertThat(open(CORRECT, false).get(Key.of("edited")).orElseThrow().value()).isEqualTo(Value.of(3));
    }
}
