package dev.waterfall.config;

import dev.waterfall.config.spi.CanonicalText;
import dev.waterfall.config.spi.JsonValues;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
            assertThat(CanonicalText.jsonType(text)).as(text).isEqualTo(value.type());
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
            assertThat(CanonicalText.jsonType(text)).as(text).isNull();
        }
        assertThat(CanonicalText.jsonType("[".repeat(64) + "]".repeat(64))).isEqualTo(ValueType.ARRAY);
        assertThat(CanonicalText.jsonType(null)).isNull();
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
    }

    @Test
    void instant_ofTextInstantParseRefuses_throwsAsInstantParseDoes() {
        for (String text : List.of("2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z",
                "2026-01-01T00:60:00Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "x")) {
            assertThatThrownBy(() -> CanonicalText.instant(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }
}
