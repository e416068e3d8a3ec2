package dev.waterfall.toml;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How TOML's types map to Waterfall's values and back: integers stay integers whatever their
 * notation, floats keep their exact digits, the four date-time kinds keep their kind, arrays and
 * arrays of tables are leaves. Values from other stores become their natural TOML type, and what
 * TOML cannot hold is refused with a message that says what to do.
 */
class TomlTypesTest {

    @TempDir
    Path dir;

    private ContractWorld world;
    private Path file;

    @BeforeEach
    void open() {
        world = new ContractWorld(dir);
        file = dir.resolve("config.toml");
    }

    @AfterEach
    void close() {
        world.close();
    }

    private ConfigStore store() {
        return world.open("toml:" + file).store();
    }

    private Map<String, Value> read(String toml) throws Exception {
        Files.writeString(file, toml, StandardCharsets.UTF_8);
        Map<String, Value> values = new LinkedHashMap<>();
        for (Entry entry : store().snapshot().entries().values()) {
            values.put(entry.key().path(), entry.value());
        }
        return values;
    }

    @Test
    void read_integersInEveryNotation_areIntegersInPlainDecimal() throws Exception {
        Map<String, Value> values = read("""
                plain = 42
                plus = +17
                minus = -17
                zero = -0
                grouped = 1_000_000
                hex = 0xDEAD_beef
                octal = 0o755
                binary = 0b1101
                max = 9223372036854775807
                min = -9223372036854775808
                """);

        assertThat(values).containsExactly(
                Map.entry("binary", new NumberValue("13")),
                Map.entry("grouped", new NumberValue("1000000")),
                Map.entry("hex", new NumberValue("3735928559")),
                Map.entry("max", new NumberValue("9223372036854775807")),
                Map.entry("min", new NumberValue("-9223372036854775808")),
                Map.entry("minus", new NumberValue("-17")),
                Map.entry("octal", new NumberValue("493")),
                Map.entry("plain", new NumberValue("42")),
                Map.entry("plus", new NumberValue("17")),
                Map.entry("zero", new NumberValue("0")));
        assertThat(values.values()).allMatch(value -> ((NumberValue) value).isIntegral());
    }

    @Test
    void read_floats_keepTheirExactDigits_andTomlsInfinitiesAndNan() throws Exception {
        Map<String, Value> values = read("""
                price = 1.50
                exact = 0.1000000000000000000000000000001
                avogadro = 6.02e23
                grouped = 1_000.000_1
                plus = +3.5E-2
                negzero = -0.0
                exponent = 1e06
                inf1 = inf
                inf2 = +inf
                ninf = -inf
                nan1 = nan
                nan2 = -nan
                in_array = [1.10, { x = 2.20 }]
                """);

        assertThat(values).containsEntry("price", new NumberValue("1.50"))
                .containsEntry("exact", new NumberValue("0.1000000000000000000000000000001"))
                .containsEntry("avogadro", new NumberValue("6.02e23"))
                .containsEntry("grouped", new NumberValue("1000.0001"))
                .containsEntry("plus", new NumberValue("3.5E-2"))
                .containsEntry("negzero", new NumberValue("-0.0"))
                .containsEntry("exponent", new NumberValue("1e06"))
                .containsEntry("inf1", new NumberValue("inf"))
                .containsEntry("inf2", new NumberValue("inf"))
                .containsEntry("ninf", new NumberValue("-inf"))
                .containsEntry("nan1", new NumberValue("nan"))
                .containsEntry("nan2", new NumberValue("nan"))
                .containsEntry("in_array", ArrayValue.of(new NumberValue("1.10"), new TableValue(Map.of("x", new NumberValue("2.20")))));
    }

    @Test
    void read_floatsAfterWideCharacters_stillFindTheirDigits() throws Exception {
        Map<String, Value> values = read("emoji = [\"\uD83C\uDF31\uD83C\uDF31\", 2.50, \"\u4E16\u754C\", 3.750]\n");

        assertThat(values.get("emoji")).isEqualTo(ArrayValue.of(Value.of("\uD83C\uDF31\uD83C\uDF31"), new NumberValue("2.50"),
                Value.of("\u4E16\u754C"), new NumberValue("3.750")));
    }

