package dev.waterfall.console;

import com.sun.net.httpserver.HttpExchange;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The open event streams ({@code GET /api/events}, Server-Sent Events) and the one watch of the
 * store that feeds them: each commit, by any process, becomes one {@code commit} event with its
 * revision, its author and time (from the history), and the new view of each key it changed
 * ({@link KeyViews#key}, so redacted as everywhere). A change the store cannot name the keys of
 * (a hand edit not yet recorded) is an event with {@code "reload": true}. A comment line every
 * 15 seconds keeps idle streams open through proxies and finds closed ones.
 */
final class EventHub implements AutoCloseable {

    /** How many of the newest history records one look takes. */
    private static final int LOOK = 1_000;
    private static final long KEEP_ALIVE_MILLIS = 15_000;

    private final Waterfall waterfall;
    private final KeyViews views;
    private final int maxStreams;
    private final ThreadFactory threads;
    private final List<Stream> streams = new CopyOnWriteArrayList<>();
    private final BlockingQueue<StoreEvent> pending = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private AutoCloseable watch;
    private Thread sender;
    private long seen;

    private record Stream(HttpExchange exchange, OutputStream body) {
    }

    EventHub(Waterfall waterfall, KeyViews views, int maxStreams, ThreadFactory threads) {
        this.waterfall = waterfall;
        this.views = views;
        this.maxStreams = maxStreams;
        this.threads = threads;
    }

    /** Starts watching the store. */
    void start() {
        ConfigStore store = waterfall.store();
        try {
            seen = store.snapshot().revision();
        } catch (WaterfallException e) {
            seen = 0; // a broken store: the page shows the error; events start once it is repaired
        }
        try {
            watch = store.watch(pending::add);
        } catch (Exception e) {
            throw new WaterfallException("cannot watch " + store.location() + ": " + e.getMessage(), e);
        }
        sender = threads.newThread(this::send);
        sender.start();
    }

    /**
     * Takes {@code exchange} as a new event stream; false (nothing sent) when {@link #maxStreams}
     * are open already.
     */
    synchronized boolean open(HttpExchange exchange) throws IOException {
        if (closed || streams.size() >= maxStreams) {
            return false;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        body.write(("retry: 1000\n: revision " + seen + "\n\n").getBytes(StandardCharsets.UTF_8));
        body.flush();
        streams.add(new Stream(exchange, body));
        return true;
    }

    /** How many streams are open. */
    int openStreams() {
        return streams.size();
    }

    private void send() {
        long lastWrite = System.currentTimeMillis();
        while (!closed) {
            StoreEvent event;
            try {
                event = pending.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (event == null) {
                if (System.currentTimeMillis() - lastWrite >= KEEP_ALIVE_MILLIS) {
                    broadcast(": keep-alive\n\n");
                    lastWrite = System.currentTimeMillis();
                }
                continue;
            }
            List<StoreEvent> events = new ArrayList<>();
            events.add(event);
            pending.drainTo(events);
            try {
                for (String message : messages(events)) {
                    broadcast(message);
                }
            } catch (RuntimeException e) {
                // A store that broke (a hand edit) or went away: the page learns it from a reload.
                broadcast("event: commit\ndata: {\"reload\":true}\n\n");
            }
            lastWrite = System.currentTimeMillis();
        }
    }

    /** The SSE messages for {@code events}: one per recorded commit, oldest first, or one reload. */
    private List<String> messages(List<StoreEvent> events) {
        long upTo = seen;
        Set<Key> named = new TreeSet<>();
        boolean unnamed = false;
        for (StoreEvent event : events) {
            upTo = Math.max(upTo, event.revision());
            named.addAll(event.keys());
            unnamed |= event.keys().isEmpty();
        }
        Map<Long, List<HistoryRecord>> commits = new LinkedHashMap<>();
        List<HistoryRecord> newest;
        try {
            newest = waterfall.store().history(new HistoryQuery(Optional.empty(), LOOK));
        } catch (UnsupportedOperationException e) {
            newest = List.of();
        }
        for (int i = newest.size() - 1; i >= 0; i--) {
            HistoryRecord record = newest.get(i);
            if (record.revision() > seen) {
                commits.computeIfAbsent(record.revision(), revision -> new ArrayList<>()).add(record);
                upTo = Math.max(upTo, record.revision());
            }
        }
        // Newest first: a key is shown once, in the newest commit that changed it, whose author made
        // the value it shows now (a view is read fresh, so an older commit would claim a newer value).
        List<String> messages = new ArrayList<>();
        Set<Key> covered = new TreeSet<>();
        List<Long> revisions = new ArrayList<>(commits.keySet());
        Collections.reverse(revisions);
        for (long revision : revisions) {
            List<HistoryRecord> records = commits.get(revision);
            List<Key> keys = records.stream().map(HistoryRecord::key).distinct().filter(key -> !covered.contains(key)).toList();
            covered.addAll(keys);
            if (!keys.isEmpty()) {
                messages.add(0, message(revision, Optional.of(records.get(0)), keys, false));
            }
        }
        named.removeAll(covered);
        if (unnamed && commits.isEmpty() || !named.isEmpty()) {
            messages.add(message(upTo, Optional.empty(), List.copyOf(named), unnamed && commits.isEmpty()));
        }
        seen = upTo;
        return messages;
    }

    private String message(long revision, Optional<HistoryRecord> first, List<Key> keys, boolean reload) {
        byte[] json = views.document(out -> {
            out.writeStartObject();
            out.writeNumberField("revision", revision);
            if (first.isPresent()) {
                out.writeStringField("by", first.get().by().toString());
                out.writeStringField("at", first.get().at().toString());
            } else {
                out.writeStringField("by", "another writer (not recorded)");
            }
            out.writeBooleanField("reload", reload);
            out.writeArrayFieldStart("keys");
            for (Key key : keys) {
                views.key(out, key);
            }
            out.writeEndArray();
            out.writeEndObject();
        });
        return "id: " + revision + "\nevent: commit\ndata: " + new String(json, StandardCharsets.UTF_8) + "\n\n";
    }

    private void broadcast(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        for (Stream stream : streams) {
            try {
                stream.body().write(bytes);
                stream.body().flush();
            } catch (IOException e) {
                drop(stream);
            }
        }
    }

    private void drop(Stream stream) {
        streams.remove(stream);
        stream.exchange().close();
    }

    /** Closes every stream and stops watching. */
    @Override
    public void close() {
        closed = true;
        if (sender != null) {
            sender.interrupt();
        }
        for (Stream stream : streams) {
            drop(stream);
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                // stopping: nothing left to tell
            }
        }
    }
}
