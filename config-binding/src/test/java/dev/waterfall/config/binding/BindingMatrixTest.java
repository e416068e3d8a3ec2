package dev.waterfall.config.binding;

import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Waterfall;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every supported type read from every layer: a good value binds to the Java value it stands for,
 * a bad one fails with a message that names the key, the expectation, the value and exactly where
 * it came from (the environment variable, the store's file and line, the system file and line,
 * the defaults resource and line). The layers are real: a JSON store file, a TOML system file, a
 * JSON defaults resource read through its URL, and an environment map.
 */
class BindingMatrixTest {

    /** The layers a value can come from. */
    enum Where { ENV, STORE, SYSTEM, DEFAULTS }

    public enum Color { RED, GREEN, DARK_BLUE }

    public record Text(@NotBlank String text) { }
    public record Port(@Min(1) @Max(65535) int port) { }
    public record Count(long count) { }
    public record Ratio(double ratio) { }
    public record Price(BigDecimal price) { }
    public record Enabled(boolean enabled) { }
    public record Paint(Color color) { }
    public record Timeout(Duration timeout) { }
    public record At(Instant at) { }
    public record When(OffsetDateTime when) { }
    public record Day(LocalDate day) { }
    public record Endpoint(URI endpoint) { }
    public record Dir(Path dir) { }
    public record Blob(byte[] blob) { }
    public record Id(UUID id) { }
    public record Counts(List<Integer> counts) { }
    public record Tags(Set<String> tags) { }
    public record Limits(Map<String, Integer> limits) { }
    public record Note(@NotBlank Optional<String> note) { }
    public record Inner(String host, int port) { }
    public record Nested(Inner inner) { }
    public record Endpoints(List<Inner> endpoints) { }

