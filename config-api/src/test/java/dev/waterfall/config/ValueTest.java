package dev.waterfall.config;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ValueTest {

    @Test
    void aLoneSurrogate_isRefusedWhereverTextBecomesAValue_withWhereItIs() {
        // JSON text: the escape decodes to a lone surrogate, which UTF-8 cannot carry (it became "?" before)
        assertThatThrownBy(() -> Value.parseJson("\"ok \\udc00\""))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("line 1, column 1")
                .hasMessageContaining("lone UTF-16 surrogate U+DC00");
        assertThatThrownBy(() -> Value.parseLiteral("[1, {\"a\": \"\\ud800x\"}]"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("column 11")
                .hasMessageContaining("U+D800");
        assertThatThrownBy(() -> Value.parseJson("{\"\\udfff\": 1}"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("surrogate");
        // the Java API: the same rule, so no store can be handed such text
        assertThatThrownBy(() -> Value.of("half \uD83C"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("lone UTF-16 surrogate U+D83C at index 5");
        assertThatThrownBy(() -> new TableValue(java.util.Map.of("\uDC00", Value.of(1))))
                .isInstanceOf(InvalidValueException.class);
        // a pair is one character and stays
        assertThat(Value.parseJson("\"\\ud83c\\udf31\"")).isEqualTo(Value.of("\uD83C\uDF31"));
    }

    @Test
    void parseLiteral_jsonLiteralsAreValues_bareWordsAreStrings() {
        assertThat(Value.parseLiteral("8080")).isEqualTo(Value.of(8080));
        assertThat(Value.parseLiteral("true")).isEqualTo(Value.of(true));
        assertThat(Value.parseLiteral("null")).isEqualTo(Value.nullValue());
        assertThat(Value.parseLiteral("[1,2]")).isEqualTo(ArrayValue.of(Value.of(1), Value.of(2)));
        assertThat(Value.parseLiteral("\"text\"")).isEqualTo(Value.of("text"));
        assertThat(Value.parseLiteral("hello")).isEqualTo(Value.of("hello"));
        assertThat(Value.parseLiteral("hello world")).isEqualTo(Value.of("hello world"));
        assertThat(Value.parseLiteral("007")).isEqualTo(Value.of("007"));
        assertThat(Value.parseLiteral("1.2.3")).isEqualTo(Value.of("1.2.3"));
        assertThat(Value.parseLiteral("-")).isEqualTo(Value.of("-"));
        assertThat(Value.parseLiteral("")).isEqualTo(Value.of(""));
    }

    @Test
    void parseLiteral_brokenJsonThatLooksLikeJson_isAnErrorNotAString() {
        assertThatThrownBy(() -> Value.parseLiteral("[1, 2"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("[1, 2")
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void parseJson_isStrict() {
        for (String bad : List.of("{\"a\":1,}", "[1,]", "{\"a\":1} x", "NaN", "// c\n1", "{\"a\":1,\"a\":2}", "'single'")) {
            assertThatThrownBy(() -> Value.parseJson(bad)).as(bad).isInstanceOf(InvalidValueException.class);
        }
    }

    @Test
    void numbers_keepTheirLiteralExactly() {
        assertThat(Value.parseJson("1.50")).isEqualTo(new NumberValue("1.50"));
        assertThat(Value.parseJson("1.50")).isNotEqualTo(new NumberValue("1.5"));
        assertThat(Value.parseJson("123456789012345678901234567890").toJson()).isEqualTo("123456789012345678901234567890");
        assertThat(Value.parseJson("-0.0e-0").toJson()).isEqualTo("-0.0e-0");
        assertThat(new NumberValue("1.50").decimal()).isEqualByComparingTo(new BigDecimal("1.5"));
        assertThat(new NumberValue("8080").isIntegral()).isTrue();
        assertThat(new NumberValue("8.0").isIntegral()).isFalse();
        assertThat(new NumberValue("1e3").isIntegral()).isFalse();
    }

    @Test
    void numbers_rejectWhatJsonRejects() {
        for (String bad : List.of("01", "+1", ".5", "1.", "1e", "0x10", "1_000", "Infinity", "NaN", "")) {
            assertThatThrownBy(() -> new NumberValue(bad)).as(bad).isInstanceOf(InvalidValueException.class);
        }
        assertThat(new NumberValue("inf").isFinite()).isFalse();
        assertThat(NumberValue.ofDouble(Double.NEGATIVE_INFINITY)).isEqualTo(new NumberValue("-inf"));
        assertThat(NumberValue.ofDouble(Double.NaN).toJson()).isEqualTo("\"nan\"");
    }

    @Test
    void dateTimes_areCanonicalIsoText() {
        assertThat(new DateTimeValue(ValueType.OFFSET_DATE_TIME, "1979-05-27 07:32:00z").text()).isEqualTo("1979-05-27T07:32:00Z");
        assertThat(new DateTimeValue(ValueType.OFFSET_DATE_TIME, "1979-05-27T00:32:00.999999-07:00").text())
                .isEqualTo("1979-05-27T00:32:00.999999-07:00");
        assertThat(DateTimeValue.of(LocalTime.of(7, 32)).text()).isEqualTo("07:32:00");
        assertThat(DateTimeValue.of(LocalDate.of(1979, 5, 27)).toJson()).isEqualTo("\"1979-05-27\"");
        assertThat(DateTimeValue.of(OffsetDateTime.parse("1979-05-27T07:32:00Z")).temporal()).isEqualTo(OffsetDateTime.parse("1979-05-27T07:32:00Z"));
        assertThatThrownBy(() -> new DateTimeValue(ValueType.LOCAL_DATE, "1979-13-01")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("date-local");
    }

    @Test
    void toJson_escapesControlsAndOptionallyAllNonAscii() {
        Value text = Value.of("é \" \\ \n \u0000 \u2028");
        assertThat(text.toJson()).isEqualTo("\"é \\\" \\\\ \\n \\u0000 \\u2028\"");
        assertThat(dev.waterfall.config.engine.JsonValues.write(text, true)).isEqualTo("\"\\u00e9 \\\" \\\\ \\n \\u0000 \\u2028\"");
        assertThat(Value.parseJson(text.toJson())).isEqualTo(text);
    }

    @Test
    void ofJava_convertsPlainJavaObjects() {
        Value value = Value.ofJava(Map.of("list", List.of(1, 2.5, "x", true), "none", java.util.Optional.empty().orElse(null) == null ? "n" : "y"));
        assertThat(((TableValue) value).members().get("list")).isEqualTo(ArrayValue.of(Value.of(1), new NumberValue("2.5"), Value.of("x"), Value.of(true)));
        assertThatThrownBy(() -> Value.ofJava(new Object())).isInstanceOf(InvalidValueException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void typedJson_restoresWhatJsonAloneCannotSay() {
        var json = new dev.waterfall.config.engine.JsonValues();
        Value date = DateTimeValue.of(LocalDate.of(2026, 11, 26));
        assertThat(json.decodeTyped(date.toJson(), dev.waterfall.config.engine.JsonValues.typeTag(date))).isEqualTo(date);
        Value inf = new NumberValue("-inf");
        assertThat(json.decodeTyped(inf.toJson(), dev.waterfall.config.engine.JsonValues.typeTag(inf))).isEqualTo(inf);
        assertThat(dev.waterfall.config.engine.JsonValues.typeTag(Value.of("x"))).isNull();
    }
}
