package dev.waterfall.config.engine;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Change;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write rules by themselves: what every store does with a batch and a copy. The contract suite
 * (store-contract's {@code ConfigStoreContract}) checks them again through each store.
 */
class WriteRulesTest {

    private static Key key(String path) {
        return Key.of(path);
    }

    /** A store of {@code path -> revision} entries, each holding the value {@code "v<revision>"}. */
    private static WriteRules.Stored<RuntimeException> store(Map<String, Long> held) {
        TreeMap<Key, Entry> entries = new TreeMap<>();
        held.forEach((path, revision) -> entries.put(key(path), new Entry(key(path), Value.of("v" + revision), revision, Instant.EPOCH, Actor.EXTERNAL, 0)));
        return WriteRules.stored(entries.navigableKeySet(), entries, Entry::value, Entry::revision);
    }

    @Test
    void leafConflict_findsTheCollidingKey() {
        TreeSet<Key> stored = new TreeSet<>(List.of(key("a.b"), key("a.b-c"), key("a.b_d.e"), key("x")));

        assertThat(WriteRules.leafConflict(stored, key("a"))).contains(key("a.b"));
        assertThat(WriteRules.leafConflict(stored, key("x.y"))).contains(key("x"));
        assertThat(WriteRules.leafConflict(stored, key("a.b_d"))).contains(key("a.b_d.e"));
        assertThat(WriteRules.leafConflict(stored, key("a.b.c"))).contains(key("a.b"));
        assertThat(WriteRules.leafConflict(stored, key("a.c"))).isEmpty();
        assertThat(WriteRules.leafConflict(stored, key("a.b-"))).isEmpty();
    }

    @Test
    void relativesIn_listsAncestorsAndTheFirstKeysUnder_pastKeysThatOnlyShareTheText() {
        NavigableSet<Key> stored = new TreeSet<>(List.of(key("a"), key("a.b-c"), key("a.b.x"), key("a.b.y"), key("a.b.z")));

        assertThat(WriteRules.relativesIn(stored, key("a.b"), 2)).containsExactly(key("a"), key("a.b.x"), key("a.b.y"));
        assertThat(WriteRules.relativesIn(stored, key("q"), 5)).isEmpty();
    }

    @Test
    void checkRevision_passesAnyAndTheActualRevision_refusesAnotherOrAnUnseenOne() {
        WriteRules.checkRevision(Change.set(key("a"), Value.of(1)), 7, true);
        WriteRules.checkRevision(Change.set(key("a"), Value.of(1)), 7, false);
        WriteRules.checkRevision(Change.set(key("a"), Value.of(1)).ifRevision(7), 7, true);
        WriteRules.checkRevision(Change.unset(key("a")).ifRevision(Change.ABSENT), Change.ABSENT, true);

        assertThatThrownBy(() -> WriteRules.checkRevision(Change.set(key("a"), Value.of(1)).ifRevision(6), 7, true))
                .isInstanceOf(RevisionConflictException.class)
                .hasMessage("conflict on a: expected revision 6 but it is at 7; another writer changed it, re-read and retry");
        assertThatThrownBy(() -> WriteRules.checkRevision(Change.set(key("a"), Value.of(1)).ifRevision(7), 7, false))
                .isInstanceOf(RevisionConflictException.class);
    }

    @Test
    void plan_keepsOnlyRealChanges_withTheValueEachReplaces() {
        WriteRules.Plan plan = WriteRules.plan(List.of(
                Change.set(key("a"), Value.of("v1")),     // the value it has: no edit
                Change.set(key("b"), Value.of("new")),
                Change.unset(key("gone")),                // absent: no edit
                Change.unset(key("c"))), null, store(Map.of("a", 1L, "b", 2L, "c", 3L)));

        assertThat(plan.edits()).containsExactly(
                new WriteRules.Edit(key("b"), Value.of("v2"), Value.of("new")),
                new WriteRules.Edit(key("c"), Value.of("v3"), null));
        assertThat(plan.changesKeys()).isTrue();
    }

    @Test
    void plan_aKeyChangedTwice_standsWhereItsLastChangeTakesEffect() {
        // a.b.c can only be set once a.b is gone: the unset of a.b must come first when the edits are replayed
        WriteRules.Plan plan = WriteRules.plan(List.of(
                Change.unset(key("a.b.c")),
                Change.unset(key("a.b")),
                Change.set(key("a.b.c"), Value.of(1))), null, store(Map.of("a.b", 1L)));

        assertThat(plan.edits()).extracting(WriteRules.Edit::key).containsExactly(key("a.b"), key("a.b.c"));
    }

    @Test
    void plan_newValuesOfStoredKeysOnly_changeNoKeys() {
        WriteRules.Plan plan = WriteRules.plan(List.of(Change.set(key("a"), Value.of(2))), null, store(Map.of("a", 1L)));

        assertThat(plan.changesKeys()).isFalse();
    }

    @Test
    void plan_usesTheValuesAsTheStoreWillHoldThem() {
        WriteRules.Plan plan = WriteRules.plan(List.of(Change.set(key("a"), Value.of(2))),
                Map.of(key("a"), Value.of("2")), store(Map.of()));

        assertThat(plan.edits()).containsExactly(new WriteRules.Edit(key("a"), null, Value.of("2")));
    }

    @Test
    void plan_checksRevisionsAgainstTheStoredKey_notTheBatch() {
        WriteRules.Stored<RuntimeException> stored = store(Map.of("a", 4L));

        assertThatThrownBy(() -> WriteRules.plan(List.of(
                Change.set(key("a"), Value.of(1)),
                Change.set(key("a"), Value.of(2)).ifRevision(5)), null, stored))
                .isInstanceOf(RevisionConflictException.class)
                .hasMessageContaining("expected revision 5 but it is at 4");
        assertThat(WriteRules.plan(List.of(Change.set(key("n"), Value.of(1)).ifRevision(Change.ABSENT)), null, stored).edits()).hasSize(1);
    }

    @Test
    void plan_leafRule_countsTheBatchsOwnEarlierChanges() {
        WriteRules.Stored<RuntimeException> stored = store(Map.of("a.b", 1L, "t.x", 1L, "t.y", 1L));

        assertThatThrownBy(() -> WriteRules.plan(List.of(Change.set(key("a.b.c"), Value.of(1))), null, stored))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("a.b holds a value");
        assertThatThrownBy(() -> WriteRules.plan(List.of(Change.set(key("n"), Value.of(1)), Change.set(key("n.m"), Value.of(2))), null, stored))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("n holds a value");
        assertThatThrownBy(() -> WriteRules.plan(List.of(Change.set(key("n.m"), Value.of(1)), Change.set(key("n"), Value.of(2))), null, stored))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("it is a table holding n.m");
        assertThatThrownBy(() -> WriteRules.plan(List.of(Change.unset(key("t.x")), Change.set(key("t"), Value.of(2))), null, stored))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("it is a table holding t.y");

        assertThat(WriteRules.plan(List.of(Change.unset(key("a.b")), Change.set(key("a.b.c"), Value.of(1))), null, stored).edits()).hasSize(2);
        assertThat(WriteRules.plan(List.of(Change.unset(key("t.x")), Change.unset(key("t.y")), Change.set(key("t"), Value.of(1))), null, stored)
                .edits()).hasSize(3);
    }

    @Test
    void plan_asksAStoreThatListsFewKeys_forOneMoreThanTheBatchRemoved() {
        // A SQL store lists only the first keys under a key (LIMIT): it must be asked for enough to see one the batch kept.
        TreeSet<Key> keys = new TreeSet<>(List.of(key("t.a"), key("t.b"), key("t.c")));
        List<Integer> asked = new ArrayList<>();
        WriteRules.Stored<RuntimeException> limited = new WriteRules.Stored<>() {
            @Override
            public long revision(Key key) {
                return keys.contains(key) ? 1 : Change.ABSENT;
            }

            @Override
            public Value value(Key key) {
                return keys.contains(key) ? Value.of(1) : null;
            }

            @Override
            public Collection<Key> relatives(Key key, int under) {
                asked.add(under);
                return WriteRules.relativesIn(keys, key, under);
            }
        };

        assertThatThrownBy(() -> WriteRules.plan(List.of(Change.unset(key("t.a")), Change.unset(key("t.b")), Change.set(key("t"), Value.of(1))), null, limited))
                .isInstanceOf(KeyConflictException.class).hasMessageContaining("holding t.c");
        assertThat(asked).containsExactly(3);
    }

    @Test
    void copyCheck_takesEntriesInKeyOrderWithinTheRevision_andKeepsTheLeafRule() {
        WriteRules.CopyCheck check = new WriteRules.CopyCheck(5);
        check.entry(entry("a.b", 1));
        check.entry(entry("a.b-c", 5));
        check.record(new HistoryRecord(5, Instant.EPOCH, Actor.EXTERNAL, key("a.b"), Optional.empty(), Optional.of(Value.of(1))));

        assertThatThrownBy(() -> check.entry(entry("a.b-c", 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the copy's entries must come in key order, each key once: a.b-c came after a.b-c");
        assertThatThrownBy(() -> new WriteRules.CopyCheck(5).entry(entry("a", 6))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("revision 6 of a is outside 1..5, the copy's store revision");
        assertThatThrownBy(() -> new WriteRules.CopyCheck(5).entry(entry("a", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check.record(new HistoryRecord(9, Instant.EPOCH, Actor.EXTERNAL, key("a"), Optional.empty(), Optional.empty())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("revision 9 of a is outside 1..5");
        WriteRules.CopyCheck leaf = new WriteRules.CopyCheck(5);
        leaf.entry(entry("a", 1));
        leaf.entry(entry("a-b", 1));
        assertThatThrownBy(() -> leaf.entry(entry("a.b", 1))).isInstanceOf(KeyConflictException.class) // past "a-b", which only shares the text
                .hasMessageContaining("a holds a value");
        WriteRules.CopyCheck nested = new WriteRules.CopyCheck(5);
        nested.entry(entry("a", 1));
        assertThatThrownBy(() -> nested.entry(entry("a.b", 1))).isInstanceOf(KeyConflictException.class).hasMessageContaining("a holds a value");
        assertThatThrownBy(() -> new WriteRules.CopyCheck(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void notNew_saysTheStoreWasWrittenAndWhatToDo() {
        assertThat(WriteRules.notNew("json:/x/config.json", 3)).hasMessage("cannot load a copy into json:/x/config.json: it has been "
                + "written before (revision 3), and a copy keeps its own revisions; load it into a new store, or copy the values with ordinary writes");
    }

    private static Entry entry(String path, long revision) {
        return new Entry(key(path), Value.of(1), revision, Instant.EPOCH, Actor.EXTERNAL, 0);
    }
}
