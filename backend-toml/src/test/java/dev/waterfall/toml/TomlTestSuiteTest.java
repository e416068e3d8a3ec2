package dev.waterfall.toml;

import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import dev.waterfall.file.Edit;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseOptions;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlVersion;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOML's own compliance suite, toml-test (the TOML 1.0 cases listed in {@code files-toml-1.0.0}
 * of {@code src/test/resources/toml-test}, with its MIT licence), run through the TOML store's codec.
 *
 * <p>How the cases count:
 * <ul>
 *   <li><b>Valid, read:</b> the file opens and every leaf equals the case's expected JSON (floats
 *       as numbers, everything else exactly). A table without leaves has no trace in a store, so
 *       an empty table in the expected JSON asks for nothing.</li>
 *   <li><b>Valid, with quoted keys:</b> a key path with a space, a dot inside quotes, an empty or
 *       a non-ASCII key is a key with quoted segments ({@link Key#RULE}); every such case reads
 *       exactly (before issue 15, item 14, they were refused whole). None may break the key rule.</li>
 *   <li><b>Valid, after setting new keys:</b> each readable case gets one new top-level key; in
 *       separate runs, one new key in the table of its first nested key, and one in the table
 *       around that (often a table only implied by a {@code [a.b]} header). The result must read
 *       back as the same values plus the new key, keep every line of the case (the only new lines
 *       are the new key's, blank lines and a header for a table that was only implied), and read
 *       the same in Python's {@code tomllib}.</li>
 *   <li><b>Invalid:</b> the file is refused with a {@link StoreBrokenException} naming a line and column.</li>
 *   <li><b>tomlj by itself:</b> the same cases through tomlj alone, to pin what the store must not
 *       leave to it (a byte order mark).</li>
 * </ul>
 * A case that fails and is not in the known-failure lists below fails the test, and so does a
 * listed case that starts to pass: the lists say exactly where tomlj or this store fall short.
 * Each test writes its counts to {@code target/toml-test-report/}.
 */
class TomlTestSuiteTest {

    private static final Path SUITE = Path.of("src/test/resources/toml-test");
    private static final Path REPORT = Path.of("target", "toml-test-report");

    /**
     * Cases that tomlj 2.2.0 by itself (parsing the file's bytes as TOML 1.0) gets wrong, with the
     * reason. The store reads these right because it does not leave them to tomlj.
     */
    private static final Map<String, String> TOMLJ_ALONE_GETS_WRONG = Map.of(
            "valid/utf8-bom-01", "tomlj refuses a UTF-8 byte order mark, which TOML 1.0 allows; the store strips it before "
                    + "parsing and writes it back",
            "valid/utf8-bom-02", "tomlj refuses a UTF-8 byte order mark, which TOML 1.0 allows; the store strips it before "
                    + "parsing and writes it back");

    /** Valid cases that do not read as expected, with the reason. None with tomlj 2.2.0. */
    private static final Map<String, String> KNOWN_VALID_FAILURES = Map.of();

    /** Invalid cases that are not refused, with the reason. None with tomlj 2.2.0 and strict UTF-8 decoding. */
    private static final Map<String, String> KNOWN_INVALID_ACCEPTED = Map.of();

    /** Valid cases where setting a new key goes wrong, with the reason. None. */
    private static final Map<String, String> KNOWN_EDIT_FAILURES = Map.of();

    /** Edited files that Python's tomllib cannot read, with the reason (the file as a path under the temp folder). */
    private static final Map<String, String> KNOWN_PYTHON_REFUSALS = Map.of(
            "top/valid/utf8-bom-01.toml", "tomllib (3.11) refuses a UTF-8 byte order mark, which TOML 1.0 allows and the store keeps",
            "top/valid/utf8-bom-02.toml", "tomllib (3.11) refuses a UTF-8 byte order mark, which TOML 1.0 allows and the store keeps");

    private static final String PROBE = "waterfall_probe";

    private final TomlCodec codec = new TomlCodec();

    @TempDir
    Path dir;

    @Test
    void tomljByItself_getsOnlyTheListedCasesWrong() throws IOException {
        Map<String, String> wrong = new TreeMap<>();
        List<String> all = new ArrayList<>(cases("valid"));
        all.addAll(cases("invalid"));
        for (String name : all) {
            boolean valid = name.startsWith("valid/");
            String problem;
            try (InputStream in = Files.newInputStream(SUITE.resolve(name + ".toml"))) {
                TomlParseResult result = Toml.parse(in, TomlParseOptions.defaults().withVersion(TomlVersion.V1_0_0));
                problem = valid == result.hasErrors() ? (valid ? "refused: " + result.errors() : "accepted") : null;
            } catch (IOException e) {
                problem = valid ? "refused: " + e : null; // bytes that are not UTF-8: refused, if without a line
            }
            if (problem != null) {
                wrong.put(name, problem);
            }
        }

        report("tomlj-alone", "TOML 1.0 cases tomlj 2.2.0 by itself gets wrong: " + wrong + "\n");
        assertThat(wrong.keySet()).as("cases tomlj alone gets wrong: %s", wrong).isEqualTo(TOMLJ_ALONE_GETS_WRONG.keySet());
    }

    @Test
    void validCases_readExactlyTheirExpectedValues() throws IOException {
        Map<String, String> failures = new TreeMap<>();
        int read = 0;
        int keyRule = 0;
        for (String name : cases("valid")) {
            Map<List<String>, Value> expected = TaggedJson.leaves(expectedJson(name));
            if (TaggedJson.breaksKeyRule(expectedJson(name))) {
                keyRule++;
                continue;
            }
            try {
                Map<List<String>, Value> actual = leaves(codec.parse(bytes(name), name));
                if (TaggedJson.sameLeaves(expected, actual, false)) {
                    read++;
                } else {
                    failures.put(name, "expected " + expected + " but read " + actual);
                }
            } catch (RuntimeException e) {
                failures.put(name, e.toString());
            }
        }

        report("valid-read", "valid TOML 1.0 cases: " + cases("valid").size() + "\n"
                + "read exactly as expected: " + read + "\n"
                + "refused by Waterfall's key rule (counted apart): " + keyRule + "\n"
                + "failures: " + failures.size() + " " + failures.keySet() + "\n");
        assertThat(failures.keySet()).as("valid cases that fail: %s", failures).isEqualTo(KNOWN_VALID_FAILURES.keySet());
    }

    @Test
    void validCasesWithQuotedKeys_allOpen_noValidCaseBreaksTheKeyRule() throws IOException {
        List<String> breaking = new ArrayList<>();
        List<String> quoted = new ArrayList<>();
        for (String name : cases("valid")) {
            if (TaggedJson.breaksKeyRule(expectedJson(name))) {
                breaking.add(name);
            } else if (codec.parse(bytes(name), name).values().keySet().stream().anyMatch(key -> !key.isBare())) {
                quoted.add(name);
            }
        }

        report("valid-key-rule", "valid cases whose keys need quoted segments, all read (exactly: see valid-read): "
                + quoted.size() + "\n" + String.join("\n", quoted) + "\n");
        assertThat(breaking).as("before quoted segments (issue 15, item 14) these were refused whole").isEmpty();
        assertThat(quoted).hasSizeGreaterThan(20);
    }

    @Test
    void validCases_afterSettingNewKeys_keepEveryLineAndReadTheSamePlusTheKeys() throws Exception {
        Map<String, String> failures = new TreeMap<>();
        Map<Path, Map<List<String>, Value>> written = new LinkedHashMap<>();
        int topLevel = 0;
        int nested = 0;
        int outer = 0;
        for (String name : cases("valid")) {
            if (TaggedJson.breaksKeyRule(expectedJson(name)) || KNOWN_VALID_FAILURES.containsKey(name)) {
                continue;
            }
            byte[] original = bytes(name);
            TomlDocument document = codec.parse(original, name);
            try {
                written.put(probe(name, "top", original, document, Key.of(PROBE)), null);
                topLevel++;
                Key first = document.values().keySet().stream().filter(key -> key.segments().size() > 1).findFirst().orElse(null);
                if (first != null) {
                    List<String> table = first.segments().subList(0, first.segments().size() - 1);
                    written.put(probe(name, "nested", original, codec.parse(original, name), Key.ofSegments(append(table, PROBE))), null);
                    nested++;
                }
                Key deep = document.values().keySet().stream().filter(key -> key.segments().size() > 2).findFirst().orElse(null);
                if (deep != null) {
                    List<String> table = deep.segments().subList(0, deep.segments().size() - 2);
                    written.put(probe(name, "outer", original, codec.parse(original, name), Key.ofSegments(append(table, PROBE))), null);
                    outer++;
                }
            } catch (AssertionError | RuntimeException e) {
                failures.put(name, e.getMessage());
            }
        }
        for (Path file : written.keySet()) {
            written.put(file, leaves(codec.parse(Files.readAllBytes(file), file.toString())));
        }

        Map<Path, PythonTomllib.Reading> python = PythonTomllib.read(new ArrayList<>(written.keySet()));
        Map<String, String> pythonRefusals = new TreeMap<>();
        int agreed = 0;
        for (Map.Entry<Path, Map<List<String>, Value>> file : written.entrySet()) {
            String relative = dir.relativize(file.getKey()).toString();
            PythonTomllib.Reading reading = python.get(file.getKey().toAbsolutePath());
            if (reading == null) {
                failures.put(relative, "tomllib said nothing");
            } else if (reading.error() != null) {
                pythonRefusals.put(relative, reading.error());
            } else if (!TaggedJson.sameLeaves(file.getValue(), reading.leaves(), true)) {
                failures.put(relative, "tomllib reads " + reading.leaves() + " where we read " + file.getValue());
            } else {
                agreed++;
            }
        }

        report("valid-edit", "valid cases edited with a new top-level key: " + topLevel + "\n"
                + "and with a new key in the table of their first nested key: " + nested + "\n"
                + "and with a new key in the table around that (often only implied by a header): " + outer + "\n"
                + "edited files that Python's tomllib reads as we do: " + agreed + " of " + written.size() + "\n"
                + "edited files that tomllib refuses: " + pythonRefusals + "\n"
                + "failures: " + failures.size() + " " + failures.keySet() + "\n");
        assertThat(failures.keySet()).as("edits that fail: %s", failures).isEqualTo(KNOWN_EDIT_FAILURES.keySet());
        assertThat(pythonRefusals.keySet()).as("edited files tomllib refuses: %s", pythonRefusals).isEqualTo(KNOWN_PYTHON_REFUSALS.keySet());
        assertThat(agreed + pythonRefusals.size()).isEqualTo(written.size());
    }

    /** Sets {@code key} in a case, checks the result, and returns the file it was written to. */
    private Path probe(String name, String variant, byte[] original, TomlDocument document, Key key) throws IOException {
        Value value = Value.of("added");
        byte[] edited = codec.edit(document, List.of(Edit.put(key, value)));
        Path file = dir.resolve(variant).resolve(name + ".toml");
        Files.createDirectories(file.getParent());
        Files.write(file, edited);

        TomlDocument reread = codec.parse(edited, name + " with " + key);
        Map<Key, Value> expected = new LinkedHashMap<>(document.values());
        expected.put(key, value);
        assertThat(reread.values()).as(name + ": the values after setting " + key).isEqualTo(expected);
        assertKeepsEveryLine(name, new String(original, StandardCharsets.UTF_8), new String(edited, StandardCharsets.UTF_8));
        return file;
    }

    /**
     * Checks that {@code after} is {@code before} with lines added: the new key's line (a changed
     * line if the key went into an inline table), blank lines, and headers of new tables.
     */
    private static void assertKeepsEveryLine(String name, String before, String after) {
        LineDiff diff = LineDiff.of(before.replace("\uFEFF", ""), after.replace("\uFEFF", ""));
        List<String> removed = diff.removed();
        List<String> added = diff.added();
        List<String> probeLines = added.stream().filter(line -> line.contains(PROBE)).toList();
        List<String> otherAdded = added.stream().filter(line -> !line.contains(PROBE))
                .filter(line -> !line.isBlank() && !line.strip().matches("\\[[A-Za-z0-9_.-]+\\]")).toList();
        assertThat(otherAdded).as(name + ": lines added besides the new key's, blank lines and table headers").isEmpty();
        assertThat(probeLines).as(name + ": the new key's line").hasSize(1);
        assertThat(removed.size()).as(name + ": lines changed (only the one an inline table's new member goes into): " + removed)
                .isLessThanOrEqualTo(1);
        if (!removed.isEmpty()) {
            assertThat(probeLines.get(0).replaceFirst(",\\s*(?:[A-Za-z0-9_-]+\\.)*" + PROBE + " = \"added\"", ""))
                    .as(name + ": the line of the inline table the new key went into, without it").isEqualTo(removed.get(0));
        }
    }

    @Test
    void invalidCases_areRefusedWithAnError() throws IOException {
        Map<String, String> accepted = new TreeMap<>();
        int refused = 0;
        for (String name : cases("invalid")) {
            try {
                codec.parse(bytes(name), name);
                accepted.put(name, "opened");
            } catch (StoreBrokenException e) {
                if (e.line().isEmpty() || e.column().isEmpty()) {
                    accepted.put(name, "refused without a line and column: " + e.getMessage());
                } else {
                    refused++;
                }
            }
        }

        report("invalid", "invalid TOML 1.0 cases: " + cases("invalid").size() + "\n"
                + "refused with an error naming the line and column: " + refused + "\n"
                + "accepted: " + accepted.size() + " " + accepted.keySet() + "\n");
        assertThat(accepted.keySet()).as("invalid cases not refused: %s", accepted).isEqualTo(KNOWN_INVALID_ACCEPTED.keySet());
    }

    // ------------------------------------------------------------------ helpers

    /** The cases of one kind ({@code valid}, {@code invalid}) for TOML 1.0, without extension. */
    private static List<String> cases(String kind) throws IOException {
        return Files.readAllLines(SUITE.resolve("files-toml-1.0.0")).stream()
                .filter(line -> line.startsWith(kind + "/") && line.endsWith(".toml"))
                .map(line -> line.substring(0, line.length() - ".toml".length()))
                .toList();
    }

    private static byte[] bytes(String name) throws IOException {
        return Files.readAllBytes(SUITE.resolve(name + ".toml"));
    }

    private static Value expectedJson(String name) throws IOException {
        return Value.parseJson(Files.readString(SUITE.resolve(name + ".json"), StandardCharsets.UTF_8));
    }

    private static Map<List<String>, Value> leaves(TomlDocument document) {
        Map<List<String>, Value> leaves = new LinkedHashMap<>();
        document.values().forEach((key, value) -> leaves.put(key.segments(), value));
        return leaves;
    }

    private static List<String> append(List<String> path, String name) {
        List<String> longer = new ArrayList<>(path);
        longer.add(name);
        return longer;
    }

    private static void report(String name, String text) throws IOException {
        Files.createDirectories(REPORT);
        Files.writeString(REPORT.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
    }
}
