package dev.waterfall.contract;

import dev.waterfall.config.Actor;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ConfigStore} must do. A backend's test extends this class and supplies a
 * {@link StoreFixture}; every test runs against a real store (a real file, a real SQLite file, a
 * real PostgreSQL server), never a stand-in.
 */
public abstract class ConfigStoreContract {

    /** The test's own temporary folder, where a file store lives. */
    @TempDir
    protected Path dir;

    /** The world the test's Waterfall instances are opened in; closed after each test. */
    protected ContractWorld world;
    /** The URI of the test's fresh store, from {@link StoreFixture#newStoreUri}. */
    protected String uri;
    /** A Waterfall instance on that store, with a fixed clock. */
    protected Waterfall waterfall;
    /** The store under test: {@code waterfall}'s. */
    protected ConfigStore store;

    /** The backend under test. */
    protected abstract StoreFixture fixture();

    @BeforeEach
    void openStore() {
        world = new ContractWorld(dir);
        uri = fixture().newStoreUri(dir);
        waterfall = world.open(uri, builder -> builder.clock(ContractWorld.fixedClock()));
        store = waterfall.store();
    }

    @AfterEach
    void closeStores() {
        world.close();
    }

    /** {@link Key#of(String)}, short. */
    protected static Key key(String path) {
        return Key.of(path);
    }

    // ------------------------------------------------------------ reading and writing

