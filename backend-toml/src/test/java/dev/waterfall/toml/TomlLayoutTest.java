package dev.waterfall.toml;

import dev.waterfall.config.Change;
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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a write to a TOML store puts things, for each way TOML lets a person lay out a file:
 * header tables, dotted keys, inline tables, tables implied by a sub-table, arrays over several
 * lines, arrays of tables, the quoting and notation of values, line endings and byte order marks.
 * Each test writes through a real store and compares the whole file; every file written is also
 * read by Python's tomllib, which must see what we see.
 */
class TomlLayoutTest {

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

    /** Writes {@code original}, makes the writes through a store, and returns the file's new text. */
    private String afterWrites(String original, Consumer<ConfigStore> writes) throws Exception {
        if (original != null) {
            Files.writeString(file, original, StandardCharsets.UTF_8);
        }
        writes.accept(world.open("toml:" + file).store());
        String result = Files.readString(file, StandardCharsets.UTF_8);
        Map<List<String>, Value> ours = new LinkedHashMap<>();
        for (Entry entry : world.open("toml:" + file).store().snapshot().entries().values()) {
            ours.put(entry.key().segments(), entry.value());
        }
        PythonTomllib.Reading python = PythonTomllib.read(file);
        assertThat(python.error()).as("tomllib on\n" + result).isNull();
        assertThat(TaggedJson.sameLeaves(ours, python.leaves(), true)).as("tomllib reads %s, we read %s", python.leaves(), ours).isTrue();
        return result;
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    // ------------------------------------------------------------------ changing a value

    @Test
    void set_existingKey_changesOnlyItsValueAndKeepsSpacingAndComment() throws Exception {
        String result = afterWrites("""
                [server]
                port   =   8080   # the port
                host = "h"
                """, store -> store.set(key("server.port"), Value.of(9090)));

        assertThat(result).isEqualTo("""
                [server]
                port   =   9090   # the port
                host = "h"
                """);
    }

    @Test
    void set_memberOfInlineTable_changesOnlyThatMember() throws Exception {
        String result = afterWrites("""
                retry = {   attempts = 3,  backoff = 0.5 }   # tuned
                nested = { a = { b = 1 }, c = [1, 2] }
                """, store -> {
            store.set(key("retry.attempts"), Value.of(5));
            store.set(key("nested.a.b"), Value.of(2));
            store.set(key("nested.c"), Value.parseJson("[1, 2, 3]"));
        });

        assertThat(result).isEqualTo("""
                retry = {   attempts = 5,  backoff = 0.5 }   # tuned
                nested = { a = { b = 2 }, c = [1, 2, 3] }
                """);
    }

    @Test
    void set_itemsOfAMultiLineArray_keepsTheOtherItemsWithTheirComments() throws Exception {
        String original = """
                ports = [
                  8001,  # first
                  8002,  # second
                  8003,  # third
                ]
                """;

        String removedFirst = afterWrites(original, store -> store.set(key("ports"), Value.parseJson("[8002, 8003]")));
        assertThat(removedFirst).isEqualTo("""
                ports = [
                  8002,  # second
                  8003,  # third
                ]
                """);

        String changedAndAdded = afterWrites(original, store -> store.set(key("ports"), Value.parseJson("[8001, 9002, 8003, 8004]")));
        assertThat(changedAndAdded).isEqualTo("""
                ports = [
                  8001,  # first
                  9002,  # second
                  8003,  # third
                  8004,
                ]
                """);
    }

    @Test
    void set_arrayOfTables_keepsItsSectionsAndComments_andAddsSections() throws Exception {
        String result = afterWrites("""
                # Sensors: one [[sensors]] section each.
                [[sensors]]
                name = "greenhouse"   # the big one
                interval = 60

                [sensors.limits]
                max = 30

                [[sensors]]
                name = "sill"
                interval = 600

                [display]
                theme = "dark"
                """, store -> store.set(key("sensors"), Value.parseJson("""
                [{"name": "greenhouse", "interval": 60, "limits": {"max": 35}},
                 {"name": "sill", "interval": 900},
                 {"name": "attic", "interval": 60}]""")));

        assertThat(result).isEqualTo("""
                # Sensors: one [[sensors]] section each.
                [[sensors]]
                name = "greenhouse"   # the big one
                interval = 60

                [sensors.limits]
                max = 35

                [[sensors]]
                name = "sill"
                interval = 900

                [[sensors]]
                name = "attic"
                interval = 60

                [display]
                theme = "dark"
                """);
    }

    @Test
    void set_arrayOfTablesToAnotherKindOfValue_replacesItsSections() throws Exception {
        String result = afterWrites("""
                top = 1

                [[fruit]]
                name = "apple"

                [[fruit]]
                name = "banana"

                [other]
                k = 2
                """, store -> store.set(key("fruit"), Value.parseJson("[]")));

        assertThat(result).isEqualTo("""
                top = 1
                fruit = []

                [other]
                k = 2
                """);
    }

    // ------------------------------------------------------------------ where a new key goes

    @Test
    void set_newKeyInHeaderTable_goesAfterItsLastKey_beforeTheNextSectionsComments() throws Exception {
        String result = afterWrites("""
                [server]
                host = "h"   # eol

                # --- storage ---
                [database]
                url = "x"
                """, store -> store.set(key("server.port"), Value.of(8080)));

        assertThat(result).isEqualTo("""
                [server]
                host = "h"   # eol
                port = 8080

                # --- storage ---
                [database]
                url = "x"
                """);
    }

    @Test
    void set_newKeyInIndentedTable_isIndentedLikeItsSiblings() throws Exception {
        String result = afterWrites("""
                [servers]

                  [servers.alpha]
                  ip = "10.0.0.1"
                """, store -> store.set(key("servers.alpha.dc"), Value.of("eqdc10")));

        assertThat(result).isEqualTo("""
                [servers]

                  [servers.alpha]
                  ip = "10.0.0.1"
                  dc = "eqdc10"
                """);
    }

    @Test
    void set_newTopLevelKey_goesAfterTheTopLevelKeys_orBeforeTheFirstTableAfterLeadingComments() throws Exception {
        String withKeys = afterWrites("""
                # settings
                name = "x"
                # attached to the table
                [t]
                k = 1
                """, store -> store.set(key("added"), Value.of(true)));
        assertThat(withKeys).isEqualTo("""
                # settings
                name = "x"
                added = true
                # attached to the table
                [t]
                k = 1
                """);

        String withoutKeys = afterWrites("""
                # settings, by hand

                [t]
                k = 1
                """, store -> store.set(key("added"), Value.of(true)));
        assertThat(withoutKeys).isEqualTo("""
                # settings, by hand

                added = true

                [t]
                k = 1
                """);
    }

    @Test
    void set_newKeyInMissingTable_addsTheTableAtTheEnd() throws Exception {
        String result = afterWrites("""
                [server]
                host = "h"

                [database]
                url = "x"
                """, store -> {
            store.set(key("server.tls.cert"), Value.of("/etc/cert.pem"));
            store.set(key("logging.level"), Value.of("info"));
            store.set(key("server.tls.key"), Value.of("/etc/key.pem"));
        });

        assertThat(result).isEqualTo("""
                [server]
                host = "h"

                [database]
                url = "x"

                [server.tls]
                cert = "/etc/cert.pem"
                key = "/etc/key.pem"

                [logging]
                level = "info"
                """);
    }

    @Test
    void set_newKeyInTableOnlyImpliedBySubTable_addsItsHeaderAtTheEnd() throws Exception {
        String result = afterWrites("""
                name = "x"

                [plant.sensors]
                count = 2

                [display]
                theme = "dark"
                """, store -> store.apply(List.of(
                        Change.set(key("plant.name"), Value.of("Basil")),
                        Change.set(key("plant.site"), Value.of(7)))));

        assertThat(result).isEqualTo("""
                name = "x"

                [plant.sensors]
                count = 2

                [display]
                theme = "dark"

                [plant]
                name = "Basil"
                site = 7
                """);
    }

    @Test
    void set_keysInAnImpliedTableAndInItsWrittenSubTable_inOneBatch_goEachToItsOwnTable() throws Exception {
        String result = afterWrites("""
                [x.y]
                z = 1
                """, store -> store.apply(List.of(
                        Change.set(key("x.w"), Value.of(2)),
                        Change.set(key("x.y.q"), Value.of(3)),
                        Change.set(key("x.n.m"), Value.of(4)),
                        Change.set(key("x.v"), Value.of(5)))));

        assertThat(result).isEqualTo("""
                [x.y]
                z = 1
                q = 3

                [x]
                w = 2
                v = 5

                [x.n]
                m = 4
                """);
    }

    @Test
    void set_newKeyUnderADottedKeyPrefix_goesNextToItsSiblings() throws Exception {
        String result = afterWrites("""
                [database]
                pool.min = 2   # at least
                url = "x"
                """, store -> store.set(key("database.pool.max"), Value.of(10)));

        assertThat(result).isEqualTo("""
                [database]
                pool.min = 2   # at least
                pool.max = 10
                url = "x"
                """);
    }

    @Test
    void set_newKeyInInlineTable_goesInsideIt() throws Exception {
        String result = afterWrites("""
                point = { x = 1, y = 2 }
                """, store -> {
            store.set(key("point.z"), Value.of(3));
            store.set(key("point.label.text"), Value.of("origin"));
        });

        assertThat(result).isEqualTo("""
                point = { x = 1, y = 2, z = 3, label = { text = "origin" } }
                """);
    }

    @Test
    void set_newKeysDeepInsideAnInlineTableWithDottedKeys_stayInsideIt() throws Exception {
        String result = afterWrites("""
                x = { a.b = 1 }
                [t]
                k = 1
                """, store -> store.apply(List.of(
                        Change.set(key("x.a.c.d"), Value.of(2)),
                        Change.set(key("x.a.e"), Value.of(3)))));

        assertThat(result).isEqualTo("""
                x = { a.b = 1, a.c = { d = 2 }, a.e = 3 }
                [t]
                k = 1
                """);
    }

    @Test
    void set_keyWhereAnEmptyTableStood_turnsTheTableIntoTheValue() throws Exception {
        String result = afterWrites("""
                [cache]   # off for now
                [server]
                host = "h"
                """, store -> store.set(key("cache"), Value.of(false)));

        assertThat(result).isEqualTo("""
                cache = false   # off for now
                [server]
                host = "h"
                """);
    }

    @Test
    void set_keyWhereAnEmptyTableStood_inATableOnlyImplied_goesToThatTablesNewHeader() throws Exception {
        String result = afterWrites("""
                x = 1
                [a.b]
                [a.b.c]
                [d]
                k = 1
                """, store -> store.set(key("a.b"), Value.of(5)));

        assertThat(result).isEqualTo("""
                x = 1
                [d]
                k = 1

                [a]
                b = 5
                """);
    }

    // ------------------------------------------------------------------ removing

    @Test
    void unset_removesTheLineWithItsEndOfLineCommentAndTheCommentRightAboveIt_andNoOtherComment() throws Exception {
        String result = afterWrites("""
                [server]
                host = "h"

                # The port to listen on.
                # Change it together with the firewall.
                port = 8080   # default 80

                # unrelated: keep me

                timeout = 5
                """, store -> store.unset(key("server.port")));

        assertThat(result).isEqualTo("""
                [server]
                host = "h"

                # unrelated: keep me

                timeout = 5
                """);
    }

    @Test
    void unset_lastKeyOfATable_removesTheTable_unlessACommentIsAttachedToIt() throws Exception {
        String plain = afterWrites("""
                [a]
                x = 1

                [b]
                y = 2
                """, store -> store.unset(key("a.x")));
        assertThat(plain).isEqualTo("""
                [b]
                y = 2
                """);

        String commented = afterWrites("""
                # keep this section for later
                [a]
                x = 1

                [b]
                y = 2
                """, store -> store.unset(key("a.x")));
        assertThat(commented).isEqualTo("""
                # keep this section for later
                [a]

                [b]
                y = 2
                """);
    }

    @Test
    void unset_membersOfAnInlineTable_removesThem_andTheTableWhenEmpty() throws Exception {
        String result = afterWrites("""
                point = { x = 1, y = 2 }
                only = { one = 1 }
                z = 3
                """, store -> {
            store.unset(key("point.x"));
            store.unset(key("only.one"));
        });

        assertThat(result).isEqualTo("""
                point = { y = 2 }
                z = 3
                """);
    }

    @Test
    void unset_anArrayOfTables_removesAllItsSections() throws Exception {
        String result = afterWrites("""
                top = 1

                [[fruit]]
                name = "apple"

                [fruit.physical]
                color = "red"

                [[fruit]]
                name = "banana"

                # other things
                [other]
                k = 2
                """, store -> store.unset(key("fruit")));

        assertThat(result).isEqualTo("""
                top = 1

                # other things
                [other]
                k = 2
                """);
    }

    @Test
    void unset_dottedKeys_removesThemAndLeavesNoTrace() throws Exception {
        String result = afterWrites("""
                [a]
                b.c = 1
                b.d = 2
                e = 3
                """, store -> store.apply(List.of(
                        Change.unset(key("a.b.c")),
                        Change.unset(key("a.b.d")))));

        assertThat(result).isEqualTo("""
                [a]
                e = 3
                """);
    }

    // ------------------------------------------------------------------ notation and quoting

    @Test
    void set_integersInHexOctalBinaryOrWithUnderscores_keepTheirNotation() throws Exception {
        String result = afterWrites("""
                mask = 0xff
                mode = 0o644
                flags = 0b101
                limit = 1_000_000
                plain = 7
                """, store -> {
            store.set(key("mask"), Value.of(4095));
            store.set(key("mode"), Value.of(384));
            store.set(key("flags"), Value.of(-1));
            store.set(key("limit"), Value.of(2500000));
            store.set(key("plain"), new NumberValue("7.5"));
        });

        assertThat(result).isEqualTo("""
                mask = 0xfff
                mode = 0o600
                flags = -1
                limit = 2_500_000
                plain = 7.5
                """);
    }

    @Test
    void set_literalAndMultiLineStrings_keepTheirQuotingWhereTheTextAllows() throws Exception {
        String result = afterWrites("""
                path = 'C:\\Users\\plant'
                quote = 'plain'
                text = \"""
                first line
                second line\"""
                basic = "x"
                """, store -> {
            store.set(key("path"), Value.of("D:\\data"));
            store.set(key("quote"), Value.of("it's"));
            store.set(key("text"), Value.of("one\ntwo \"quoted\""));
            store.set(key("basic"), Value.of("tab\there, bell\u0007, del\u007f"));
        });

        assertThat(result).isEqualTo("""
                path = 'D:\\data'
                quote = "it's"
                text = \"""
                one
                two "quoted"\"""
                basic = "tab\\there, bell\\u0007, del\\u007F"
                """);
    }

    @Test
    void set_multiLineStringInACrlfFile_becomesABasicString_soEveryLineStillEndsInCrlf() throws Exception {
        String result = afterWrites("text = \"\"\"\r\nfirst\r\nsecond\"\"\"\r\nother = 1\r\n",
                store -> store.set(key("text"), Value.of("one\ntwo")));

        assertThat(result).isEqualTo("text = \"one\\ntwo\"\r\nother = 1\r\n");
    }

    // ------------------------------------------------------------------ the file as a whole

    @Test
    void set_inAFileWithoutFinalNewline_endsTheLastLine() throws Exception {
        String result = afterWrites("a = 1\n[t]\nk = 2", store -> store.set(key("t.j"), Value.of(3)));

        assertThat(result).isEqualTo("a = 1\n[t]\nk = 2\nj = 3\n");
    }

    @Test
    void set_inAFileWithAByteOrderMarkAndCrlf_keepsBoth() throws Exception {
        Files.write(file, "\uFEFFa = 1\r\n".getBytes(StandardCharsets.UTF_8));
        ConfigStore store = world.open("toml:" + file).store();

        store.set(key("b"), Value.of(2));
        store.set(key("t.k"), Value.of(3));

        assertThat(Files.readAllBytes(file)).isEqualTo("\uFEFFa = 1\r\nb = 2\r\n\r\n[t]\r\nk = 3\r\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstWrite_createsAPlainFile_withTablesAfterTopLevelKeys() throws Exception {
        String result = afterWrites(null, store -> store.apply(List.of(
                Change.set(key("plant.name"), Value.of("Basil")),
                Change.set(key("version"), Value.of(1)),
                Change.set(key("plant.site.room"), Value.of("kitchen")),
                Change.set(key("plant.tags"), Value.parseJson("[\"herb\", \"sun\"]")))));

        assertThat(result).isEqualTo("""
                version = 1

                [plant]
                name = "Basil"
                tags = ["herb", "sun"]

                [plant.site]
                room = "kitchen"
                """);
    }

    @Test
    void set_inAFileOfOnlyComments_keepsThem() throws Exception {
        String result = afterWrites("# nothing set yet\n# see the README\n", store -> store.set(key("a.b"), Value.of(1)));

        assertThat(result).isEqualTo("# nothing set yet\n# see the README\n\n[a]\nb = 1\n");
    }
}
