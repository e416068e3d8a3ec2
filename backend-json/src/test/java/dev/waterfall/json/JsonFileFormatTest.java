package dev.waterfall.json;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the JSON store's file looks like: a person can read it, and what a person arranged stays
 * arranged.
 */
class JsonFileFormatTest {

    @TempDir
    Path dir;

    private ContractWorld world;
    private Path file;
    private ConfigStore store;

    @BeforeEach
    void open() {
        world = new ContractWorld(dir);
        file = dir.resolve("config.json");
        store = world.open("json:" + file).store();
    }

    @AfterEach
    void close() {
        world.close();
    }

    private String text() throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void aLoneSurrogateInTheFile_isRefusedWithLineAndColumn_andNoWriteChangesTheFile() throws IOException {
        String content = "{\n  \"a\": \"x\\udc00\",\n  \"b\": 1\n}\n";
        Files.writeString(file, content, StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store.get(Key.of("a")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(file + ":2:8")
                .hasMessageContaining("lone UTF-16 surrogate U+DC00");
        assertThatThrownBy(() -> store.set(Key.of("b"), Value.of(2))).isInstanceOf(StoreBrokenException.class);

        assertThat(text()).isEqualTo(content); // before: read as "x?" and the write of b stored "x?" for good
    }

    @Test
    void set_writesPrettyJsonNestedByKeyPath() throws IOException {
        store.set(Key.of("plant.default_name"), Value.of("Rosemary"));
        store.set(Key.of("plant.site"), Value.of(7));
        store.set(Key.of("ports"), Value.parseJson("[8080, 8081]"));
        store.set(Key.of("empty"), Value.parseJson("[]"));

        assertThat(text()).isEqualTo("""
                {
                  "plant": {
                    "default_name": "Rosemary",
                    "site": 7
                  },
                  "ports": [8080, 8081],
                  "empty": []
                }
                """);
    }

    @Test
    void set_keepsTheOrderAPersonChose_andAppendsNewKeys() throws IOException {
        Files.writeString(file, """
                {"zeta": 1, "alpha": {"y": 2, "b": 3}, "middle": true}
                """);

        store.set(Key.of("alpha.b"), Value.of(30));
        store.set(Key.of("alpha.new"), Value.of("n"));
        store.set(Key.of("aaa"), Value.of(0));

        assertThat(text()).isEqualTo("""
                {
                  "zeta": 1,
                  "alpha": {
                    "y": 2,
                    "b": 30,
                    "new": "n"
                  },
                  "middle": true,
                  "aaa": 0
                }
                """);
    }

    @Test
    void set_keepsTheFilesIndentationAndLineEndings() throws IOException {
        Files.writeString(file, "{\r\n\t\"a\": {\r\n\t\t\"b\": 1\r\n\t}\r\n}\r\n");

        store.set(Key.of("a.c"), Value.of(2));

        assertThat(text()).isEqualTo("{\r\n\t\"a\": {\r\n\t\t\"b\": 1,\r\n\t\t\"c\": 2\r\n\t}\r\n}\r\n");
    }

    @Test
    void set_keepsFourSpaceIndentation() throws IOException {
        Files.writeString(file, "{\n    \"a\": 1\n}\n");

        store.set(Key.of("b.c"), Value.of(2));

        assertThat(text()).isEqualTo("{\n    \"a\": 1,\n    \"b\": {\n        \"c\": 2\n    }\n}\n");
    }

    @Test
    void unset_removesTheKeyAndTheObjectsOnlyItFilled_butKeepsAPersonsEmptyObjects() throws IOException {
        Files.writeString(file, """
                {"plugins": {}, "a": {"b": {"c": 1}}, "d": 2}
                """);

        store.unset(Key.of("a.b.c"));

        assertThat(text()).isEqualTo("""
                {
                  "plugins": {},
                  "d": 2
                }
                """);
    }

    @Test
    void numbers_keepTheirExactLiteral() throws IOException {
        store.set(Key.of("price"), new NumberValue("1.50"));
        store.set(Key.of("huge"), new NumberValue("123456789012345678901234567890"));
        store.set(Key.of("tiny"), new NumberValue("1e-30"));

        assertThat(text()).contains("\"price\": 1.50").contains("\"huge\": 123456789012345678901234567890").contains("\"tiny\": 1e-30");
    }

    @Test
    void dateTimes_becomeTheirIsoText() throws IOException {
        Entry entry = store.set(Key.of("since"), DateTimeValue.of(LocalDate.parse("2026-11-26")));

        assertThat(entry.value()).isEqualTo(Value.of("2026-11-26"));
        assertThat(text()).contains("\"since\": \"2026-11-26\"");
    }

    @Test
    void strings_areReadableUnicode_withControlCharactersEscaped() throws IOException {
        store.set(Key.of("s"), Value.of("Grüße \"quoted\"\n\u0001"));

        assertThat(text()).contains("\"s\": \"Grüße \\\"quoted\\\"\\n\\u0001\"");
    }

    @Test
    void longArrays_andArraysOfTables_goOnePerLine() throws IOException {
        store.set(Key.of("servers"), Value.parseJson("[{\"host\": \"a\", \"port\": 1}, {\"host\": \"b\"}]"));

        assertThat(text()).isEqualTo("""
                {
                  "servers": [
                    {
                      "host": "a",
                      "port": 1
                    },
                    {
                      "host": "b"
                    }
                  ]
                }
                """);
    }

    /**
     * The codec hands the kernel the document it rendered instead of parsing its own output; this
     * proves the two agree. Random batches of random values go through the store, and after each
     * one a fresh instance (which must parse the file) sees exactly the entries, lines included,
     * that the writing instance holds.
     */
    @Test
    void renderedDocument_equalsAFreshParse_onRandomDocuments() {
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 300; round++) {
            List<Change> batch = new ArrayList<>();
            for (int i = random.nextInt(5) + 1; i > 0; i--) {
                Key key = randomKey(random);
                batch.add(random.nextInt(6) == 0 ? Change.unset(key) : Change.set(key, randomValue(random, 0)));
            }
            try {
                store.apply(batch);
            } catch (dev.waterfall.config.KeyConflictException e) {
                continue; // random keys collide now and then; the rule is tested elsewhere
            }
            Snapshot written = store.snapshot();
            Snapshot parsed = world.open("json:" + file).store().snapshot();
            assertThat(parsed.entries()).as("round " + round).isEqualTo(written.entries());
        }
        assertThat(store.snapshot().size()).isGreaterThan(20);
    }

    /**
     * An edit renders only the objects on its keys' paths and reuses the text of the rest from the
     * previous edit. Chained random edits (on a tab-indented CRLF file) must give exactly the bytes
     * of a full rendering of the parsed previous file, and lines that a parse agrees with.
     */
    @Test
    void incrementalRendering_writesTheBytesOfAFullRendering() {
        JsonCodec codec = new JsonCodec();
        java.util.Random random = new java.util.Random(7);
        byte[] bytes = "{\r\n\t\"plant\": {\r\n\t\t\"name\": \"Rosemary\",\r\n\t\t\"left\": {}\r\n\t}\r\n}\r\n".getBytes(StandardCharsets.UTF_8);
        JsonCodec.JsonDocument chained = codec.parse(bytes, "test");
        int reused = 0;
        for (int round = 0; round < 400; round++) {
            List<dev.waterfall.file.Edit> edits = new ArrayList<>();
            for (int i = random.nextInt(4) + 1; i > 0; i--) {
                Key key = randomKey(random);
                edits.add(random.nextInt(5) == 0 ? dev.waterfall.file.Edit.remove(key) : dev.waterfall.file.Edit.put(key, randomValue(random, 0)));
            }
            dev.waterfall.file.DocumentCodec.Edited incremental = codec.editWithDocument(chained, edits);
            dev.waterfall.file.DocumentCodec.Edited full = codec.editWithDocument(codec.parse(bytes, "test"), edits);
            assertThat(new String(incremental.bytes(), StandardCharsets.UTF_8)).as("round " + round)
                    .isEqualTo(new String(full.bytes(), StandardCharsets.UTF_8));

            JsonCodec.JsonDocument written = (JsonCodec.JsonDocument) incremental.document();
            JsonCodec.JsonDocument reparsed = codec.parse(incremental.bytes(), "test");
            assertThat(written.values()).as("round " + round).isEqualTo(reparsed.values());
            for (Key key : reparsed.values().keySet()) {
                assertThat(written.line(key)).as("round " + round + ": line of " + key).isEqualTo(reparsed.line(key));
            }
            // The changes found by comparing only the objects the two trees do not share are the
            // ones a comparison of every leaf finds.
            JsonCodec.JsonDocument previous = chained;
            dev.waterfall.file.Document everyLeaf = new dev.waterfall.file.Document() {
                @Override
                public java.util.Map<Key, Value> values() {
                    return reparsed.values();
                }

                @Override
                public int line(Key key) {
                    return 0;
                }
            };
            assertThat(written.changesFrom(previous)).as("round " + round).isEqualTo(everyLeaf.changesFrom(codec.parse(bytes, "test")));
            for (Object object : written.chunks.keySet()) {
                reused += chained.chunks.get(object) == written.chunks.get(object) ? 1 : 0;
            }
            chained = written;
            bytes = incremental.bytes();
        }
        assertThat(chained.values().size()).isGreaterThan(10);
        assertThat(reused).as("objects whose text was reused").isGreaterThan(400);
    }

    private static Key randomKey(java.util.Random random) {
        String[] names = {"a", "b", "c", "plant", "x-y", "n_1", "deep"};
        StringBuilder key = new StringBuilder(names[random.nextInt(names.length)]);
        for (int depth = random.nextInt(3); depth > 0; depth--) {
            key.append('.').append(names[random.nextInt(names.length)]);
        }
        return Key.of(key.toString());
    }

    private static Value randomValue(java.util.Random random, int depth) {
        int kind = random.nextInt(depth > 2 ? 5 : 7);
        return switch (kind) {
            case 0 -> Value.of(randomText(random));
            case 1 -> new NumberValue(List.of("0", "-0", "42", "-7", "1.50", "6.02e23", "-1E-9", "123456789012345678901234567890").get(random.nextInt(8)));
            case 2 -> Value.of(random.nextBoolean());
            case 3 -> Value.nullValue();
            case 4 -> Value.of(random.nextInt(1000) - 500);
            case 5 -> {
                List<Value> items = new ArrayList<>();
                for (int i = random.nextInt(depth > 1 ? 3 : 12); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                yield new ArrayValue(items);
            }
            default -> {
                java.util.Map<String, Value> members = new java.util.LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.put(randomText(random), randomValue(random, depth + 1));
                }
                yield ArrayValue.of(new TableValue(members));
            }
        };
    }

    private static String randomText(java.util.Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int pick = random.nextInt(10);
            if (pick < 5) {
                text.append((char) ('a' + random.nextInt(26)));
            } else if (pick == 5) {
                text.append("\"\\\n\t\r\b\f/".charAt(random.nextInt(8)));
            } else if (pick == 6) {
                text.append((char) random.nextInt(0x20));
            } else if (pick == 7) {
                text.appendCodePoint(0x80 + random.nextInt(0x7f80));
            } else if (pick == 8) {
                text.appendCodePoint(0x1F300 + random.nextInt(0x300));
            } else {
                text.append(' ');
            }
        }
        return text.toString();
    }

