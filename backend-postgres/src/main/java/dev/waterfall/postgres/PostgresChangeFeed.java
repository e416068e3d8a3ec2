package dev.waterfall.postgres;

import dev.waterfall.config.Key;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.jdbc.ChangeFeed;
import dev.waterfall.jdbc.SqlStore;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Live change events with {@code LISTEN/NOTIFY}: each watch holds one connection of its own (not one
 * of the pool's) listening on its namespace's channel, and reports each write's notification as it
 * arrives, from any process on any machine. When the connection breaks it reconnects with backoff
 * and, if the namespace's revision moved meanwhile, reports one event for all it missed.
 */
final class PostgresChangeFeed implements ChangeFeed {

    private static final System.Logger LOG = System.getLogger(PostgresChangeFeed.class.getName());
    private static final int POLL_MILLIS = 250;

    private final SqlStore store;
    private final PGSimpleDataSource source;
    private final String channel;
    private final JsonValues json = new JsonValues();

    PostgresChangeFeed(SqlStore store, PGSimpleDataSource source) {
        this.store = store;
        this.source = source;
        this.channel = PostgresDialect.channel(store.namespace());
    }

    /**
     * Starts listening and returns once the channel is listened to (or the first attempt failed,
     * within the connect timeout), so that every commit after this returns is reported.
     */
    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        Subscription subscription = new Subscription(listener);
        subscription.thread.start();
        try {
            subscription.started.await(source.getConnectTimeout() + 1L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return subscription;
    }

    private final class Subscription implements AutoCloseable {
        private final Consumer<StoreEvent> listener;
        private final Thread thread;
        private volatile boolean closed;
        private volatile Connection connection;
        private final CountDownLatch started = new CountDownLatch(1);

        Subscription(Consumer<StoreEvent> listener) {
            this.listener = listener;
            this.thread = new Thread(this::run, "waterfall-watch " + store.location());
            this.thread.setDaemon(true);
        }

        private void run() {
            long known = -1;
            boolean missedStart = false;
            long backoff = POLL_MILLIS;
            while (!closed) {
                try (Connection listening = source.getConnection()) {
                    connection = listening;
                    try (Statement statement = listening.createStatement()) {
                        // The channel is derived from a hash (letters and digits), never from input.
                        statement.execute("LISTEN " + channel);
                    }
                    long now = store.revision();
                    // Reconnected: report what happened while nobody listened. If even the first
                    // attempt failed, nothing is known of that time, so report that something may have.
                    if ((known >= 0 && now != known) || (known < 0 && missedStart)) {
                        deliver(new StoreEvent(now, Set.of()));
                    }
                    known = now;
                    backoff = POLL_MILLIS;
                    started.countDown();
                    PGConnection notifications = listening.unwrap(PGConnection.class);
                    while (!closed) {
                        PGNotification[] arrived = notifications.getNotifications(POLL_MILLIS);
                        if (arrived == null) {
                            continue;
                        }
                        for (PGNotification notification : arrived) {
                            StoreEvent event = parse(notification.getParameter());
                            if (event != null) {
                                known = Math.max(known, event.revision());
                                deliver(event);
                            }
                        }
                    }
                } catch (SQLException | WaterfallException e) {
                    if (closed) {
                        return;
                    }
                    if (known < 0) {
                        missedStart = true;
                        started.countDown();
                    }
                    LOG.log(Level.WARNING, "watch of " + store.location() + " lost the server (" + e.getMessage()
                            + "); reconnecting in " + backoff + " ms");
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 5_000);
                } finally {
                    connection = null;
                }
            }
        }

        private void deliver(StoreEvent event) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a watch listener of " + store.location() + " failed", e);
            }
        }

        /** The event of a notification of this namespace, or {@code null} for another namespace's. */
        private StoreEvent parse(String payload) {
            try {
                Value value = json.parse(payload);
                if (!(value instanceof TableValue table)
                        || !(table.members().get("namespace") instanceof StringValue namespace)
                        || !namespace.value().equals(store.namespace())
                        || !(table.members().get("revision") instanceof NumberValue revision)) {
                    return null;
                }
                Set<Key> keys = new LinkedHashSet<>();
                if (table.members().get("keys") instanceof ArrayValue array) {
                    for (Value item : array.items()) {
                        if (item instanceof StringValue key && Key.isValid(key.value())) {
                            keys.add(Key.of(key.value()));
                        }
                    }
                }
                return new StoreEvent(revision.longValueExact(), keys);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "ignoring a notification on " + channel + " that is not Waterfall's: " + e.getMessage());
                return null;
            }
        }

        @Override
        public void close() {
            closed = true;
            Connection current = connection;
            if (current != null) {
                try {
                    current.close();
                } catch (SQLException e) {
                    // closing to stop; nothing else to do
                }
            }
            thread.interrupt();
        }
    }
}
