package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.file.Edit;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TomlSplice} writes new values into the text without parsing the file. Its promise: where it
 * takes an edit, it writes the bytes the editor would write, and the document it returns is the one
 * a full parse of those bytes gives — values, lines and value offsets — edit after edit.
 */
class TomlSpliceTest {

    private static final Path SUITE = Path.of("src/test/resources/toml-test");

    private final TomlCodec codec = new TomlCodec();

    @Test
    void splicedDocuments_equalAFullParse_andTheEditorsBytes_overGenerationsOfRandomEdits() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("hand-edited", HandEditedFileTest.ORIGINAL.getBytes(StandardCharsets.UTF_8));
        files.put("hand-edited, CRLF", HandEditedFileTest.ORIGINAL.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        files.put("with a byte order mark", ("\uFEFF" + HandEditedFileTest.ORIGINAL).getBytes(StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(SUITE.resolve("files-toml-1.0.0"))) {
            if (line.startsWith("valid/") && line.endsWith(".toml")) {
                files.put(line, Files.readAllBytes(SUITE.resolve(line)));
            }
        }
        Random random = new Random(20261126);
        int spliced = 0;
        int declined = 0;
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            TomlDocument document;
            try {
                document = codec.parse(file.getValue(), file.getKey());
            } catch (StoreBrokenException e) {
                continue; // keys Waterfall cannot name; TomlTestSuiteTest counts those
            }
            for (int generation = 0; generation < 8; generation++) {
                List<Key> scalars = document.values().entrySet().stream()
                        .filter(entry -> !(entry.getValue() instanceof ArrayValue || entry.getValue() instanceof TableValue))
                        .map(Map.Entry::getKey)
                        .toList();
                if (scalars.isEmpty()) {
                    break;
                }
                List<Edit> edits = new ArrayList<>();
                int count = 1 + random.nextInt(Math.min(3, scalars.size()));
                List<Key> chosen = new ArrayList<>(scalars);
                java.util.Collections.shuffle(chosen, random);
                for (Key key : chosen.subList(0, count)) {
                    edits.add(Edit.put(key, randomValue(random)));
                }
                String what = file.getKey() + ", generation " + generation + ", " + edits;
                TomlDocument next = TomlSplice.apply(document, edits);
                byte[] viaEditor = codec.edit(codec.parse(TomlSplice.bytes(document), what), edits);
                if (next == null) {
                    declined++;
                    document = codec.parse(viaEditor, what);
                    continue;
                }
                spliced++;
                byte[] bytes = TomlSplice.bytes(next);
                assertThat(new String(bytes, StandardCharsets.UTF_8)).as(what).isEqualTo(new String(viaEditor, StandardCharsets.UTF_8));
                TomlDocument parsed = codec.parse(bytes, what);
                assertThat(next.values()).as(what).containsExactlyEntriesOf(parsed.values());
                assertThat(next.lines()).as(what).isEqualTo(parsed.lines());
                assertThat(next.valueStarts()).as(what).isEqualTo(parsed.valueStarts());
                document = next;
            }
        }
        assertThat(spliced).as("edits written by splicing (declined: %d)", declined).isGreaterThan(500);
        assertThat(declined).as("edits left to the editor").isPositive();
    }

    @Test
    void notationsTheEditorKeeps_andValuesOverSeveralLines_areLeftToTheEditor() {
        String text = """
                hex = 0xff
                grouped = 1_000
                plus = +5
                literal = 'C:\\temp'
                multi = \"""
                two
                lines\"""
                items = [1, 2]
                inline = { a = 1, b = "x" }
                plain = 5 # a comment
                """;
        TomlDocument document = codec.parse(text.getBytes(StandardCharsets.UTF_8), "notations");
        for (String key : List.of("hex", "grouped", "plus", "literal", "multi", "items", "inline.a", "inline.b")) {
            assertThat(TomlSplice.apply(document, List.of(Edit.put(Key.of(key), Value.of(7))))).as(key).isNull();
        }
        assertThat(TomlSplice.apply(document, List.of(Edit.remove(Key.of("plain"))))).isNull();
        assertThat(TomlSplice.apply(document, List.of(Edit.put(Key.of("added"), Value.of(1))))).isNull();
        assertThat(TomlSplice.apply(document, List.of(Edit.put(Key.of("plain"), Value.parseJson("[1]"))))).isNull();

        TomlDocument spliced = TomlSplice.apply(document, List.of(Edit.put(Key.of("plain"), Value.of("x \"y\" #z"))));
        assertThat(spliced).isNotNull();
        assertThat(spliced.text()).endsWith("plain = \"x \\\"y\\\" #z\" # a comment\n");
    }

    /** Scalars of every TOML type, with the characters that need escapes and the numbers that need care. */
    private Value randomValue(Random random) {
        while (true) {
            Value value = switch (random.nextInt(7)) {
                case 0, 1 -> Value.of(randomText(random));
                case 2 -> Value.of(random.nextBoolean() ? random.nextInt(2000) - 1000 : random.nextLong());
                case 3 -> new NumberValue(List.of("1.50", "-0.0", "3.14159", "1e10", "6.02e+23", "-2.5E-3", "0.1000000000000000000000000000001",
                        "inf", "-inf", "nan", "12345678901234567890", "1.0").get(random.nextInt(12)));
                case 4 -> Value.of(random.nextBoolean());
                case 5 -> DateTimeValue.of(List.of(
                        OffsetDateTime.of(1979, 5, 27, 7, 32, 0, 999_000_000, ZoneOffset.ofHours(-7)),
                        LocalDateTime.of(2026, 11, 26, 12, 0),
                        LocalDate.of(2000, 2, 29),
                        LocalTime.of(23, 59, 59, 500_000_000)).get(random.nextInt(4)));
                default -> NullValue.INSTANCE;
            };
            try {
                return codec.normalize(value);
            } catch (InvalidValueException e) {
                // TOML cannot hold it (null, an integer beyond 64 bits): another one
            }
        }
    }

    private static String randomText(Random random) {
        String[] pieces = {"a", "Z", " ", "\"", "\\", "'", "#", "=", "\t", "\u0001", "\u007f", "é", "😀", "[", "]", "{", "}", "\\n", "\n", "\r"};
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(10); i > 0; i--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }
}