    @Test
    void set_aKeyThatLooksLikeASecret_isRefusedByAPlaintextStore_unlessAllowed() {
        Key secret = key("db.password");
        if (!fixture().isPlaintext()) {
            store.set(secret, Value.of("hunter2")); // a database holds secrets; its access is the server's to control
            assertThat(reopen().get(secret)).map(Entry::value).contains(Value.of("hunter2"));
            return;
        }
        assertThatThrownBy(() -> store.apply(List.of(Change.set(key("db.host"), Value.of("db1")), Change.set(secret, Value.of("hunter2")))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("db.password").hasMessageContaining("looks like a secret").hasMessageContaining("--plaintext-secret");
        assertThat(reopen().snapshot().size()).as("nothing of the batch is written").isZero();
        assertThatThrownBy(() -> store.loadCopy(1, List.of(new Entry(secret, Value.of("hunter2"), 1, Instant.EPOCH, Actor.EXTERNAL, 0)).iterator(),
                java.util.Collections.emptyIterator())).as("a copy holding it is refused too")
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("db.password");
        assertThat(reopen().snapshot().revision()).isZero();

        ConfigStore allowing = world.open(uri, builder -> builder.plaintextSecrets(SecretPolicy.allowing(List.of(secret)))).store();
        allowing.set(secret, Value.of("hunter2"));
        assertThat(reopen().get(secret)).map(Entry::value).contains(Value.of("hunter2"));
        assertThatThrownBy(() -> allowing.set(key("github.token"), Value.of("ghp_x"))).isInstanceOf(InvalidValueException.class);
        store.set(key("password_min_length"), Value.of(12)); // mentions a secret, is none
    }

    @Test
    void get_absentKey_isEmpty() {
        assertThat(store.get(key("no.such.key"))).isEmpty();
        assertThat(store.snapshot().size()).isZero();
        assertThat(store.snapshot().revision()).isZero();
    }

    @Test
    void set_thenGet_returnsTheValue() {
        Entry entry = store.set(key("plant.default_name"), Value.of("Rosemary"));

        assertThat(entry.value()).isEqualTo(Value.of("Rosemary"));
        assertThat(store.get(key("plant.default_name"))).map(Entry::value).contains(Value.of("Rosemary"));
    }

    @Test
    void set_everyJsonValueKind_roundTripsExactly() {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("v.text", Value.of("plain text"));
        values.put("v.empty", Value.of(""));
        values.put("v.unicode", Value.of("Grüße, 世界, emoji \uD83C\uDF31, RTL \u05E9\u05DC\u05D5\u05DD"));
        values.put("v.escapes", Value.of("quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 del \u007f"));
        values.put("v.injection", Value.of("'); DROP TABLE entries; -- \" OR 1=1 {{7*7}} ${jndi:ldap://x}"));
        values.put("v.int", Value.of(8080));
        values.put("v.negative", Value.of(-42));
        values.put("v.zero", new NumberValue("0"));
        values.put("v.decimal", new NumberValue("1.50"));
        values.put("v.exact", new NumberValue("0.1000000000000000000000000000001"));
        if (fixture().holdsIntegersBeyond64Bits()) {
            values.put("v.big", new NumberValue("123456789012345678901234567890123456789"));
        }
        values.put("v.exponent", new NumberValue("6.02e23"));
        values.put("v.negexponent", new NumberValue("-1.5E-10"));
        values.put("v.true", Value.of(true));
        values.put("v.false", Value.of(false));
        if (fixture().holdsNull()) {
            values.put("v.null", Value.nullValue());
            values.put("v.array", ArrayValue.of(Value.of(1), Value.of("two"), Value.of(true), Value.nullValue()));
        } else {
            values.put("v.array", ArrayValue.of(Value.of(1), Value.of("two"), Value.of(true)));
        }
        values.put("v.emptyarray", ArrayValue.of());
        values.put("v.nested", ArrayValue.of(ArrayValue.of(Value.of(1), Value.of(2)), ArrayValue.of(ArrayValue.of())));
        values.put("v.tables", ArrayValue.of(
                new TableValue(Map.of("host", Value.of("a"), "port", Value.of(1))),
                new TableValue(Map.of("host", Value.of("b"), "tags", ArrayValue.of(Value.of("x")), "empty", new TableValue(Map.of()))),
                new TableValue(Map.of())));
        values.put("v.long", Value.of("x".repeat(200_000)));
        List<Change> batch = new ArrayList<>();
        values.forEach((k, v) -> batch.add(Change.set(key(k), v)));

        store.apply(batch);

        Snapshot fresh = reopen().snapshot();
        values.forEach((k, v) -> assertThat(fresh.get(key(k))).as(k).map(Entry::value).contains(v));
    }

    @Test
    void set_dateTimes_keepTheirTypeOrTheirIsoText() {
        Map<String, Value> values = Map.of(
                "t.offset", DateTimeValue.of(OffsetDateTime.parse("1979-05-27T07:32:00.999-07:00")),
                "t.local", DateTimeValue.of(LocalDateTime.parse("1979-05-27T07:32:00")),
                "t.date", DateTimeValue.of(LocalDate.parse("1979-05-27")),
                "t.time", DateTimeValue.of(LocalTime.parse("07:32:00.5")));
        values.forEach((k, v) -> store.set(key(k), v));

        Snapshot fresh = reopen().snapshot();
        values.forEach((k, v) -> {
            Value expected = fixture().keepsDateTimes() ? v : Value.of(((DateTimeValue) v).text());
            assertThat(fresh.get(key(k))).as(k).map(Entry::value).contains(expected);
        });
    }

    @Test
    void set_nonFiniteNumbers_roundTripOrAreRefusedClearly() {
        for (String literal : List.of("inf", "-inf", "nan")) {
            Key key = key("f." + literal.replace("-", "minus"));
            if (fixture().holdsNonFiniteNumbers()) {
                store.set(key, new NumberValue(literal));
                assertThat(reopen().get(key)).map(Entry::value).contains(new NumberValue(literal));
            } else {
                assertThatThrownBy(() -> store.set(key, new NumberValue(literal)))
                        .isInstanceOf(InvalidValueException.class)
                        .hasMessageContaining(key.path())
                        .hasMessageContaining(literal);
                assertThat(store.get(key)).isEmpty();
            }
        }
    }

    @Test
    void set_nullAndHugeIntegers_roundTripOrAreRefusedClearly() {
        Map<String, Value> values = new LinkedHashMap<>();
        values.put("n.null", Value.nullValue());
        values.put("n.inarray", ArrayValue.of(Value.of(1), Value.nullValue()));
        values.put("n.intable", ArrayValue.of(new TableValue(Map.of("gone", Value.nullValue()))));
        values.put("n.big", new NumberValue("123456789012345678901234567890123456789"));
        values.put("n.bignegative", new NumberValue("-9223372036854775809"));
        for (Map.Entry<String, Value> entry : values.entrySet()) {
            Key key = key(entry.getKey());
            Value value = entry.getValue();
            boolean isNull = value.toJson().contains("null");
            if (isNull ? fixture().holdsNull() : fixture().holdsIntegersBeyond64Bits()) {
                store.set(key, value);
                assertThat(reopen().get(key)).as(key.path()).map(Entry::value).contains(value);
            } else {
                assertThatThrownBy(() -> store.set(key, value))
                        .as(key.path())
                        .isInstanceOf(InvalidValueException.class)
                        .hasMessageContaining(key.path())
                        .hasMessageContaining(isNull ? "null" : ((NumberValue) value).literal());
                assertThat(store.get(key)).as(key.path()).isEmpty();
            }
        }
    }

    @Test
    void set_sameValueAgain_changesNothing() {
        Entry first = store.set(key("port"), Value.of(8080));
        long revision = store.snapshot().revision();

        Commit again = store.apply(List.of(Change.set(key("port"), Value.of(8080))));

        assertThat(again.changed()).isFalse();
        assertThat(store.snapshot().revision()).isEqualTo(revision);
        assertThat(store.get(key("port")).orElseThrow().revision()).isEqualTo(first.revision());
        assertThat(store.history(HistoryQuery.of(key("port")))).hasSize(1);
    }

    @Test
    void set_eachChange_getsTheNextRevision() {
        Entry a = store.set(key("a"), Value.of(1));
        Entry b = store.set(key("b"), Value.of(2));
        Entry a2 = store.set(key("a"), Value.of(3));

        assertThat(a.revision()).isEqualTo(1);
        assertThat(b.revision()).isEqualTo(2);
        assertThat(a2.revision()).isEqualTo(3);
        Snapshot snapshot = store.snapshot();
        assertThat(snapshot.revision()).isEqualTo(3);
        assertThat(snapshot.get(key("b")).orElseThrow().revision()).isEqualTo(2);
    }

    @Test
    void set_recordsWhoAndWhen() {
        Entry entry = store.set(key("who"), Value.of("me"));

        assertThat(entry.updatedAt()).isEqualTo(ContractWorld.FIXED_INSTANT);
        assertThat(entry.updatedBy().surface()).isEqualTo("test");
        assertThat(entry.updatedBy().user()).isEqualTo(ContractWorld.IDENTITY.user());
        assertThat(entry.updatedBy().host()).isEqualTo(ContractWorld.IDENTITY.host());
        assertThat(entry.updatedBy().pid()).isEqualTo(ContractWorld.IDENTITY.pid());
        assertThat(reopen().get(key("who")).orElseThrow().updatedBy()).isEqualTo(entry.updatedBy());
    }

    @Test
    void unset_removesTheKey() {
        store.set(key("a.b"), Value.of(1));
        store.set(key("a.c"), Value.of(2));

        assertThat(store.unset(key("a.b"))).isTrue();

        assertThat(store.get(key("a.b"))).isEmpty();
        assertThat(reopen().get(key("a.c"))).map(Entry::value).contains(Value.of(2));
    }

    @Test
    void unset_absentKey_changesNothing() {
        store.set(key("a"), Value.of(1));
        long revision = store.snapshot().revision();

        assertThat(store.unset(key("b"))).isFalse();

        assertThat(store.snapshot().revision()).isEqualTo(revision);
    }

    @Test
    void unset_thenSetAgain_works() {
        store.set(key("a.b"), Value.of(1));
        store.unset(key("a.b"));
        store.set(key("a"), Value.of("now a leaf"));

        assertThat(reopen().get(key("a"))).map(Entry::value).contains(Value.of("now a leaf"));
    }

    // ------------------------------------------------------------ batches and compare-and-set

    @Test
    void apply_batch_appliesAllChangesAtOneRevision() {
        store.set(key("old"), Value.of(0));

        Commit commit = store.apply(List.of(
                Change.set(key("x"), Value.of(1)),
                Change.set(key("y"), Value.of(2)),
                Change.unset(key("old"))));

        assertThat(commit.revision()).isEqualTo(2);
        assertThat(commit.written()).extracting(Entry::revision).containsOnly(2L);
        assertThat(commit.removed()).containsExactly(key("old"));
        Snapshot snapshot = reopen().snapshot();
        assertThat(snapshot.entries().keySet()).containsExactly(key("x"), key("y"));
    }

    @Test
    void apply_batchWithLostCompareAndSet_appliesNothing() {
        Entry a = store.set(key("a"), Value.of(1));
        store.set(key("a"), Value.of(2));

        assertThatThrownBy(() -> store.apply(List.of(
                Change.set(key("b"), Value.of("must not appear")),
                Change.set(key("a"), Value.of(3)).ifRevision(a.revision()))))
                .isInstanceOf(RevisionConflictException.class)
                .hasMessageContaining("a")
                .satisfies(e -> {
                    RevisionConflictException conflict = (RevisionConflictException) e;
                    assertThat(conflict.expected()).isEqualTo(a.revision());
                    assertThat(conflict.actual()).isEqualTo(a.revision() + 1);
                });

        assertThat(reopen().get(key("b"))).isEmpty();
        assertThat(store.get(key("a"))).map(Entry::value).contains(Value.of(2));
    }

    @Test
    void apply_batchWithKeyConflict_appliesNothing() {
        store.set(key("a"), Value.of(1));

        assertThatThrownBy(() -> store.apply(List.of(
                Change.set(key("fine"), Value.of(1)),
                Change.set(key("a.b"), Value.of(2)))))
                .isInstanceOf(KeyConflictException.class);

        assertThat(reopen().get(key("fine"))).isEmpty();
    }

    @Test
    void apply_laterChangeToSameKey_wins() {
        store.apply(List.of(
                Change.set(key("k"), Value.of(1)),
                Change.set(key("k"), Value.of(2)),
                Change.unset(key("gone")),
                Change.set(key("gone"), Value.of("back"))));

        Snapshot snapshot = reopen().snapshot();
        assertThat(snapshot.get(key("k"))).map(Entry::value).contains(Value.of(2));
        assertThat(snapshot.get(key("gone"))).map(Entry::value).contains(Value.of("back"));
    }

    @Test
    void apply_unsetThenSetUnderIt_inOneBatch() {
        store.set(key("a"), Value.of(1));

        store.apply(List.of(Change.unset(key("a")), Change.set(key("a.b"), Value.of(2))));

        assertThat(reopen().snapshot().entries().keySet()).containsExactly(key("a.b"));
    }

    @Test
    void compareAndSet_atCurrentRevision_succeeds() {
        Entry entry = store.set(key("counter"), Value.of(1));

        Entry next = store.compareAndSet(key("counter"), entry.revision(), Value.of(2));

        assertThat(next.value()).isEqualTo(Value.of(2));
        assertThat(next.revision()).isGreaterThan(entry.revision());
    }

    @Test
    void compareAndSet_atStaleRevision_failsAndChangesNothing() {
        Entry entry = store.set(key("counter"), Value.of(1));
        store.set(key("counter"), Value.of(5));

        assertThatThrownBy(() -> store.compareAndSet(key("counter"), entry.revision(), Value.of(2)))
                .isInstanceOf(RevisionConflictException.class);

        assertThat(store.get(key("counter"))).map(Entry::value).contains(Value.of(5));
    }

    @Test
    void compareAndSet_expectingAbsent_createsOnlyOnce() {
        store.compareAndSet(key("once"), Change.ABSENT, Value.of("first"));

        assertThatThrownBy(() -> store.compareAndSet(key("once"), Change.ABSENT, Value.of("second")))
                .isInstanceOf(RevisionConflictException.class)
                .hasMessageContaining("absent");
        assertThat(store.get(key("once"))).map(Entry::value).contains(Value.of("first"));
    }

    @Test
    void compareAndUnset_atStaleRevision_fails() {
        Entry entry = store.set(key("k"), Value.of(1));
        store.set(key("k"), Value.of(2));

        assertThatThrownBy(() -> store.apply(List.of(Change.unset(key("k")).ifRevision(entry.revision()))))
                .isInstanceOf(RevisionConflictException.class);
        assertThat(store.get(key("k"))).isPresent();
    }

    // ------------------------------------------------------------ keys

    @Test
    void set_underAKeyHoldingAValue_isAConflict() {
        store.set(key("plant"), Value.of("a value"));

        assertThatThrownBy(() -> store.set(key("plant.name"), Value.of("x")))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining("plant.name")
                .hasMessageContaining("unset plant");
    }

    @Test
    void set_onAKeyThatIsATable_isAConflict() {
        store.set(key("plant.name"), Value.of("x"));

        assertThatThrownBy(() -> store.set(key("plant"), Value.of(1)))
                .isInstanceOf(KeyConflictException.class)
                .hasMessageContaining("plant.name");
    }

    @Test
    void set_keysThatOnlyShareAPrefixText_doNotConflict() {
        store.set(key("a.b"), Value.of(1));
        store.set(key("a.b-c"), Value.of(2));
        store.set(key("a.bc"), Value.of(3));
        store.set(key("a.b_c.d"), Value.of(4));

        assertThat(reopen().snapshot().size()).isEqualTo(4);
    }

    @Test
    void set_aTable_isRefusedWithTheKeysToUse() {
        assertThatThrownBy(() -> store.set(key("plant"), new TableValue(Map.of("name", Value.of("x")))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("plant.<name>");
    }

    @Test
    void key_invalid_namesTheKeyAndTheRule() {
        for (String bad : List.of("", ".a", "a.", "a..b", "a b", "a/b", "ключ", "a=b")) {
            assertThatThrownBy(() -> Key.of(bad))
                    .as(bad)
                    .isInstanceOf(InvalidKeyException.class)
                    .hasMessageContaining("\"" + bad + "\"")
                    .hasMessageContaining("segments");
        }
    }

    // ------------------------------------------------------------ quoted key segments (issue 15, item 14)

    /** Keys with segments outside the bare rule, as real files hold them (Cargo.toml, pyproject.toml, JSON). */
    protected static final List<String> QUOTED_KEYS = List.of(
            "target.'cfg(unix)'.dependencies.libc",
            "target.\"cfg(all(target_os = \\\"linux\\\", target_arch = \\\"x86_64\\\"))\".dependencies.nix",
            "project.entry-points.\"x.y\".cmd",
            "\"~\"",
            "a.\"b c\"",
            "\"caf\u00e9\".\"\u65e5\u672c\ud83d\ude00\"",
            "\"quote\\\"and\\\\back\"",
            "x.\"\"",
            "\"line\\nbreak\\t\\u0001\"");

    @Test
    void quotedKeys_setGetHistoryUnsetAndCursor_keepEverySegment() {
        List<Key> keys = QUOTED_KEYS.stream().map(Key::of).toList();
        for (int i = 0; i < keys.size(); i++) {
            store.set(keys.get(i), Value.of("v" + i));
        }
        store.set(key("target.'cfg(unix)'.dependencies.libc"), Value.of("0.2"));

        ConfigStore fresh = reopen();
        assertThat(fresh.snapshot().entries().keySet()).containsExactlyElementsOf(new java.util.TreeSet<>(keys));
        for (Key quoted : keys) {
            assertThat(fresh.get(quoted)).as(quoted.path()).map(Entry::key).contains(quoted);
            assertThat(fresh.get(Key.of(quoted.path())).map(entry -> entry.key().segments())).contains(quoted.segments());
        }
        assertThat(fresh.get(key("target.\"cfg(unix)\".dependencies.libc"))).map(Entry::value).contains(Value.of("0.2"));
        assertThat(fresh.history(HistoryQuery.of(key("target.'cfg(unix)'.dependencies.libc"))))
                .extracting(HistoryRecord::newValue).containsExactly(Optional.of(Value.of("0.2")), Optional.of(Value.of("v0")));
        assertThat(fresh.history(HistoryQuery.all())).extracting(HistoryRecord::key).contains(keys.toArray(Key[]::new));

        fresh.unset(key("a.'b c'"));
        assertThat(reopen().get(key("a.\"b c\""))).isEmpty();
        List<Key> read = new ArrayList<>();
        try (EntryCursor cursor = reopen().cursor()) {
            cursor.forEachRemaining(entry -> read.add(entry.key()));
        }
        List<Key> expected = new ArrayList<>(new java.util.TreeSet<>(keys));
        expected.remove(key("a.\"b c\""));
        assertThat(read).containsExactlyElementsOf(expected);
    }

    @Test
    void quotedKeys_leafRuleAndPrefixes_goBySegmentsNotByText() {
        store.set(key("a.\"b.c\""), Value.of(1));
        store.set(key("a.b.c"), Value.of(2)); // another key: segments a, b, c
        store.set(key("t.\"cfg(unix)\".deps.libc"), Value.of(3));
        store.set(key("t.\"cfg(unix) \".deps.libc"), Value.of(4));
        store.set(key("t.\"cfg(unix)x\""), Value.of(5));

        assertThatThrownBy(() -> store.set(key("a.\"b.c\".d"), Value.of(0)))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("a.\"b.c\"");
        assertThatThrownBy(() -> store.set(key("t.'cfg(unix)'"), Value.of(0)))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("t.\"cfg(unix)\".deps.libc");
        assertThatThrownBy(() -> store.apply(List.of(Change.set(key("q.\"r s\""), Value.of(0)), Change.set(key("q.\"r s\".t"), Value.of(0)))))
                .isInstanceOf(KeyConflictException.class);

        ConfigStore fresh = reopen();
        assertThat(fresh.snapshot().under(key("t.\"cfg(unix)\"")).keySet()).containsExactly(key("t.\"cfg(unix)\".deps.libc"));
        assertThat(fresh.snapshot().under(key("a")).keySet()).containsExactly(key("a.\"b.c\""), key("a.b.c"));
        assertThat(fresh.history(HistoryQuery.of(key("t.\"cfg(unix)\"")))).extracting(HistoryRecord::key)
                .containsExactly(key("t.\"cfg(unix)\".deps.libc"));
        assertThat(fresh.snapshot().size()).isEqualTo(5);
    }

    @Test
    void quotedKeys_loadCopy_keepsThemExactly() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        List<Entry> copy = new ArrayList<>();
        long revision = 0;
        for (Key quoted : new java.util.TreeSet<>(QUOTED_KEYS.stream().map(Key::of).toList())) {
            copy.add(new Entry(quoted, Value.of(quoted.segments().size()), ++revision, at, Actor.EXTERNAL, 0));
        }
        if (!store.loadCopy(revision, copy.iterator(), java.util.Collections.emptyIterator())) {
            return; // a store that declines copies is filled by ordinary writes, tested above
        }
        assertThat(reopen().snapshot().entries().values().stream().map(entry -> entry.withLine(0)).toList()).containsExactlyElementsOf(copy);
    }

    @Test
    void snapshot_isSortedByKey_andCarriesTheStoreRevision() {
        store.set(key("b"), Value.of(1));
        store.set(key("a.z"), Value.of(2));
        store.set(key("a.a"), Value.of(3));

        Snapshot snapshot = store.snapshot();

        assertThat(snapshot.entries().keySet()).containsExactly(key("a.a"), key("a.z"), key("b"));
        assertThat(snapshot.revision()).isEqualTo(3);
        assertThat(snapshot.under(key("a")).keySet()).containsExactly(key("a.a"), key("a.z"));
    }

    // ------------------------------------------------------------ history

    @Test
    void history_recordsOldAndNewValues_newestFirst() {
        store.set(key("port"), Value.of(8080));
        store.set(key("port"), Value.of(9090));
        store.set(key("other"), Value.of(true));
        store.unset(key("port"));

        List<HistoryRecord> portHistory = reopen().history(HistoryQuery.of(key("port")));

        assertThat(portHistory).hasSize(3);
        assertThat(portHistory.get(0).oldValue()).contains(Value.of(9090));
        assertThat(portHistory.get(0).newValue()).isEmpty();
        assertThat(portHistory.get(1).oldValue()).contains(Value.of(8080));
        assertThat(portHistory.get(1).newValue()).contains(Value.of(9090));
        assertThat(portHistory.get(2).oldValue()).isEmpty();
        assertThat(portHistory.get(2).by().surface()).isEqualTo("test");
        assertThat(portHistory.get(2).at()).isEqualTo(ContractWorld.FIXED_INSTANT);
        assertThat(store.history(HistoryQuery.all())).hasSize(4);
        assertThat(store.history(HistoryQuery.all().limit(2))).extracting(HistoryRecord::revision).containsExactly(4L, 3L);
    }

    @Test
    void history_keepsValueTypes() {
        Value when = DateTimeValue.of(LocalDate.parse("2026-11-26"));
        store.set(key("when"), when);

        HistoryRecord record = store.history(HistoryQuery.of(key("when"))).get(0);

        Value expected = fixture().keepsDateTimes() ? when : Value.of("2026-11-26");
        assertThat(record.newValue()).contains(expected);
    }

    // ------------------------------------------------------------ freshness and concurrency

    @Test
    void get_seesAnotherInstancesWriteAtOnce() {
        Waterfall other = world.open(uri);
        store.get(key("shared"));

        other.store().set(key("shared"), Value.of("from the other"));

        assertThat(store.get(key("shared"))).map(Entry::value).contains(Value.of("from the other"));
        store.set(key("shared"), Value.of("back"));
        assertThat(other.store().get(key("shared"))).map(Entry::value).contains(Value.of("back"));
    }

    @Test
    void set_fromManyThreadsAndTwoInstances_losesNothing() throws Exception {
        Waterfall other = world.open(uri);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int thread = 0; thread < 8; thread++) {
                ConfigStore target = thread % 2 == 0 ? store : other.store();
                int id = thread;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        target.set(key("t" + id + ".k" + i), Value.of(i));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Snapshot snapshot = reopen().snapshot();
        assertThat(snapshot.size()).isEqualTo(200);
        assertThat(snapshot.revision()).isEqualTo(200);
    }

    @Test
    void compareAndSet_counterFromManyThreads_isExact() throws Exception {
        Waterfall other = world.open(uri);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                ConfigStore target = thread % 2 == 0 ? store : other.store();
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        increment(target, key("counter"));
                    }
                    return null;
                }));
            }
            for (Future<?> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reopen().get(key("counter"))).map(Entry::value).contains(Value.of(100));
    }

    /** Increments a counter with compare-and-set, retrying on conflict; how programs should do it. */
    public static void increment(ConfigStore store, Key key) {
        while (true) {
            Optional<Entry> current = store.get(key);
            long expected = current.map(Entry::revision).orElse(Change.ABSENT);
            long value = current.map(entry -> ((NumberValue) entry.value()).longValueExact()).orElse(0L);
            try {
                store.compareAndSet(key, expected, Value.of(value + 1));
                return;
            } catch (RevisionConflictException e) {
                // another writer won this round: re-read and retry
            }
        }
    }

    @Test
    void watch_seesAnotherInstancesCommit() throws Exception {
        Waterfall other = world.open(uri);
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = store.watch(events::add)) {
            Thread.sleep(300);
            other.store().set(key("watched"), Value.of(1));
            StoreEvent event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).as("an event within 5 s").isNotNull();
            assertThat(event.revision()).isGreaterThanOrEqualTo(1);
            if (!event.keys().isEmpty()) {
                assertThat(event.keys()).contains(key("watched"));
            }
        }
    }

    // ------------------------------------------------------------ whole-store reads and copies (export, migrate)

    @Test
    void cursor_yieldsTheSnapshotInKeyOrder_atItsRevision() {
        store.set(key("b"), Value.of(1));
        store.set(key("a.z"), Value.of("two"));
        store.set(key("a-b"), ArrayValue.of(Value.of(3)));
        store.unset(key("b"));
        Snapshot snapshot = store.snapshot();

        List<Entry> read = new ArrayList<>();
        long revision;
        long size;
        try (EntryCursor cursor = reopen().cursor()) {
            revision = cursor.revision();
            size = cursor.size();
            cursor.forEachRemaining(read::add);
        }

        assertThat(revision).isEqualTo(snapshot.revision()).isEqualTo(4);
        assertThat(size).isIn(-1L, 2L);
        assertThat(read).extracting(Entry::key).containsExactly(key("a-b"), key("a.z"));
        assertThat(read).extracting(Entry::value).containsExactly(ArrayValue.of(Value.of(3)), Value.of("two"));
        assertThat(read).extracting(Entry::revision).containsExactly(3L, 2L);
        assertThat(read.get(0).updatedBy().surface()).isEqualTo("test");
    }

    @Test
    void cursor_isOneRevision_whileAnotherInstanceWrites() {
        for (int i = 0; i < 50; i++) {
            store.set(key("c.k" + String.format("%02d", i)), Value.of(i));
        }
        Waterfall other = world.open(uri);

        List<Entry> read = new ArrayList<>();
        try (EntryCursor cursor = store.cursor()) {
            for (int i = 0; i < 10 && cursor.hasNext(); i++) {
                read.add(cursor.next());
            }
            other.store().set(key("c.k45"), Value.of("changed meanwhile"));
            other.store().set(key("c.k99"), Value.of("added meanwhile"));
            cursor.forEachRemaining(read::add);
            assertThat(cursor.revision()).isEqualTo(50);
        }

        assertThat(read).hasSize(50);
        assertThat(read.get(45).value()).isEqualTo(Value.of(45));
        assertThat(store.snapshot().revision()).isEqualTo(52);
    }

    @Test
    void loadCopy_intoANewStore_keepsRevisionsTimesAndAuthors_orDeclines() {
        Actor author = new Actor("gui", "alice", "desk", 7);
        Instant at = Instant.parse("2025-01-02T03:04:05.678901Z");
        List<Entry> copy = List.of(
                new Entry(key("a.list"), ArrayValue.of(Value.of(1),
                        new TableValue(Map.of("x", fixture().holdsNull() ? (Value) Value.nullValue() : Value.of("")))), 3, at, author, 0),
                new Entry(key("a.text"), Value.of("caf\u00e9"), 9, at.plusSeconds(60), Actor.EXTERNAL, 0),
                new Entry(key("b"), new NumberValue("-0.10"), 12, at.plusSeconds(120), author, 0));
        List<HistoryRecord> history = List.of(
                new HistoryRecord(3, at, author, key("a.list"), Optional.empty(), Optional.of(copy.get(0).value())),
                new HistoryRecord(12, at.plusSeconds(120), author, key("b"), Optional.empty(), Optional.of(copy.get(2).value())));

        boolean loaded = store.loadCopy(15, copy.iterator(), history.iterator());

        Snapshot fresh = reopen().snapshot();
        if (!loaded) {
            assertThat(fresh.size()).isZero();
            assertThat(fresh.revision()).isZero();
            return;
        }
        assertThat(fresh.revision()).isEqualTo(15);
        assertThat(fresh.entries().values().stream().map(entry -> entry.withLine(0)).toList()).containsExactlyElementsOf(copy);
        List<HistoryRecord> kept = reopen().history(HistoryQuery.all());
        assertThat(kept.isEmpty() || kept.equals(List.of(history.get(1), history.get(0)))).as("history %s", kept).isTrue();
        Entry next = store.set(key("c"), Value.of(true));
        assertThat(next.revision()).isEqualTo(16);
    }

    @Test
    void loadCopy_ofNothingAtRevisionZero_createsNothing() throws IOException {
        Path fresh = dir.resolve("fresh-copy");
        ConfigStore untouched = world.open(fixture().newStoreUri(fresh)).store();

        untouched.loadCopy(0, java.util.Collections.emptyIterator(), java.util.Collections.emptyIterator());

        assertThat(untouched.snapshot().revision()).isZero();
        assertThat(untouched.snapshot().size()).isZero();
        if (fixture().createsNothingBeforeFirstWrite()) {
            assertThat(fresh).doesNotExist();
        }
    }

    /** Issue 15, item 2: a copy at revision 2^63-1 was accepted, and the next write wrapped to a negative revision. */
    @Test
    void revisions_areBoundedOnTheWayIn_andAWriteThatWouldPassTheBoundIsRefused() {
        Entry huge = new Entry(key("a"), Value.of(1), Long.MAX_VALUE, Instant.EPOCH, Actor.EXTERNAL, 0);
        assertThatThrownBy(() -> store.loadCopy(Long.MAX_VALUE, List.of(huge).iterator(), List.<HistoryRecord>of().iterator()))
                .isInstanceOf(dev.waterfall.config.InvalidValueException.class)
                .hasMessageContaining("9223372036854775807");
        assertThat(reopen().snapshot().size()).isZero();
        assertThat(reopen().snapshot().revision()).isZero();

        Entry last = new Entry(key("a"), Value.of(1), Entry.MAX_REVISION, Instant.EPOCH, Actor.EXTERNAL, 0);
        assertThat(store.loadCopy(Entry.MAX_REVISION, List.of(last).iterator(), List.<HistoryRecord>of().iterator())).isTrue();
        assertThatThrownBy(() -> reopen().set(key("b"), Value.of(2)))
                .isInstanceOf(WaterfallException.class)
                .hasMessageContaining("highest Waterfall assigns")
                .hasMessageContaining("nothing was written");

        Snapshot after = reopen().snapshot(); // still readable, still as it was
        assertThat(after.revision()).isEqualTo(Entry.MAX_REVISION);
        assertThat(after.get(key("a"))).map(Entry::value).contains(Value.of(1));
        assertThat(after.get(key("b"))).isEmpty();
    }

    @Test
    void loadCopy_intoAWrittenStore_isRefusedAndWritesNothing() {
        store.set(key("mine"), Value.of(1));
        store.unset(key("mine"));
        Entry entry = new Entry(key("theirs"), Value.of(2), 1, Instant.EPOCH, Actor.EXTERNAL, 0);

        try {
            boolean loaded = store.loadCopy(1, List.of(entry).iterator(), List.<HistoryRecord>of().iterator());
            assertThat(loaded).as("a store that takes copies must refuse a written store").isFalse();
        } catch (WaterfallException e) {
            assertThat(e).hasMessageContaining("written before");
        }

        assertThat(reopen().snapshot().size()).isZero();
        assertThat(reopen().snapshot().revision()).isEqualTo(2);
    }

    @Test
    void loadCopy_withConflictingKeys_writesNothing() {
        List<Entry> copy = List.of(
                new Entry(key("a"), Value.of(1), 1, Instant.EPOCH, Actor.EXTERNAL, 0),
                new Entry(key("a.b"), Value.of(2), 2, Instant.EPOCH, Actor.EXTERNAL, 0));

        try {
            boolean loaded = store.loadCopy(2, copy.iterator(), List.<HistoryRecord>of().iterator());
            assertThat(loaded).as("a conflicting copy cannot be loaded").isFalse();
        } catch (KeyConflictException e) {
            assertThat(e).hasMessageContaining("a.b");
        }

        assertThat(reopen().snapshot().size()).isZero();
        assertThat(reopen().snapshot().revision()).isZero();
    }

    // ------------------------------------------------------------ a clean install stays clean

    @Test
    void openAndRead_createNothing() throws IOException {
        if (!fixture().createsNothingBeforeFirstWrite()) {
            return; // database stores create their schema when opened; the contract is about user folders
        }
        Path fresh = dir.resolve("fresh-install");
        String freshUri = fixture().newStoreUri(fresh);
        Waterfall clean = world.open(freshUri);
        clean.get("anything");
        clean.list();
        clean.explain("anything");
        clean.store().history(HistoryQuery.all());
        clean.store().diagnose();

        assertThat(fresh).doesNotExist();
    }

    // ------------------------------------------------------------ helpers

    /** A new instance on the same store, so reads cannot come from the writer's memory. */
    protected ConfigStore reopen() {
        return world.open(uri).store();
    }

    /** Every regular file under {@code folder}, for tests that look at what a store left behind. */
    protected static List<Path> filesUnder(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    /** The value type a store gives back for {@code value} (JSON files keep date-times as strings). */
    protected Value stored(Value value) {
        if (!fixture().keepsDateTimes() && value instanceof DateTimeValue dateTime) {
            return new StringValue(dateTime.text());
        }
        return value;
    }
}
