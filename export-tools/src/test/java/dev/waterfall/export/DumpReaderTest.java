package dev.waterfall.export;

import dev.waterfall.config.Actor;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.export.internal.CsvParser;
import dev.waterfall.export.internal.RowWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DumpReaderTest {

    private static final String HEADER = "key,value,type,revision,updated_at,updated_by\n";
    private static final String BY = "\"{\"\"surface\"\":\"\"cli\"\",\"\"user\"\":\"\"u\"\",\"\"host\"\":\"\"h\"\",\"\"pid\"\":1}\"";

    @TempDir
    Path dir;

    /** Every kind of value, every awkward character, every cell the formula guard must touch. */
    static List<Entry> awkwardEntries() {
        Instant at = Instant.parse("2026-01-02T03:04:05.000000789Z"); // nanoseconds: a dump keeps microseconds
        Actor odd = new Actor("=cmd|' /C calc'!A0", "j\u00fcrgen, \"jr\"", "host\nname", 0);
        List<Value> values = List.of(
                Value.of(""), Value.of("-1"), Value.of("=SUM(A1:A2)"), Value.of("+1"), Value.of("@me"), Value.of("\ttab"),
                Value.of("line\nbreak\r\nand, comma \"quoted\""), Value.of("'already quoted"), Value.of("\u4e16\u754c \uD83C\uDF31"),
                Value.of(-5), new NumberValue("-0.000000000000000000001"), new NumberValue("123456789012345678901234567890"),
                new NumberValue("1.50"), new NumberValue("-inf"), new NumberValue("nan"), Value.of(true), Value.nullValue(),
                ArrayValue.of(ArrayValue.of(), ArrayValue.of(Value.of(-1), new TableValue(Map.of("a,b", Value.of("=x"))))),
                DateTimeValue.of(OffsetDateTime.parse("1979-05-27T07:32:00.999-07:00")), DateTimeValue.of(LocalDate.parse("1979-05-27")));
        List<Entry> entries = new ArrayList<>();
        String[] keys = {"-a", "-b.c", "0", "A", "_x", "a", "a-b", "a.-", "a.b", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
        for (int i = 0; i < values.size(); i++) {
            entries.add(new Entry(Key.of(keys[i]), values.get(i), i + 1, at.plusSeconds(i).plusNanos(1000L * i), i % 2 == 0 ? odd : Actor.EXTERNAL, 0));
        }
        return entries;
    }

    private Path write(DumpFormat format, List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowWriter writer = new RowWriter(format, bytes);
        writer.begin();
        for (Entry entry : entries) {
            writer.row(entry);
        }
        writer.end();
        Path file = dir.resolve("dump." + format.extension());
        Files.write(file, bytes.toByteArray());
        return file;
    }

    private static List<Entry> readAll(Path file) {
        List<Entry> entries = new ArrayList<>();
        try (DumpReader reader = DumpReader.open(file)) {
            reader.forEachRemaining(entries::add);
        }
        return entries;
    }

    @ParameterizedTest
    @EnumSource(DumpFormat.class)
    void read_whatTheWriterWrote_givesBackTheSameEntries(DumpFormat format) throws IOException {
        List<Entry> entries = awkwardEntries();

        Path file = write(format, entries);

        List<Entry> expected = entries.stream().map(entry -> new Entry(entry.key(), entry.value(), entry.revision(),
                entry.updatedAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS), entry.updatedBy(), 0)).toList();
        assertThat(readAll(file)).containsExactlyElementsOf(expected);
        assertThat(readAll(file).get(0).updatedAt()).hasToString("2026-01-02T03:04:05Z");
        assertThat(readAll(file).get(1).updatedAt()).hasToString("2026-01-02T03:04:06.000001Z");
        assertThat(Files.readString(file, StandardCharsets.US_ASCII).chars().allMatch(c -> c < 0x80 && c != '\r')).isTrue();
    }

    @Test
    void csv_formulaGuard_coversExactlyTheCellsThatStartAFormula() throws IOException {
        Path file = write(DumpFormat.CSV, awkwardEntries());

        List<List<String>> records = new ArrayList<>();
        CsvParser parser = new CsvParser(new StringReader(Files.readString(file)));
        for (List<String> record = parser.next(); record != null; record = parser.next()) {
            records.add(record);
        }

        for (List<String> record : records) {
            for (String cell : record) {
                assertThat(cell).as("a cell a spreadsheet would run").doesNotStartWith("=").doesNotStartWith("+")
                        .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
            }
        }
        assertThat(records.get(1).get(0)).isEqualTo("'-a");
        assertThat(records.get(10).get(1)).isEqualTo("'-5");
        assertThat(records.get(3).get(1)).isEqualTo("\"=SUM(A1:A2)\"");
        assertThat(records.get(8).get(1)).isEqualTo("\"'already quoted\"");
    }

    @Test
    void updatedAt_isInstantToStringToTheMicrosecond_forAnyInstant() throws IOException {
        java.util.Random random = new java.util.Random(7);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.000001Z"), Instant.parse("+10000-01-01T00:00:00Z"),
                Instant.parse("-0001-06-01T12:00:00.5Z"), Instant.parse("2026-11-26T07:00:00.100Z")));
        for (int i = 0; i < 2000; i++) {
            instants.add(Instant.ofEpochSecond(random.nextInt(2_000_000_000) - 100_000_000L, random.nextInt(1_000_000_000)));
            instants.add(instants.get(instants.size() - 1).plusNanos(random.nextInt(3) * 1000L)); // the same second again
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RowWriter writer = new RowWriter(DumpFormat.NDJSON, bytes);
        List<String> expected = new ArrayList<>();
        for (Instant at : instants) {
            Entry entry = new Entry(Key.of("k"), Value.of(1), 1, at, Actor.EXTERNAL, 0);
            writer.row(entry);
            expected.add(RowWriter.updatedAt(entry));
        }
        writer.end();

        List<String> written = bytes.toString(StandardCharsets.US_ASCII).lines()
                .map(line -> line.replaceAll(".*\"updated_at\":\"([^\"]*)\".*", "$1")).toList();
        assertThat(written).isEqualTo(expected);
    }

    @Test
    void csv_crlfLineEnds_areReadToo() throws IOException {
        Path file = dir.resolve("crlf.csv");
        Files.writeString(file, HEADER.replace("\n", "\r\n") + "a,1,number,1,2026-01-01T00:00:00Z," + BY + "\r\n");

        assertThat(readAll(file)).extracting(Entry::value).containsExactly(Value.of(1));
    }

    @Test
    void read_rowsOutOfOrder_isAnErrorNamingTheLine() throws IOException {
        Path file = dir.resolve("unsorted.csv");
        Files.writeString(file, HEADER + "b,1,number,1,2026-01-01T00:00:00Z," + BY + "\n" + "a,1,number,2,2026-01-01T00:00:00Z," + BY + "\n");

        assertThatThrownBy(() -> readAll(file)).isInstanceOf(DumpException.class)
                .hasMessageContaining("unsorted.csv:3").hasMessageContaining("key a comes after b").hasMessageContaining("sorted by key");
    }

    @Test
    void read_malformedDumps_areErrorsNamingFileAndLine() throws IOException {
        String row = "a,1,number,1,2026-01-01T00:00:00Z," + BY + "\n";
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put("no header", row);
        broken.put("empty", "");
        broken.put("duplicate key", HEADER + row + row);
        broken.put("five cells", HEADER + "a,1,number,1,2026-01-01T00:00:00Z\n");
        broken.put("open quote", HEADER + "a,\"1,number,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("text after quote", HEADER + "a,\"1\"x,number,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("type mismatch", HEADER + "a,\"\"\"x\"\"\",number,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("unknown type", HEADER + "a,1,integer,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("bad json", HEADER + "a,{,object,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("zero revision", HEADER + "a,1,number,0,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("revision past the bound", HEADER + "a,1,number,9223372036854775807,2026-01-01T00:00:00Z," + BY + "\n"); // issue 15, item 2
        broken.put("bad time", HEADER + "a,1,number,1,yesterday," + BY + "\n");
        broken.put("bad author", HEADER + "a,1,number,1,2026-01-01T00:00:00Z,cli\n");
        broken.put("bad key", HEADER + "a b,1,number,1,2026-01-01T00:00:00Z," + BY + "\n");
        broken.put("table", HEADER + "a,{},table,1,2026-01-01T00:00:00Z," + BY + "\n");
        for (Map.Entry<String, String> sample : broken.entrySet()) {
            Path file = dir.resolve(sample.getKey().replace(' ', '-') + ".csv");
            Files.writeString(file, sample.getValue());
            assertThatThrownBy(() -> readAll(file)).as(sample.getKey()).isInstanceOf(DumpException.class)
                    .hasMessageStartingWith(file.toString() + ":");
        }
    }

    @Test
    void read_malformedJsonDumps_areErrors() throws IOException {
        String row = "{\"key\":\"a\",\"value\":1,\"type\":\"number\",\"revision\":1,\"updated_at\":\"2026-01-01T00:00:00Z\","
                + "\"updated_by\":{\"surface\":\"cli\",\"user\":\"u\",\"host\":\"h\",\"pid\":1}}";
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put("cut.json", "[\n" + row + ",\n");
        broken.put("trailing.json", "[\n" + row + "\n]\n[]");
        broken.put("object.json", row);
        broken.put("extra.json", "[\n" + row.replace("}}", "},\"x\":1}") + "\n]\n");
        broken.put("missing.json", "[\n" + row.replace("\"revision\":1,", "") + "\n]\n");
        broken.put("twoperline.ndjson", row + " " + row.replace("\"a\"", "\"b\"") + "\n");
        broken.put("array.ndjson", "[" + row + "]\n");
        for (Map.Entry<String, String> sample : broken.entrySet()) {
            Path file = dir.resolve(sample.getKey());
            Files.writeString(file, sample.getValue());
            assertThatThrownBy(() -> readAll(file)).as(sample.getKey()).isInstanceOf(DumpException.class)
                    .hasMessageStartingWith(file.toString());
        }
    }
}
