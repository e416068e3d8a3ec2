package dev.waterfall.config.internal;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.WaterfallException;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A watch that polls a store's snapshot on a daemon thread and reports the keys whose entries
 * changed.
 */
public final class PollingWatch implements AutoCloseable {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up and the security properties), which a command
     * such as {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(PollingWatch.class.getName());
    }

    private final Thread thread;
    private volatile boolean closed;

    private PollingWatch(ConfigStore store, Duration interval, Consumer<StoreEvent> listener) {
        this.thread = new Thread(() -> run(store, interval, listener), "waterfall-watch " + store.location());
        this.thread.setDaemon(true);
    }

    /** Starts polling {@code store} every {@code interval}. */
    public static PollingWatch start(ConfigStore store, Duration interval, Consumer<StoreEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        PollingWatch watch = new PollingWatch(store, interval, listener);
        watch.thread.start();
        return watch;
    }

    private void run(ConfigStore store, Duration interval, Consumer<StoreEvent> listener) {
        Snapshot previous = null;
        while (!closed) {
            try {
                Snapshot current = store.snapshot();
                if (previous != null) {
                    Set<Key> changed = changedKeys(previous, current);
                    if (current.revision() != previous.revision() || !changed.isEmpty()) {
                        listener.accept(new StoreEvent(current.revision(), changed));
                    }
                }
                previous = current;
            } catch (WaterfallException e) {
                log().log(Level.WARNING, "watch of " + store.location() + " could not read the store: " + e.getMessage());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The keys whose entries differ between two snapshots: added, removed, or at another revision or value. */
    public static Set<Key> changedKeys(Snapshot before, Snapshot after) {
        Set<Key> keys = new HashSet<>();
        for (Map.Entry<Key, Entry> entry : after.entries().entrySet()) {
            Entry old = before.entries().get(entry.getKey());
            if (old == null || old.revision() != entry.getValue().revision() || !old.value().equals(entry.getValue().value())) {
                keys.add(entry.getKey());
            }
        }
        for (Key key : before.entries().keySet()) {
            if (!after.entries().containsKey(key)) {
                keys.add(key);
            }
        }
        return keys;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
