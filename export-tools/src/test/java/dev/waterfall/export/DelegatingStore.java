package dev.waterfall.export;

import dev.waterfall.config.Change;
import dev.waterfall.config.Commit;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Snapshot;

import java.util.Iterator;
import java.util.List;

/**
 * A real store, passed through; a test overrides one method to make something happen at an exact
 * moment (another writer between a plan and its write). Nothing is faked: every call reaches the store.
 */
class DelegatingStore implements ConfigStore {

    private final ConfigStore store;

    DelegatingStore(ConfigStore store) {
        this.store = store;
    }

    @Override
    public String location() {
        return store.location();
    }

    @Override
    public Snapshot snapshot() {
        return store.snapshot();
    }

    @Override
    public EntryCursor cursor() {
        return store.cursor();
    }

    @Override
    public Commit apply(List<? extends Change> changes) {
        return store.apply(changes);
    }

    @Override
    public boolean loadCopy(long revision, Iterator<Entry> entries, Iterator<HistoryRecord> history) {
        return store.loadCopy(revision, entries, history);
    }

    @Override
    public List<HistoryRecord> history(HistoryQuery query) {
        return store.history(query);
    }
}
