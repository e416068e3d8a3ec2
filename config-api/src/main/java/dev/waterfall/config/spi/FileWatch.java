package dev.waterfall.config.spi;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.internal.PollingWatch;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells when one of a few files is created, replaced, written or removed, as the file system reports
 * it: the JDK's {@link WatchService} on each file's folder (inotify on Linux), so a change is seen
 * at once and nothing is read while nothing changes. Writers replace a store file by renaming a
 * temp file over it (a new directory entry) or append to it (the NDJSON log); both are events of
 * the folder.
 *
 * <p>A folder that does not exist yet (a store created by its first write) is looked for every
 * {@value #MISSING_FOLDER_MILLIS} ms until it does, then watched; a folder removed while watched
 * goes back to that. Where the file system offers no watch service, or refuses to watch a folder
 * (the inotify limit reached), the files' attributes are compared every
 * {@value #MISSING_FOLDER_MILLIS} ms instead.
 *
 * <p>One daemon thread, named {@code waterfall-files NAME}, runs the callback; {@link #close()}
 * stops it and the watch service's own thread.
 */
public final class FileWatch implements AutoCloseable {

    /** How often a missing folder is looked for, or files compared where no watch service exists. */
    public static final int MISSING_FOLDER_MILLIS = 500;

    private static System.Logger log() {
        return System.getLogger(FileWatch.class.getName());
    }

    private final Map<Path, Set<String>> namesByFolder = new HashMap<>();
    private final Set<Path> files;
    private final Runnable onChange;
    private final Thread thread;
    private final WatchService service;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Set<Path> pending = new LinkedHashSet<>();
    private volatile boolean closed;

    private FileWatch(String name, Collection<Path> watched, Runnable onChange) {
        this.onChange = onChange;
        this.files = new LinkedHashSet<>();
        for (Path file : watched) {
            Path absolute = file.toAbsolutePath().normalize();
            files.add(absolute);
            addName(absolute);
            try {
                Path real = absolute.toRealPath(); // a store reached through a link is replaced where the link points
                if (!real.equals(absolute)) {
                    files.add(real);
                    addName(real);
                }
            } catch (IOException e) {
                // not there yet: its folder is watched for it
            }
        }
        WatchService created;
        try {
            created = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            created = null;
        }
        this.service = created;
        pending.addAll(namesByFolder.keySet());
        registerPending();
        this.thread = new Thread(this::run, "waterfall-files " + name);
        this.thread.setDaemon(true);
    }

    private void addName(Path file) {
        Path folder = file.getParent();
        if (folder != null && file.getFileName() != null) {
            namesByFolder.computeIfAbsent(folder, f -> new HashSet<>()).add(file.getFileName().toString());
        }
    }

    /**
     * Starts watching {@code files}; {@code onChange} runs on the watch's thread after each batch
     * of changes to any of them (several quick changes may make one call). Watching has begun when
     * this returns: a change made after it is reported.
     *
     * @param name what the thread's name says is watched, such as the store's location
     */
    public static FileWatch start(String name, Collection<Path> files, Runnable onChange) {
        Objects.requireNonNull(onChange, "onChange");
        FileWatch watch = new FileWatch(name, files, onChange);
        watch.thread.start();
        return watch;
    }

    /**
     * A {@link ConfigStore#watch} for a store kept in {@code file}: after each change of the file the
     * store is read ({@link ConfigStore#snapshot()}) and, if its revision or entries moved, the
     * listener is told which keys changed.
     */
    public static FileWatch ofStore(ConfigStore store, Path file, Consumer<StoreEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        Snapshot[] previous = {readQuietly(store)};
        return start(store.location(), java.util.List.of(file), () -> {
            Snapshot current = readQuietly(store);
            if (current == null) {
                return;
            }
            Snapshot before = previous[0];
            previous[0] = current;
            if (before == null) {
                listener.accept(new StoreEvent(current.revision(), Set.of()));
                return;
            }
            Set<dev.waterfall.config.Key> changed = PollingWatch.changedKeys(before, current);
            if (current.revision() != before.revision() || !changed.isEmpty()) {
                listener.accept(new StoreEvent(current.revision(), changed));
            }
        });
    }

    private static Snapshot readQuietly(ConfigStore store) {
        try {
            return store.snapshot();
        } catch (WaterfallException e) {
            log().log(Level.WARNING, "watch of " + store.location() + " could not read the store: " + e.getMessage());
            return null;
        }
    }

    private void registerPending() {
        if (service == null) {
            return;
        }
        for (var iterator = pending.iterator(); iterator.hasNext(); ) {
            Path folder = iterator.next();
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try {
                WatchKey key = folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
                keys.put(key, folder);
                iterator.remove();
            } catch (IOException | ClosedWatchServiceException e) {
                // looked for again after the next wait
            }
        }
    }

    private void run() {
        if (service == null) {
            poll();
            return;
        }
        Map<Path, Object> seen = stamps();
        try {
            while (!closed) {
                WatchKey key = pending.isEmpty() ? service.take() : service.poll(MISSING_FOLDER_MILLIS, TimeUnit.MILLISECONDS);
                boolean changed = false;
                if (key == null) {
                    // A folder not watched (missing, or the watch service refused it, e.g. at the inotify
                    // limit): look for it again, and compare the files meanwhile so no change is missed.
                    registerPending();
                    Map<Path, Object> now = stamps();
                    changed = !now.equals(seen);
                    seen = now;
                }
                while (key != null) {
                    Path folder = keys.get(key);
                    for (WatchEvent<?> event : key.pollEvents()) {
                        if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                            changed = true;
                        } else if (folder != null && event.context() instanceof Path name
                                && namesByFolder.getOrDefault(folder, Set.of()).contains(name.toString())) {
                            changed = true;
                        }
                    }
                    if (!key.reset() && folder != null) {
                        keys.remove(key);
                        pending.add(folder); // the folder went away: look for it again
                        changed = true;
                    }
                    key = service.poll();
                }
                if (changed && !closed) {
                    notifyChange();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    /** Where there is no watch service: compare the files' attributes now and then. */
    private void poll() {
        Map<Path, Object> seen = stamps();
        while (!closed) {
            try {
                Thread.sleep(MISSING_FOLDER_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            Map<Path, Object> now = stamps();
            if (!now.equals(seen)) {
                seen = now;
                notifyChange();
            }
        }
    }

    private Map<Path, Object> stamps() {
        Map<Path, Object> stamps = new HashMap<>();
        for (Path file : files) {
            try {
                var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                stamps.put(file, java.util.List.of(String.valueOf(attributes.fileKey()), attributes.size(), attributes.lastModifiedTime()));
            } catch (IOException e) {
                stamps.put(file, "absent");
            }
        }
        return stamps;
    }

    private void notifyChange() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            log().log(Level.WARNING, "a file watch callback (" + thread.getName() + ") failed", e);
        }
    }

    /** Stops watching; the thread ends (waited for up to a second, unless called from the thread itself). */
    @Override
    public void close() {
        closed = true;
        if (service != null) {
            try {
                service.close();
            } catch (IOException e) {
                // closing to stop; nothing else to do
            }
        }
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
