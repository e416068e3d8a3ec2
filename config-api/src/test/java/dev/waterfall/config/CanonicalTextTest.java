package dev.waterfall.config;

import dev.waterfall.config.rows.CanonicalText;
import dev.waterfall.config.engine.JsonValues;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link CanonicalText} against the slow, obvious definitions it stands for: {@link JsonValues}
 * writing a parsed value, and {@link Instant#toString()} of an instant cut to the microsecond.
 */
class CanonicalTextTest {

    private final JsonValues json = new JsonValues();

    @Test
    void jsonType_ofCanonicalText_isTheValuesType() {
        List<Value> values = new ArrayList<>(List.of(Value.of("plain"), Value.of(""), Value.of("\u00e9\uD83C\uDF31 \u4e16"),
                Value.of("ctl \u0000\u0001\u0007\b\t\n\f\r\u001f\u007f\u2028\u2029 \"q\" \\ /"), Value.of(-1), Value.of(0),
                new NumberValue("-0.0e-0"), new NumberValue("1E+99"), new NumberValue("123456789012345678901234567890.5"),
                Value.of(true), Value.of(false), Value.nullValue(), ArrayValue.of(), new TableValue(Map.of()),
                ArrayValue.of(Value.of(1), ArrayValue.of(ArrayValue.of()), new TableValue(Map.of("k", ArrayValue.of(Value.nullValue()))))));
        Map<String, Value> members = new LinkedHashMap<>();
        members.put("b", Value.of(1));
        members.put("a", Value.of(2));
        members.put("", Value.of(3));
        members.put("ab", Value.of(4));
        members.put("\u00e9", Value.of(5));
        values.add(new TableValue(members));
        Random random = new Random(20261126);
        for (int i = 0; i < 2000; i++) {
            values.add(randomValue(random, 0));
        }
        for (Value value : values) {
            String text = JsonValues.write(value, false);
            assertThat(type(text)).as(text).isEqualTo(value.type());
            assertThat(JsonValues.write(json.parse(text), false)).isEqualTo(text); // canonical: a fixed point
        }
    }

    @Test
    void jsonType_ofTextThatIsNotCanonical_isNull() {
        List<String> texts = List.of("", " 1", "1 ", "[1, 2]", "{\"a\": 1}", "{\"a\" :1}", "01", "1.", ".5", "+1", "1e", "-", "--1",
                "\"\\/\"", "\"\\u00e9\"", "\"\\u001F\"", "\"\\u000a\"", "\"\\u0022\"", "\"\\x\"", "\"\u007f\"", "\"\u2028\"",
                "\"tab\there\"", "\"open", "[1,]", "[,1]", "[1", "{\"a\":1,}", "{\"a\"}", "{a:1}", "tru", "nul", "True", "NaN",
                "\"inf\"x", "1 2", "{\"a\":1,\"a\":2}", "[{\"x\":{\"k\":1,\"k\":1}}]", "[" .repeat(65) + "]".repeat(65));
        for (String text : texts) {
            assertThat(type(text)).as(text).isNull();
        }
        assertThat(type("[".repeat(64) + "]".repeat(64))).isEqualTo(ValueType.ARRAY);
        assertThat(CanonicalText.jsonType(null, 0, 0)).isNull();
    }

    @Test
    void jsonType_ofIllFormedUtf8_isNull() {
        int[][] sequences = {
                {0xc3}, {0xe2, 0x82}, {0xf0, 0x9f, 0x8c}, {0xc3, 'A'}, {0xe2, 0x82, 'A'}, // truncated
                {0x80}, {0xbf}, {0xc3, 0x28}, {0xc3, 0xc3, 0xa9}, {0xe2, 0x28, 0xa1}, {0xe2, 0x82, 0x28}, // bad continuation
                {0xf0, 0x28, 0x8c, 0xbc}, {0xf0, 0x9f, 0x28, 0xbc}, {0xf0, 0x9f, 0x8c, 0x28},
                {0xc0, 0x80}, {0xc0, 0xaf}, {0xc1, 0xbf}, {0xe0, 0x80, 0x80}, {0xe0, 0x9f, 0xbf}, // overlong
                {0xf0, 0x80, 0x80, 0x80}, {0xf0, 0x8f, 0xbf, 0xbf},
                {0xed, 0xa0, 0x80}, {0xed, 0xaf, 0xbf}, {0xed, 0xb0, 0x80}, {0xed, 0xbf, 0xbf}, // surrogates
                {0xed, 0xa0, 0xbd, 0xed, 0xb2, 0xa9}, // a surrogate pair, each half encoded on its own (CESU-8)
                {0xf4, 0x90, 0x80, 0x80}, {0xf4, 0xbf, 0xbf, 0xbf}, {0xf5, 0x80, 0x80, 0x80}, {0xf7, 0xbf, 0xbf, 0xbf}, // above U+10FFFF
                {0xf8, 0x88, 0x80, 0x80, 0x80}, {0xfe}, {0xff},
                {0xe2, 0x80, 0xa8}, {0xe2, 0x80, 0xa9}}; // well-formed, but U+2028 and U+2029 are escaped
        for (int[] sequence : sequences) {
            byte[] bytes = bytes(sequence);
            String name = HexFormat.ofDelimiter(" ").formatHex(bytes);
            assertThat(type(concat(ascii("\"a"), bytes, ascii("b\"")))).as("in a string: " + name).isNull();
            assertThat(type(concat(ascii("{\""), bytes, ascii("\":1}")))).as("in a name: " + name).isNull();
            assertThat(type(concat(ascii("[\""), bytes, ascii("\"]")))).as("in an array: " + name).isNull();
        }
        assertThat(type(concat(ascii("["), bytes(new int[] {0xc3, 0xa9}), ascii("]")))).as("beyond ASCII outside a string").isNull();
    }

    @Test
    void jsonType_ofWellFormedUtf8_isString() {
        // The first and last code points of 2-, 3- and 4-byte sequences and those near the narrower second-byte ranges.
        int[] codePoints = {0x80, 0xe9, 0x7ff, 0x800, 0xfff, 0x1000, 0x2027, 0x202a, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000,
                0x1f331, 0x3ffff, 0x40000, 0xfffff, 0x100000, 0x10ffff};
        for (int codePoint : codePoints) {
            String text = new String(Character.toChars(codePoint));
            int length = codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            assertThat(text.getBytes(StandardCharsets.UTF_8)).hasSize(length);
            assertThat(type("\"" + text + "\"")).as(Integer.toHexString(codePoint)).isEqualTo(ValueType.STRING);
            assertThat(type("{\"" + text + "\":[\"x" + text + text + "\"]}")).as(Integer.toHexString(codePoint)).isEqualTo(ValueType.TABLE);
        }
        assertThat(type("{\"\u00e9\":1,\"\u00e9\":2}")).as("equal names beyond ASCII").isNull();
        assertThat(type("{\"\u00e9\":1,\"\u00e8\":2}")).isEqualTo(ValueType.TABLE);
    }

    @Test
    void jsonType_limitsCountBytes() {
        // A member name of up to 1000 bytes with its quotes is checked; a longer one is left to the full decoder.
        assertThat(type("{\"" + "\u00e9".repeat(499) + "\":1}")).isEqualTo(ValueType.TABLE);
        assertThat(type("{\"" + "\u00e9".repeat(500) + "\":1}")).isNull();
    }

    /**
     * {@link CanonicalText#jsonType} of the UTF-8 bytes of {@code text}, checked to be the same
     * when the text sits amid other bytes, so that the range is proven to be kept to.
     */
    private static ValueType type(String text) {
        return type(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ValueType type(byte[] utf8) {
        ValueType alone = CanonicalText.jsonType(utf8, 0, utf8.length);
        // Before: bytes that cannot start a value; after: bytes that would extend a number or end a
        // string, an array or a table, were they read.
        byte[] before = {(byte) 0xff, '"', '[', ' '};
        byte[] after = ascii("0\"]} \"");
        byte[] amid = concat(before, utf8, after);
        assertThat(CanonicalText.jsonType(amid, before.length, before.length + utf8.length))
                .as("amid other bytes: " + new String(utf8, StandardCharsets.UTF_8)).isEqualTo(alone);
        return alone;
    }

    private static byte[] bytes(int[] values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static Value randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 4 : 6);
        return switch (kind) {
            case 0 -> Value.of(randomText(random));
            case 1 -> new NumberValue((random.nextBoolean() ? "-" : "") + random.nextInt(1000)
                    + (random.nextBoolean() ? "." + random.nextInt(100) : "") + (random.nextBoolean() ? "e" + (random.nextInt(20) - 10) : ""));
            case 2 -> Value.of(random.nextBoolean());
            case 3 -> Value.nullValue();
            case 4 -> {
                List<Value> items = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    items.add(randomValue(random, depth + 1));
                }
                yield new ArrayValue(items);
            }
            default -> {
                Map<String, Value> members = new LinkedHashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    members.put(randomText(random), randomValue(random, depth + 1));
                }
                yield new TableValue(members);
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            int pick = random.nextInt(5);
            text.append(switch (pick) {
                case 0 -> (char) random.nextInt(0x80);
                case 1 -> (char) (0x80 + random.nextInt(0x800));
                case 2 -> "\uD83C\uDF31";
                case 3 -> (char) (0x2020 + random.nextInt(16));
                default -> (char) ('a' + random.nextInt(3));
            });
        }
        return text.toString();
    }

    @Test
    void instant_ofSecondsAndNanos_isInstantToStringCutToTheMicrosecond() {
        Random random = new Random(42);
        List<Instant> instants = new ArrayList<>(List.of(Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.parse("1969-12-31T23:59:59.999999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59.5Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2000-02-29T12:00:00.120Z"), Instant.parse("2100-03-01T00:00:00.000001Z")));
        for (int i = 0; i < 20000; i++) {
            long second = switch (i % 3) {
                case 0 -> random.nextLong() % 253402300800L; // years 0..9999 and as far before 1970
                case 1 -> Instant.MIN.getEpochSecond() + (long) (random.nextDouble() * (Instant.MAX.getEpochSecond() - (double) Instant.MIN.getEpochSecond()));
                default -> 1_767_225_600L + random.nextInt(100_000_000);
            };
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            instants.add(Instant.ofEpochSecond(second, nano));
        }
        for (Instant instant : instants) {
            String expected = instant.truncatedTo(ChronoUnit.MICROS).toString();
            assertThat(CanonicalText.instant(instant.getEpochSecond(), instant.getNano())).as(instant.toString()).isEqualTo(expected);
            assertThat(CanonicalText.instant(instant.toString())).as(instant.toString()).isEqualTo(expected);
            boolean usual = instant.toString().matches("\\d{4}-.*"); // years 0..9999
            assertThat(instantBytes(instant.toString())).as(instant.toString()).isEqualTo(usual ? expected : null);
        }
    }

    @Test
    void instant_ofText_readsWhatInstantParseReads() {
        List<String> texts = List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.12Z",
                "2026-01-01T00:00:00.120000Z", "2026-01-01T00:00:00.123456789Z", "2026-01-01T00:00:00.000000001Z", "2024-02-29T23:59:59Z",
                "0000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "-0044-03-15T12:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T23:59:60Z",
                "2026-01-01T01:00:00+01:00",
                "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z"); // the last two: Instant.parse reads them, the fast path leaves them to it
        for (String text : texts) {
            Instant parsed;
            try {
                parsed = Instant.parse(text);
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> CanonicalText.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
                continue;
            }
            assertThat(CanonicalText.instant(text)).as(text).isEqualTo(parsed.truncatedTo(ChronoUnit.MICROS).toString());
        }
        String canonical = "2026-01-01T00:00:00.123456Z";
        assertThat(CanonicalText.instant(canonical)).isSameAs(canonical);
        for (String same : List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.120Z")) {
            assertThat(CanonicalText.instant(same)).isSameAs(same);
        }
    }

    @Test
    void instant_ofUsualFormBytes_writesTheCanonicalText() {
        List<String> texts = List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.1Z", "2026-01-01T00:00:00.12Z",
                "2026-01-01T00:00:00.120000Z", "2026-01-01T00:00:00.123456789Z", "2026-01-01T00:00:00.000000001Z", "2026-01-01T00:00:00.000001999Z",
                "2026-01-01T00:00:00.999999Z", "2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "2026-04-30T00:00:00Z", "2026-12-31T00:00:00Z");
        for (String text : texts) {
            assertThat(instantBytes(text)).as(text).isEqualTo(Instant.parse(text).truncatedTo(ChronoUnit.MICROS).toString());
        }
    }

    @Test
    void instant_ofBytesInAnotherForm_isMinusOne() {
        List<String> texts = List.of("+10000-01-01T00:00:00Z", "-0044-03-15T12:00:00Z", "2026-01-01t00:00:00z", "2026-01-01T23:59:60Z",
                "2026-01-01T01:00:00+01:00", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z", "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T00:60:00Z",
                "2026-01-01T00:00:00.1234567890Z", "2026-01-01T00:00:00.12345678xZ", "2026-01-01 00:00:00Z", "2026-01-01T00:00Z",
                "2026-01-01T00:00:00", "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00,1Z", "2026-1-01T00:00:00.0Z", "x", "");
        for (String text : texts) {
            assertThat(instantBytes(text)).as(text).isNull();
        }
    }

    /**
     * The canonical text that {@link CanonicalText#instant(byte[], int, int, byte[], int)} writes for
     * {@code text} amid other bytes, into {@code out} amid other bytes, or {@code null} for -1;
     * checked to write nothing else.
     */
    private static String instantBytes(String text) {
        byte[] in = concat(ascii("0123"), ascii(text), ascii(".123Z"));
        byte[] out = new byte[40];
        Arrays.fill(out, (byte) '#');
        int written = CanonicalText.instant(in, 4, 4 + text.length(), out, 5);
        for (int i = 0; i < out.length; i++) {
            if (i < 5 || i >= 5 + Math.max(written, 0)) {
                assertThat(out[i]).as("byte %d of out for %s", i, text).isEqualTo((byte) '#');
            }
        }
        if (written < 0) {
            assertThat(written).isEqualTo(-1);
            return null;
        }
        assertThat(written).isIn(20, 24, 27);
        return new String(out, 5, written, StandardCharsets.US_ASCII);
    }

    @Test
    void instant_ofTextInstantParseRefuses_throwsAsInstantParseDoes() {
        for (String text : List.of("2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-01-01T00:60:00Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "x")) {
            assertThatThrownBy(() -> CanonicalText.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