    @Test
    void read_dateTimes_keepTheirKind() throws Exception {
        Map<String, Value> values = read("""
                offset = 1979-05-27T07:32:00.999-07:00
                utc = 1979-05-27 07:32:00Z
                local = 1979-05-27T07:32:00
                date = 1979-05-27
                time = 07:32:00.5
                """);

        assertThat(values).containsEntry("offset", new DateTimeValue(ValueType.OFFSET_DATE_TIME, "1979-05-27T07:32:00.999-07:00"))
                .containsEntry("utc", new DateTimeValue(ValueType.OFFSET_DATE_TIME, "1979-05-27T07:32:00Z"))
                .containsEntry("local", new DateTimeValue(ValueType.LOCAL_DATE_TIME, "1979-05-27T07:32:00"))
                .containsEntry("date", new DateTimeValue(ValueType.LOCAL_DATE, "1979-05-27"))
                .containsEntry("time", new DateTimeValue(ValueType.LOCAL_TIME, "07:32:00.5"));
    }

    @Test
    void read_tablesOfEveryKind_areKeyPaths_andArraysOfTablesAreLeaves() throws Exception {
        Map<String, Value> values = read("""
                a.b = 1
                inline = { c = 2, d.e = 3 }
                [header]
                f = 4
                [[servers]]
                host = "x"
                "any key" = true
                [servers.limits]
                max = 5
                [[servers]]
                host = "y"
                """);

        assertThat(values).containsOnlyKeys("a.b", "inline.c", "inline.d.e", "header.f", "servers");
        assertThat(values.get("servers")).isEqualTo(Value.parseJson("""
                [{"host": "x", "any key": true, "limits": {"max": 5}}, {"host": "y"}]"""));
    }

    @Test
    void read_quotedKeys_areKeysWithQuotedSegments() throws Exception {
        Map<String, Value> values = read("[plant]\nname = \"x\"\n  \"site name\" = 1\n'a.b' = 2\n\"\" = 3\n\"\\u00e9\\t\" = 4\n");

        assertThat(values).containsOnlyKeys("plant.name", "plant.\"site name\"", "plant.\"a.b\"", "plant.\"\"", "plant.\"\u00e9\\t\"");
        assertThat(store().get(Key.of("plant.'site name'"))).map(Entry::value).contains(Value.of(1));
    }

