package dev.waterfall.json;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON member names outside the bare key rule, as editors' settings files hold them
 * ({@code "[python]"}, {@code "editor.formatOnSave"}, {@code "**}{@code /.git"}): the file opens,
 * such a member is a quoted segment, and a write keeps every member as it was (issue 15, item 14:
 * one such name made the whole file unreadable).
 */
class QuotedJsonKeysTest {

    @TempDir
    Path dir;

    private ContractWorld world;

    @BeforeEach
    void open() {
        world = new ContractWorld(dir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void settingsFileWithDottedAndBracketedMembers_opens_andASetKeepsThemAll() throws Exception {
        Path file = dir.resolve("settings.json");
        String before = """
                {
                  "editor.fontSize": 13,
                  "[python]": {
                    "editor.formatOnSave": true,
                    "editor.defaultFormatter": "ms-python.black-formatter"
                  },
                  "files.exclude": {
                    "**/.git": true,
                    "**/__pycache__": true
                  },
                  "": "empty name",
                  "~": "home",
                  "caf\u00e9 au lait": 1
                }
                """;
        Files.writeString(file, before);
        ConfigStore store = world.open("json:" + file).store();

        assertThat(store.get(Key.of("\"[python]\".\"editor.formatOnSave\""))).map(Entry::value).contains(Value.of(true));
        assertThat(store.get(Key.of("'files.exclude'.'**/.git'"))).map(Entry::value).contains(Value.of(true));
        assertThat(store.get(Key.of("\"\""))).map(Entry::value).contains(Value.of("empty name"));
        assertThat(store.get(Key.of("\"caf\u00e9 au lait\""))).map(Entry::value).contains(Value.of(1));
        assertThat(store.snapshot().entries().keySet()).extracting(Key::path).containsExactly(
                "\"\"", "\"[python]\".\"editor.defaultFormatter\"", "\"[python]\".\"editor.formatOnSave\"",
                "\"caf\u00e9 au lait\"", "\"editor.fontSize\"", "\"files.exclude\".\"**/.git\"",
                "\"files.exclude\".\"**/__pycache__\"", "\"~\"");

        store.set(Key.of("\"editor.fontSize\""), Value.of(14));
        store.set(Key.of("\"[python]\".\"editor.tabSize\""), Value.of(4));

        String after = Files.readString(file);
        assertThat(after).isEqualTo(before.replace("\"editor.fontSize\": 13", "\"editor.fontSize\": 14")
                .replace("\"ms-python.black-formatter\"\n", "\"ms-python.black-formatter\",\n    \"editor.tabSize\": 4\n"));
        ConfigStore fresh = world.open("json:" + file).store();
        assertThat(fresh.get(Key.of("\"[python]\".'editor.tabSize'"))).map(Entry::value).contains(Value.of(4));
        assertThat(fresh.get(Key.of("\"~\""))).map(Entry::value).contains(Value.of("home"));
    }

    @Test
    void aBrokenValueOfAQuotedSecretMember_isNotEchoed() throws Exception {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\n  \"db\": {\"api key\": hunter2}\n}\n");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> world.open("json:" + file).store().get(Key.of("db.x")))
                .isInstanceOf(dev.waterfall.config.StoreBrokenException.class)
                .hasMessageContaining("the value of member \"api key\" is not a valid JSON value (it is not shown")
                .hasMessageNotContaining("hunter2");
    }
}
