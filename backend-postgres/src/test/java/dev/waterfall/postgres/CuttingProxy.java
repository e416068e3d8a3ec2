package dev.waterfall.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a PostgreSQL server that can cut one connection at a write's
 * {@code COMMIT} (the message after the write records its change id; plain-text protocol: give the
 * store {@code sslmode=disable}): either after passing the COMMIT on,
 * so that the server commits and the client never hears it (an outcome the client cannot learn, as
 * when a primary dies after committing), or before, so that the server rolls back. Each armed cut
 * happens once; every other byte passes unchanged.
 */
final class CuttingProxy implements AutoCloseable {

    enum Cut {
        NONE,
        /** The server gets the COMMIT, the client never gets the answer. */
        AFTER_COMMIT,
        /** The COMMIT never reaches the server: it rolls back. */
        BEFORE_COMMIT,
        /** As {@link #AFTER_COMMIT}, and then the proxy stops: the server is gone for good. */
        AFTER_COMMIT_THEN_GONE
    }

    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CHANGE_ID = "INSERT INTO waterfall.changes".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicReference<Cut> armed = new AtomicReference<>(Cut.NONE);
    private final AtomicInteger cuts = new AtomicInteger();
    private final Thread acceptor;
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    CuttingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "cutting-proxy");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Cuts the next connection that sends a COMMIT, in the given way. */
    void arm(Cut cut) {
        armed.set(cut);
    }

    /** How many connections were cut so far. */
    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(server);
                java.util.concurrent.atomic.AtomicBoolean muted = new java.util.concurrent.atomic.AtomicBoolean();
                start(() -> pump(client, server, true, muted));
                start(() -> pump(server, client, false, muted));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable work) {
        Thread thread = new Thread(work, "cutting-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Passes bytes on; {@code muted}, set at a cut, stops the server's answers to this client. */
    private void pump(Socket from, Socket to, boolean clientToServer, java.util.concurrent.atomic.AtomicBoolean muted) {
        byte[] buffer = new byte[65536];
        boolean lastWasChangeId = false;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                // The driver sends COMMIT as a prepared statement (by name, not text) once it has used it:
                // the message after the write's last statement, its change id, is the commit.
                boolean commit = clientToServer && (contains(buffer, read, COMMIT) || lastWasChangeId);
                if (clientToServer) {
                    lastWasChangeId = contains(buffer, read, CHANGE_ID);
                }
                Cut cut = commit ? armed.getAndSet(Cut.NONE) : Cut.NONE;
                if (cut == Cut.BEFORE_COMMIT) {
                    cuts.incrementAndGet();
                    closeBoth(from, to);
                    return;
                }
                if (cut != Cut.NONE) {
                    muted.set(true);
                }
                if (!clientToServer && muted.get()) {
                    continue; // the answer to the COMMIT is lost; the client waits until the cut
                }
                out.write(buffer, 0, read);
                out.flush();
                if (cut == Cut.AFTER_COMMIT || cut == Cut.AFTER_COMMIT_THEN_GONE) {
                    cuts.incrementAndGet();
                    Thread.sleep(300); // the server commits; its answer is never passed on
                    if (cut == Cut.AFTER_COMMIT_THEN_GONE) {
                        close();
                    }
                    closeBoth(from, to);
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the other side closed
        } finally {
            closeBoth(from, to);
        }
    }

    private static boolean contains(byte[] buffer, int length, byte[] word) {
        outer:
        for (int i = 0; i + word.length <= length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (buffer[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            b.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops accepting and cuts every connection: the server is gone for the client. */
    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
