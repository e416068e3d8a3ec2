package dev.waterfall.config;

import dev.waterfall.config.spi.FileWatch;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The watches of one {@link Waterfall}: one store watch (the store's own mechanism: the file
 * system's notifications for file stores, {@code LISTEN/NOTIFY} for PostgreSQL, {@code PRAGMA
 * data_version} for SQLite), one file watch for the system file and a defaults file, and one daemon
 * thread ({@code waterfall-live APP}) that, woken by either, reads the store once and re-resolves
 * every watched prefix against that snapshot, reporting the keys whose resolved value or origin
 * changed.
 *
 * <p>Re-resolving whole prefixes on any change, rather than mapping a changed key to its watches,
 * means that whatever makes a resolved value change (a layer, and later a reference to another
 * key) is reported without this class knowing why.
 *
 * <p>When several commits arrive between two looks (a store's notifications may coalesce), the
 * commits in between are rebuilt from the store's history, so each commit is reported on its own
 * and in order; where history cannot rebuild them (trimmed, or a store without history) the
 * changes are reported as one.
 *
 * <p>Started by the first watch, stopped when the last one closes, and by {@link Waterfall#close()}.
 */
final class PrefixWatches {

    /** At most this many commits in one gap are rebuilt from history one by one. */
    private static final int MAX_REPLAYED = 1_000;

    private static System.Logger log() {
        return System.getLogger(PrefixWatches.class.getName());
    }

    private final Waterfall config;
    private final List<Path> layerFiles;
    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the running sources and thread, null while nobody watches. */
    private Running running;
    private boolean closed;

    private final class Running {
        final LinkedBlockingQueue<Object> wakeups = new LinkedBlockingQueue<>();
        final Thread thread;
        AutoCloseable storeWatch;
        FileWatch fileWatch;
        /** The snapshot the last look saw; only the dispatcher thread and {@link #register} (under the lock) touch it. */
        Snapshot last;
        volatile boolean stopping;

        Running() {
            this.thread = new Thread(this::dispatch, "waterfall-live " + config.app());
            this.thread.setDaemon(true);
        }

        void wake() {
            wakeups.offer(Boolean.TRUE);
        }

        private void dispatch() {
            while (!stopping) {
                try {
                    wakeups.take();
                } catch (InterruptedException e) {
                    return;
                }
                wakeups.clear(); // one look answers every wake-up so far
                if (stopping) {
                    return;
                }
                List<Runnable> deliveries = new ArrayList<>();
                synchronized (lock) {
                    if (running != this) {
                        return;
                    }
                    look(this, deliveries);
                }
                for (Runnable delivery : deliveries) {
                    if (stopping) {
                        return;
                    }
                    delivery.run();
                }
            }
        }

        void stop() {
            stopping = true;
            closeQuietly(storeWatch);
            closeQuietly(fileWatch);
            thread.interrupt();
            if (Thread.currentThread() != thread) {
                try {
                    thread.join(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One watch of one prefix. */
    final class Registration implements Watch {
        private final String prefix;
        private final Consumer<ConfigChange> listener;
        private final Consumer<WaterfallException> onError;
        /** Written only under {@link #lock}. */
        private volatile Map<Key, Resolved> current;
        private long revision;
        private volatile boolean open = true;
        private String lastError;

        Registration(String prefix, Consumer<ConfigChange> listener, Consumer<WaterfallException> onError) {
            this.prefix = prefix;
            this.listener = listener;
            this.onError = onError;
        }

        @Override
        public String prefix() {
            return prefix;
        }

        @Override
        public List<Resolved> current() {
            return List.copyOf(current.values());
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                unregister(this);
            }
        }

        /** The change from what this watch saw to {@code snapshot}'s resolution, as a delivery, or null if nothing changed. */
        Runnable advance(Snapshot snapshot) {
            if (snapshot.revision() < revision) {
                return null;
            }
            Map<Key, Resolved> next;
            try {
                next = resolve(prefix, snapshot);
            } catch (WaterfallException e) {
                return failure(e);
            }
            lastError = null;
            revision = snapshot.revision();
            List<ConfigChange.KeyChange> changes = new ArrayList<>();
            TreeSet<Key> keys = new TreeSet<>(current.keySet());
            keys.addAll(next.keySet());
            for (Key key : keys) {
                Resolved before = current.get(key);
                Resolved after = next.get(key);
                if (!same(before, after)) {
                    changes.add(new ConfigChange.KeyChange(key, Optional.ofNullable(before), Optional.ofNullable(after)));
                }
            }
            current = next;
            if (changes.isEmpty()) {
                return null;
            }
            ConfigChange change = new ConfigChange(prefix, snapshot.revision(), changes, List.copyOf(next.values()));
            return () -> {
                if (open) {
                    try {
                        listener.accept(change);
                    } catch (RuntimeException e) {
                        log().log(Level.WARNING, "a watch listener of " + (prefix.isEmpty() ? "every key" : prefix) + " failed", e);
                    }
                }
            };
        }

        /** The error as a delivery, once per distinct message (a broken file is reported once, not at every look). */
        Runnable failure(WaterfallException e) {
            if (Objects.equals(lastError, e.getMessage())) {
                return null;
            }
            lastError = e.getMessage();
            return () -> {
                if (open) {
                    try {
                        onError.accept(e);
                    } catch (RuntimeException thrown) {
                        log().log(Level.WARNING, "a watch error handler of " + (prefix.isEmpty() ? "every key" : prefix) + " failed", thrown);
                    }
                }
            };
        }
    }

    PrefixWatches(Waterfall config, List<Path> layerFiles) {
        this.config = config;
        this.layerFiles = List.copyOf(layerFiles);
    }

    /**
     * Starts a watch of {@code prefix}: the store's and files' watches first, then the baseline, so
     * that every change after this returns is reported.
     */
    Watch register(String prefix, Consumer<ConfigChange> listener, Consumer<WaterfallException> onError) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(onError, "onError");
        if (!prefix.isEmpty()) {
            Key.of(prefix); // InvalidKeyException for a bad prefix, before anything starts
        }
        Registration registration = new Registration(prefix, listener, onError);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the configuration of " + config.app() + " is closed");
            }
            boolean started = false;
            if (running == null) {
                running = start();
                started = true;
            }
            try {
                Snapshot snapshot = config.store().snapshot();
                registration.current = resolve(prefix, snapshot);
                registration.revision = snapshot.revision();
                if (running.last == null) {
                    running.last = snapshot;
                }
            } catch (RuntimeException e) {
                if (started && registrations.isEmpty()) {
                    running.stop();
                    running = null;
                }
                throw e;
            }
            registrations.add(registration);
            // a change between the sources' start and the baseline: look again, so that nothing between is lost
            running.wake();
        }
        return registration;
    }

    private Running start() {
        Running started = new Running();
        try {
            started.storeWatch = config.store().watch(event -> started.wake());
            if (!layerFiles.isEmpty()) {
                started.fileWatch = FileWatch.start(config.app() + " system and defaults files", layerFiles, started::wake);
            }
            try {
                started.last = config.store().snapshot();
            } catch (WaterfallException e) {
                started.last = null; // reported to each watch by its own look
            }
        } catch (RuntimeException e) {
            started.stop();
            throw e;
        }
        started.thread.start();
        return started;
    }

    private void unregister(Registration registration) {
        Running stopped = null;
        synchronized (lock) {
            registrations.remove(registration);
            if (registrations.isEmpty() && running != null) {
                stopped = running;
                running = null;
            }
        }
        if (stopped != null) {
            stopped.stop();
        }
    }

    /** Stops every watch and the threads. */
    void close() {
        Running stopped;
        synchronized (lock) {
            closed = true;
            registrations.forEach(registration -> registration.open = false);
            registrations.clear();
            stopped = running;
            running = null;
        }
        if (stopped != null) {
            stopped.stop();
        }
    }

    /** One look: read the store, rebuild the commits in between, and collect each watch's changes in order. */
    private void look(Running current, List<Runnable> deliveries) {
        Snapshot now;
        try {
            now = config.store().snapshot();
        } catch (WaterfallException e) {
            for (Registration registration : registrations) {
                add(deliveries, registration.failure(e));
            }
            return;
        }
        List<Snapshot> steps = current.last == null ? List.of() : between(current.last, now);
        for (Registration registration : registrations) {
            for (Snapshot step : steps) {
                if (step.revision() > registration.revision) {
                    add(deliveries, registration.advance(step));
                }
            }
            add(deliveries, registration.advance(now));
        }
        current.last = now;
    }

    private static void add(List<Runnable> deliveries, Runnable delivery) {
        if (delivery != null) {
            deliveries.add(delivery);
        }
    }

    /**
     * The store as it was after each commit strictly between {@code from} and {@code to}, rebuilt
     * from history; empty when there are none or history cannot rebuild them all.
     */
    private List<Snapshot> between(Snapshot from, Snapshot to) {
        long gap = to.revision() - from.revision();
        if (gap <= 1 || gap > MAX_REPLAYED) {
            return List.of();
        }
        List<HistoryRecord> records;
        int limit = (int) Math.min(100_000, gap * 64);
        try {
            records = config.store().history(HistoryQuery.all().limit(limit));
        } catch (WaterfallException e) {
            return List.of();
        }
        if (records.size() >= limit && records.get(records.size() - 1).revision() > from.revision()) {
            return List.of(); // more records than asked for: history cannot say what came between
        }
        TreeMap<Long, List<HistoryRecord>> byRevision = new TreeMap<>();
        for (HistoryRecord record : records) {
            if (record.revision() > from.revision() && record.revision() < to.revision()) {
                byRevision.computeIfAbsent(record.revision(), r -> new ArrayList<>()).add(0, record); // oldest first
            }
        }
        if (byRevision.isEmpty()) {
            return List.of();
        }
        Map<Key, Entry> entries = new HashMap<>(from.entries());
        List<Snapshot> steps = new ArrayList<>(byRevision.size());
        for (Map.Entry<Long, List<HistoryRecord>> commit : byRevision.entrySet()) {
            for (HistoryRecord record : commit.getValue()) {
                if (record.newValue().isPresent()) {
                    entries.put(record.key(), new Entry(record.key(), record.newValue().get(), record.revision(), record.at(), record.by(), 0));
                } else {
                    entries.remove(record.key());
                }
            }
            steps.add(new Snapshot(commit.getKey(), entries));
        }
        return steps;
    }

    /** The resolved keys under {@code prefix} against {@code snapshot}, by key. */
    private Map<Key, Resolved> resolve(String prefix, Snapshot snapshot) {
        Map<Key, Resolved> resolved = new LinkedHashMap<>();
        for (Resolved one : config.list(prefix, snapshot)) {
            resolved.put(one.key(), one);
        }
        return resolved;
    }

    /** Whether two resolutions of a key are the same for a listener: the same value from the same layer and source (a line that moved is no change). */
    private static boolean same(Resolved before, Resolved after) {
        if (before == null || after == null) {
            return before == after;
        }
        return before.value().equals(after.value()) && before.origin().layer() == after.origin().layer()
                && before.origin().source().equals(after.origin().source());
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception e) {
                log().log(Level.DEBUG, "stopping a watch failed: " + e.getMessage());
            }
        }
    }
}