    @Test
    void entries_knowTheirLine() {
        store.set(Key.of("a.b"), Value.of(1));
        store.set(Key.of("c"), Value.of(2));

        assertThat(store.get(Key.of("a.b")).orElseThrow().line()).isEqualTo(3);
        assertThat(store.get(Key.of("c")).orElseThrow().line()).isEqualTo(5);
    }

    @Test
    void aBrokenFile_namesPathLineColumnAndAHint() throws IOException {
        Files.writeString(file, "{\n  \"a\": 1,\n  \"b\": 2,\n}\n");

        assertThatThrownBy(() -> store.get(Key.of("a")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageStartingWith(file + ":4:1: not valid JSON")
                .hasMessageContaining("trailing comma");
    }

    @Test
    void aMemberThatIsNotAKey_namesItsPathAndTheRule() throws IOException {
        Files.writeString(file, "{\n  \"plant\": {\n    \"default name " + "x".repeat(300) + "\": 1\n  }\n}\n");

        assertThatThrownBy(() -> store.get(Key.of("a")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining(file + ":3:5:")
                .hasMessageContaining("\"default name x")
                .hasMessageContaining("in plant")
                .hasMessageContaining("characters long")
                .hasMessageContaining("rename it");
    }

    @Test
    void aMemberOutsideTheBareRule_isAQuotedSegment() throws IOException {
        Files.writeString(file, "{\n  \"plant\": {\n    \"default name\": 1\n  }\n}\n");

        assertThat(store.get(Key.of("plant.'default name'")).orElseThrow().line()).isEqualTo(3);
    }
}