    /**
     * One type's case.
     *
     * @param type     the record bound at prefix {@code app}
     * @param key      the key below {@code app}
     * @param good     the value as each layer writes it: index 0 the environment's text, 1 JSON, 2 TOML
     * @param expected the component's value it binds to
     * @param bad      a bad value, the same way; a null entry where that layer cannot write a bad one
     * @param badKey   the key the failure names (an item or member below {@code app.key})
     * @param shown    the bad value as the message shows it, per layer
     * @param expectation the message's "expected ..." text
     */
    record Case(Class<?> type, String key, String[] good, Object expected, String[] bad, String badKey, String[] shown, String expectation) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    private static String[] same(String env, String literal) {
        return new String[] {env, literal, literal};
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case(Text.class, "text", same("hello", "\"hello\""), "hello", same("  ", "\"  \""), "app.text",
                same("\"  \"", "\"  \""), "a non-blank string"));
        cases.add(new Case(Port.class, "port", same("8080", "8080"), 8080, new String[] {"80a", "\"80a\"", "70000"}, "app.port",
                new String[] {"\"80a\"", "\"80a\"", "70000"}, "an integer from 1 to 65535"));
        cases.add(new Case(Count.class, "count", same("9000000000", "9000000000"), 9_000_000_000L, same("1.5", "1.5"), "app.count",
                new String[] {"\"1.5\"", "1.5", "1.5"}, "an integer from -9223372036854775808 to 9223372036854775807"));
        cases.add(new Case(Ratio.class, "ratio", same("0.25", "0.25"), 0.25, same("half", "\"half\""), "app.ratio",
                same("\"half\"", "\"half\""), "a number"));
        cases.add(new Case(Price.class, "price", same("12.50", "12.50"), new BigDecimal("12.50"), same("12,50", "\"12,50\""), "app.price",
                same("\"12,50\"", "\"12,50\""), "a decimal number"));
        cases.add(new Case(Enabled.class, "enabled", same("TRUE", "true"), true, same("yes", "\"yes\""), "app.enabled",
                same("\"yes\"", "\"yes\""), "true or false"));
        cases.add(new Case(Paint.class, "color", same("dark-blue", "\"dark-blue\""), Color.DARK_BLUE, same("purple", "\"purple\""), "app.color",
                same("\"purple\"", "\"purple\""), "one of RED, GREEN, DARK_BLUE"));
        cases.add(new Case(Timeout.class, "timeout", same("1h30m", "\"PT1H30M\""), Duration.ofMinutes(90), same("30", "30"), "app.timeout",
                new String[] {"\"30\"", "30", "30"}, "a duration such as 30s, 1h30m, 250ms or PT30S"));
        cases.add(new Case(At.class, "at", same("2026-12-07T23:00:00Z", "\"2026-12-07T23:00:00Z\""), Instant.parse("2026-12-07T23:00:00Z"),
                same("yesterday", "\"yesterday\""), "app.at", same("\"yesterday\"", "\"yesterday\""), "an instant such as"));
        cases.add(new Case(When.class, "when",
                new String[] {"2026-12-07T23:00:00+01:00", "\"2026-12-07T23:00:00+01:00\"", "2026-12-07T23:00:00+01:00"},
                OffsetDateTime.parse("2026-12-07T23:00:00+01:00"), same("2026-13-07T23:00:00+01:00", "\"2026-13-07T23:00:00+01:00\""), "app.when",
                same("\"2026-13-07T23:00:00+01:00\"", "\"2026-13-07T23:00:00+01:00\""), "a date-time with an offset"));
        cases.add(new Case(Day.class, "day", new String[] {"2026-12-07", "\"2026-12-07\"", "2026-12-07"}, LocalDate.of(2026, 12, 7),
                same("07/12/2026", "\"07/12/2026\""), "app.day", same("\"07/12/2026\"", "\"07/12/2026\""), "a date such as 2026-12-07"));
        cases.add(new Case(Endpoint.class, "endpoint", same("https://example.com/x", "\"https://example.com/x\""), URI.create("https://example.com/x"),
                same("http://exa mple.com", "\"http://exa mple.com\""), "app.endpoint", same("\"http://exa mple.com\"", "\"http://exa mple.com\""),
                "a URI"));
        cases.add(new Case(Dir.class, "dir", same("/var/lib/app", "\"/var/lib/app\""), Path.of("/var/lib/app"), same("", "\"\""), "app.dir",
                same("\"\"", "\"\""), "a file path"));
        cases.add(new Case(Blob.class, "blob", same("aGVsbG8=", "\"aGVsbG8=\""), "hello".getBytes(StandardCharsets.UTF_8),
                same("not base64!", "\"not base64!\""), "app.blob", same("\"not base64!\"", "\"not base64!\""), "base64 text"));
        cases.add(new Case(Id.class, "id", same("123e4567-e89b-12d3-a456-426614174000", "\"123e4567-e89b-12d3-a456-426614174000\""),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), same("1-2-3-4-5", "\"1-2-3-4-5\""), "app.id",
                same("\"1-2-3-4-5\"", "\"1-2-3-4-5\""), "a UUID"));
        cases.add(new Case(Counts.class, "counts", same("1, 2,3", "[1, 2, 3]"), List.of(1, 2, 3), same("1,x", "[1, \"x\"]"), "app.counts[1]",
                same("\"x\"", "\"x\""), "an integer from -2147483648 to 2147483647"));
        cases.add(new Case(Tags.class, "tags", same("a,b", "[\"a\", \"b\"]"), new LinkedHashSet<>(List.of("a", "b")),
                new String[] {null, "17", "17"}, "app.tags", new String[] {null, "17", "17"}, "a list, each item a string"));
        cases.add(new Case(Limits.class, "limits", new String[] {"{\"a\": 1}", "{\"a\": 1}", "{a = 1}"}, Map.of("a", 1),
                new String[] {"{\"a\": \"many\"}", "{\"a\": \"many\"}", "{a = \"many\"}"}, "app.limits.a", same("\"many\"", "\"many\""),
                "an integer from -2147483648 to 2147483647"));
        cases.add(new Case(Note.class, "note", same("x", "\"x\""), Optional.of("x"), same(" ", "\" \""), "app.note", same("\" \"", "\" \""),
                "a non-blank string"));
        cases.add(new Case(Nested.class, "inner", new String[] {"{\"host\": \"h\", \"port\": 1}", "{\"host\": \"h\", \"port\": 1}", "{host = \"h\", port = 1}"},
                new Inner("h", 1), new String[] {"{\"host\": \"h\", \"port\": \"x\"}", "{\"host\": \"h\", \"port\": \"x\"}", "{host = \"h\", port = \"x\"}"},
                "app.inner.port", same("\"x\"", "\"x\""), "an integer from -2147483648 to 2147483647"));
        cases.add(new Case(Endpoints.class, "endpoints", new String[] {"[{\"host\": \"h\", \"port\": 1}]", "[{\"host\": \"h\", \"port\": 1}]",
                "[{host = \"h\", port = 1}]"}, List.of(new Inner("h", 1)), new String[] {"[{\"host\": \"h\", \"port\": true}]",
                "[{\"host\": \"h\", \"port\": true}]", "[{host = \"h\", port = true}]"}, "app.endpoints[0].port", same("true", "true"),
                "an integer from -2147483648 to 2147483647"));
        return cases;
    }

    static Stream<Arguments> everyCaseInEveryLayer() {
        List<Arguments> arguments = new ArrayList<>();
        for (Case c : cases()) {
            for (Where where : Where.values()) {
                arguments.add(Arguments.of(c, where));
            }
        }
        return arguments.stream();
    }

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    /**
     * A configuration whose layer {@code where} holds {@code app.<key>} as {@code text} (the
     * environment's text, or a JSON or TOML literal), and every other layer exists but is silent.
     */
    private Waterfall configWith(Where where, String key, String[] values) throws Exception {
        Path store = home.resolve("config.json");
        Path system = home.resolve("system.toml");
        Path defaults = home.resolve("defaults.json");
        Files.writeString(store, where == Where.STORE ? "{\n  \"app\": {\n    \"" + key + "\": " + values[1] + "\n  }\n}\n" : "{}\n");
        Files.writeString(system, where == Where.SYSTEM ? "[app]\n" + key + " = " + values[2] + "\n" : "# nothing\n");
        Files.writeString(defaults, where == Where.DEFAULTS ? "{\n  \"app\": {\n    \"" + key + "\": " + values[1] + "\n  }\n}\n" : "{}\n");
        Map<String, String> env = new HashMap<>();
        if (where == Where.ENV) {
            env.put("PIPELINE_APP_" + Plan.envSegment(key), values[0]);
        }
        Waterfall config = Waterfall.builder("pipeline").environment(env).home(home).identity(new ProcessIdentity("tester", "host", 1))
                .store("json:" + store).systemFile(system).defaultsResource(defaults.toUri().toURL()).open();
        opened.add(config);
        return config;
    }

    /** Where the message says the value came from. */
    private String origin(Where where, String key) throws Exception {
        return switch (where) {
            case ENV -> "PIPELINE_APP_" + Plan.envSegment(key);
            case STORE -> "store json:" + home.resolve("config.json") + ":3";
            case SYSTEM -> "system " + home.resolve("system.toml") + ":2";
            case DEFAULTS -> "defaults " + home.resolve("defaults.json").toUri().toURL() + ":3";
        };
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyCaseInEveryLayer")
    void aGoodValue_bindsToWhatItSays_fromEveryLayer(Case c, Where where) throws Exception {
        Object bound = Binder.of(configWith(where, c.key, c.good)).bind("app", c.type);

        Object component = c.type.getRecordComponents()[0].getAccessor().invoke(bound);
        assertThat(component).isEqualTo(c.expected);
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyCaseInEveryLayer")
    void aBadValue_namesKeyExpectationValueAndOrigin(Case c, Where where) throws Exception {
        int layer = where == Where.ENV ? 0 : where == Where.SYSTEM ? 2 : 1;
        if (c.bad[layer] == null) {
            // the environment's text is always a valid string list; the case's other layers carry its failure
            assertThat(Binder.of(configWith(where, c.key, new String[] {"17", "17", "17"})).bind("app", c.type)).isNotNull();
            return;
        }
        Binder binder = Binder.of(configWith(where, c.key, c.bad));

        assertThatThrownBy(() -> binder.bind("app", c.type))
                .isInstanceOfSatisfying(BindingException.class, e -> {
                    assertThat(e.problems()).singleElement().satisfies(problem -> {
                        assertThat(problem.key()).isEqualTo(c.badKey);
                        assertThat(problem.expected()).startsWith(c.expectation);
                        assertThat(problem.value()).contains(c.shown[layer]);
                        assertThat(problem.origin()).isEqualTo(uncheckedOrigin(where, c.key));
                    });
                    assertThat(e.getMessage()).contains(c.badKey + ": expected " + c.expectation)
                            .contains("got " + c.shown[layer] + " from " + uncheckedOrigin(where, c.key));
                });
    }

    private String uncheckedOrigin(Where where, String key) {
        try {
            return origin(where, key);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
