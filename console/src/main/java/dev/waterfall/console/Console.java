package dev.waterfall.console;

import com.sun.net.httpserver.HttpServer;
import dev.waterfall.config.Waterfall;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The settings console: a live page in the browser over one {@link Waterfall}, served on
 * {@code 127.0.0.1} only (docs/console.md). Every key with its value, type, winning layer, origin
 * and the layers it shadows; edits as compare-and-set on the revision the page showed; other
 * writers' commits pushed to open pages as Server-Sent Events; history with undo, backups with
 * restore, {@code doctor}'s findings.
 *
 * <p>Every request needs the fresh random token of {@link #uri()} (exchanged for an HttpOnly,
 * SameSite=Strict cookie) and a {@code Host} of the loopback address; every state-changing request
 * made with the cookie also needs the page's CSRF token and a same-origin {@code Origin}. No value
 * of a key that looks like a secret leaves the server.
 *
 * <pre>{@code
 * try (Console console = Console.builder(waterfall).start()) {
 *     System.out.println(console.uri());   // http://127.0.0.1:PORT/?token=...
 *     ...
 * }
 * }</pre>
 *
 * <p>The console does not close the {@code Waterfall}; the caller does, after the console.
 * Thread-safe.
 */
public final class Console implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final EventHub events;
    private final String token;
    private final int port;
    private final boolean readOnly;

    private Console(HttpServer server, ExecutorService executor, EventHub events, String token, boolean readOnly) {
        this.server = server;
        this.executor = executor;
        this.events = events;
        this.token = token;
        this.port = server.getAddress().getPort();
        this.readOnly = readOnly;
    }

    /** A console over {@code waterfall}; {@link Builder#start()} starts it. */
    public static Builder builder(Waterfall waterfall) {
        return new Builder(Objects.requireNonNull(waterfall, "waterfall"));
    }

    /** The address to open, with the token: {@code http://127.0.0.1:PORT/?token=...}. Whoever has it may use the console. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/?token=" + token);
    }

    /** The port the console listens on, on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** Whether the console refuses every write. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Stops the console: closes the open event streams, stops listening and its threads. Idempotent. */
    @Override
    public void close() {
        events.close();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a console is set up before it starts. */
    public static final class Builder {
        private final Waterfall waterfall;
        private int port;
        private boolean readOnly;
        private int maxEventStreams = 64;

        private Builder(Waterfall waterfall) {
            this.waterfall = waterfall;
        }

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int newPort) {
            if (newPort < 0 || newPort > 65_535) {
                throw new IllegalArgumentException("port " + newPort + " is not a TCP port (0 to 65535; 0 picks a free one)");
            }
            this.port = newPort;
            return this;
        }

        /** Whether every write is refused (default: false). */
        public Builder readOnly(boolean refuseWrites) {
            this.readOnly = refuseWrites;
            return this;
        }

        /** How many event streams (open pages) may be open at once; more are refused with 503. Default 64. */
        public Builder maxEventStreams(int streams) {
            if (streams < 1) {
                throw new IllegalArgumentException("maxEventStreams must be at least 1, not " + streams);
            }
            this.maxEventStreams = streams;
            return this;
        }

        /**
         * Starts listening on {@code 127.0.0.1} and watching the store.
         *
         * @throws UncheckedIOException naming the port when it cannot be bound (in use, or not allowed)
         */
        public Console start() {
            SecureRandom random = new SecureRandom();
            String token = randomToken(random);
            String csrf = randomToken(random);
            HttpServer server;
            try {
                server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + ": " + e.getMessage()
                        + "; pick another port with --port N, or 0 for a free one", e);
            }
            AtomicInteger threads = new AtomicInteger();
            ThreadFactory factory = task -> {
                Thread thread = new Thread(task, "waterfall-console-" + threads.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
            ExecutorService executor = Executors.newFixedThreadPool(8, factory);
            KeyViews views = new KeyViews(waterfall);
            EventHub events = new EventHub(waterfall, views, maxEventStreams, factory);
            int bound = server.getAddress().getPort();
            server.createContext("/", new ConsoleHandler(waterfall, views, events, token, csrf, bound, readOnly));
            server.setExecutor(executor);
            server.start();
            try {
                events.start();
            } catch (RuntimeException e) {
                server.stop(0);
                executor.shutdownNow();
                throw e;
            }
            return new Console(server, executor, events, token, readOnly);
        }

        private static String randomToken(SecureRandom random) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }
}