    @Test
    void read_aBrokenValueOfAQuotedSecretKey_isNotEchoed() throws Exception {
        Files.writeString(file, "[db]\n'api key' = hunter2\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store().get(Key.of("db.x")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageContaining("the value of \"api key\" is not a valid TOML value (it is not shown")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void read_aSyntaxError_namesLineColumnAndWhatToDo() throws Exception {
        Files.writeString(file, "[server]\nport = 80\nport = 81\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store().get(Key.of("server.port")))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageStartingWith(file + ":3:1: not valid TOML 1.0: port previously defined at line 2, column 1 (a key or table appears twice; keep one)")
                .hasMessageContaining("waterfall backups restore");
    }

    @Test
    void read_nullOrABareWord_isABrokenFileSayingWhatTomlWantsInstead() throws Exception {
        Files.writeString(file, "name = null\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().get(Key.of("name")))
                .hasMessageStartingWith(file + ":1:8: not valid TOML 1.0: Unexpected 'n', expected a value "
                        + "(TOML has no null; remove the key to leave it unset)");

        Files.writeString(file, "name = Basil\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store().get(Key.of("name")))
                .hasMessageStartingWith(file + ":1:8: not valid TOML 1.0: Unexpected 'B', expected a value (text needs quotes: \"Basil\")");
    }

    // ------------------------------------------------------------------ writing

    @Test
    void set_valuesFromOtherStores_becomeTheirNaturalTomlType() throws Exception {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("int", Value.of(8080));
        values.put("negzero", new NumberValue("-0"));
        values.put("decimal", new NumberValue("1.50"));
        values.put("exact", new NumberValue("0.1000000000000000000000000000001"));
        values.put("exponent", new NumberValue("6.02E+23"));
        values.put("inf", new NumberValue("-inf"));
        values.put("nan", new NumberValue("nan"));
        values.put("min", new NumberValue("-9223372036854775808"));
        values.put("text", Value.of("quote \" backslash \\ newline \n nul \u0000 del \u007f 世界"));
        values.put("bool", Value.of(true));
        values.put("offset", DateTimeValue.of(java.time.OffsetDateTime.parse("1979-05-27T07:32:00Z")));
        values.put("local", DateTimeValue.of(java.time.LocalDateTime.parse("1979-05-27T07:32:00.123456789")));
        values.put("date", DateTimeValue.of(java.time.LocalDate.parse("1979-05-27")));
        values.put("time", DateTimeValue.of(java.time.LocalTime.parse("07:32")));
        values.put("mixed", Value.parseJson("[1, \"two\", [3.0], {\"a key\": {}}]"));
        ConfigStore store = store();
        values.forEach((key, value) -> store.set(Key.of("v." + key), value));

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(text).isEqualTo("""
                [v]
                int = 8080
                negzero = 0
                decimal = 1.50
                exact = 0.1000000000000000000000000000001
                exponent = 6.02E+23
                inf = -inf
                nan = nan
                min = -9223372036854775808
                text = "quote \\" backslash \\\\ newline \\n nul \\u0000 del \\u007F 世界"
                bool = true
                offset = 1979-05-27T07:32:00Z
                local = 1979-05-27T07:32:00.123456789
                date = 1979-05-27
                time = 07:32:00
                mixed = [1, "two", [3.0], { "a key" = {} }]
                """);
        Map<String, Value> back = new LinkedHashMap<>();
        store().snapshot().entries().forEach((key, entry) -> back.put(key.name(), entry.value()));
        values.put("negzero", new NumberValue("0")); // TOML's -0 is the integer 0
        assertThat(back).isEqualTo(values);
        PythonTomllib.Reading python = PythonTomllib.read(file);
        Map<List<String>, Value> ours = new LinkedHashMap<>();
        values.forEach((key, value) -> ours.put(List.of("v", key), value));
        assertThat(TaggedJson.sameLeaves(ours, python.leaves(), true)).as("tomllib reads %s", python.leaves()).isTrue();
    }

    @Test
    void set_null_isRefusedSayingWhatToDoInstead() {
        assertThatThrownBy(() -> store().set(Key.of("plant.name"), Value.nullValue()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("cannot set plant.name in " + file + ": TOML has no null; unset the key to leave it empty, "
                        + "or store an empty string (\"\") or false instead");
        assertThatThrownBy(() -> store().set(Key.of("plant.tags"), Value.parseJson("[\"herb\", [true, null]]")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("cannot set plant.tags in " + file + ": TOML has no null, and item 2, item 2 of [\"herb\",[true,null]] is null; "
                        + "leave it out, or store an empty string (\"\") or false there instead");
        assertThat(file).doesNotExist();
    }

    @Test
    void set_numbersBeyondTomlsRange_areRefusedNamingThem() {
        assertThatThrownBy(() -> store().set(Key.of("big"), new NumberValue("9223372036854775808")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("cannot set big in " + file + ": TOML integers are 64-bit (-9223372036854775808 to 9223372036854775807), "
                        + "and 9223372036854775808 does not fit; store it as a string instead");
        assertThatThrownBy(() -> store().set(Key.of("huge"), new NumberValue("1e400")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("1e400 is beyond that; store it as a string instead");
        assertThatThrownBy(() -> store().set(Key.of("deep"), Value.parseJson("[{\"n\": 123456789012345678901234567890}]")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("123456789012345678901234567890 (item 1, member \"n\" of [{\"n\":123456789012345678901234567890}]) does not fit");
    }

    @Test
    void set_textThatIsNotUnicode_isRefused() {
        assertThatThrownBy(() -> store().set(Key.of("broken"), Value.of("half \uD83C")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("lone UTF-16 surrogate U+D83C at index 5");
    }
}
