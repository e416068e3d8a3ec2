package dev.waterfall.toml;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The promise of the TOML store, on the kind of file it is for: a configuration a person wrote and
 * commented by hand. A dozen writes (changes, new keys, a new table, removals, an array spread over
 * lines, an array of tables, an inline table) must change exactly the lines of those keys, in a
 * file with LF line endings and in the same file with CRLF.
 */
class HandEditedFileTest {

    static final String ORIGINAL = """
            # Plant monitor settings.
            # Edit by hand as you like: `waterfall set` keeps your comments and layout.

            title = "Plant monitor"   # shown in the window title
            version = 3

            # --- network ---------------------------------------------------------------

            [server]
            # Where the daemon listens.
            host = "127.0.0.1"
            port = 8080        # change together with the firewall rule
            timeout = 2.50     # seconds
            allowed = [
              "10.0.0.0/8",      # office
              "192.168.0.0/16",  # home
            ]

            [database]
            url = 'postgresql://db.example.org/plants'   # a literal string: no escapes
            pool.min = 2
            pool.max = 10
            retry = { attempts = 3, backoff = 0.5 }

            # Sensors: each [[sensors]] section is one sensor.
            [[sensors]]
            name = "greenhouse"
            interval = 0x3C   # one minute, in hex because the firmware says so

            [[sensors]]
            name = "window sill"
            interval = 1_800

            [display]
            theme = "dark"    # or "light"
            # When a person last changed the layout.
            changed = 2026-11-20T08:15:00+01:00
            """;

    /** {@link #ORIGINAL} after {@link #edit}: only the lines of the keys that changed differ. */
    static final String EXPECTED = """
            # Plant monitor settings.
            # Edit by hand as you like: `waterfall set` keeps your comments and layout.

            title = "Plant monitor 2"   # shown in the window title

            # --- network ---------------------------------------------------------------

            [server]
            # Where the daemon listens.
            host = "127.0.0.1"
            port = 9090        # change together with the firewall rule
            timeout = 3.75     # seconds
            allowed = [
              "10.0.0.0/8",      # office
              "192.168.0.0/16",  # home
              "172.16.0.0/12",
            ]
            tls = true

            [database]
            url = 'postgresql://db2.example.org/plants'   # a literal string: no escapes
            pool.min = 2
            pool.max = 20
            retry = { attempts = 5, backoff = 0.5 }

            # Sensors: each [[sensors]] section is one sensor.
            [[sensors]]
            name = "greenhouse"
            interval = 0x3C   # one minute, in hex because the firmware says so

            [[sensors]]
            name = "window sill"
            interval = 900

            [display]
            # When a person last changed the layout.
            changed = 2026-11-20T08:15:00+01:00

            [logging]
            level = "info"
            """;

    @TempDir
    Path dir;

    private ContractWorld world;
    private Path file;

    @BeforeEach
    void open() {
        world = new ContractWorld(dir);
        file = dir.resolve("plant.toml");
    }

    @AfterEach
    void close() {
        world.close();
    }

    /** The writes a person or program makes over a few days, one at a time. */
    private void edit() {
        ConfigStore store = world.open("toml:" + file).store();
        store.set(Key.of("server.port"), Value.of(9090));
        store.set(Key.of("server.timeout"), new NumberValue("3.75"));
        store.set(Key.of("database.pool.max"), Value.of(20));
        store.set(Key.of("database.retry.attempts"), Value.of(5));
        store.set(Key.of("sensors"), Value.parseJson("""
                [{"name": "greenhouse", "interval": 60}, {"name": "window sill", "interval": 900}]"""));
        store.unset(Key.of("display.theme"));
        store.set(Key.of("server.tls"), Value.of(true));
        store.set(Key.of("logging.level"), Value.of("info"));
        store.unset(Key.of("version"));
        store.set(Key.of("title"), Value.of("Plant monitor 2"));
        store.set(Key.of("server.allowed"), Value.parseJson("[\"10.0.0.0/8\", \"192.168.0.0/16\", \"172.16.0.0/12\"]"));
        store.set(Key.of("database.url"), Value.of("postgresql://db2.example.org/plants"));
    }

    @Test
    void handCommentedFile_setChangeAndUnsetSeveralKeys_changesOnlyTheirLines() throws IOException {
        Files.writeString(file, ORIGINAL, StandardCharsets.UTF_8);

        edit();

        String result = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(LineDiff.of(ORIGINAL, result)).isEqualTo(new LineDiff(
                List.of(
                        "title = \"Plant monitor\"   # shown in the window title",
                        "version = 3",
                        "port = 8080        # change together with the firewall rule",
                        "timeout = 2.50     # seconds",
                        "url = 'postgresql://db.example.org/plants'   # a literal string: no escapes",
                        "pool.max = 10",
                        "retry = { attempts = 3, backoff = 0.5 }",
                        "interval = 1_800",
                        "theme = \"dark\"    # or \"light\""),
                List.of(
                        "title = \"Plant monitor 2\"   # shown in the window title",
                        "port = 9090        # change together with the firewall rule",
                        "timeout = 3.75     # seconds",
                        "  \"172.16.0.0/12\",",
                        "tls = true",
                        "url = 'postgresql://db2.example.org/plants'   # a literal string: no escapes",
                        "pool.max = 20",
                        "retry = { attempts = 5, backoff = 0.5 }",
                        "interval = 900",
                        "[logging]",
                        "level = \"info\"",
                        "")));
        assertThat(result).isEqualTo(EXPECTED);
        assertThat(world.open("toml:" + file).store().snapshot().entries()).hasSize(14);
    }

    @Test
    void handCommentedFileWithCrlfLineEndings_setChangeAndUnsetSeveralKeys_changesOnlyTheirLinesAndKeepsCrlf() throws IOException {
        Files.writeString(file, crlf(ORIGINAL), StandardCharsets.UTF_8);

        edit();

        String result = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(result).isEqualTo(crlf(EXPECTED));
        assertThat(result.replace("\r\n", "")).as("no line ends in a bare LF").doesNotContain("\n");
    }

    @Test
    void handCommentedFile_afterTheEdits_readsTheSameInPythonsTomllib() throws Exception {
        Files.writeString(file, crlf(ORIGINAL), StandardCharsets.UTF_8);
        edit();
        Map<List<String>, Value> ours = new LinkedHashMap<>();
        for (Entry entry : world.open("toml:" + file).store().snapshot().entries().values()) {
            ours.put(entry.key().segments(), entry.value());
        }

        PythonTomllib.Reading python = PythonTomllib.read(file);

        assertThat(python.error()).isNull();
        assertThat(TaggedJson.sameLeaves(ours, python.leaves(), true)).as("tomllib reads %s, we read %s", python.leaves(), ours).isTrue();
        assertThat(ours.get(List.of("display", "changed")).toJson()).isEqualTo("\"2026-11-20T08:15:00+01:00\"");
    }

    private static String crlf(String text) {
        return text.replace("\n", "\r\n");
    }
}
