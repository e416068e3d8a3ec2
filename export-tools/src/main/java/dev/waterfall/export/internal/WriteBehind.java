package dev.waterfall.export.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An output stream that writes on a thread of its own: what is written to it is copied and handed
 * to that thread, which writes it on to the target (hashing it and writing the file, for a dump)
 * while the caller reads and encodes the next rows on another core. The hand-over is a short
 * queue of chunks, so memory stays bounded whatever the dump's size; write in chunks of tens of
 * kilobytes ({@link RowWriter} does).
 *
 * <p>The caller writes, then calls {@link #finish()}, which returns once every byte has reached the
 * target and the target is flushed; a failure of the writing thread surfaces at the next write or
 * at {@code finish}. {@link #close()} without a finish stops the writing thread and waits for it,
 * so that the file it writes can be abandoned safely. One caller thread.
 */
public final class WriteBehind extends OutputStream {

    /** Chunks waiting for the writing thread, at most. */
    private static final int QUEUED = 8;

    // Markers for the writing thread, compared by identity.
    private final byte[] end = new byte[0];
    private final byte[] abort = new byte[0];

    private final OutputStream target;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUED);
    private final Thread thread;
    private volatile Throwable failure;
    private boolean finished;

    /**
     * Starts the writing thread.
     *
     * @param target written and flushed only by the writing thread from now on
     * @param name   the thread's name, for thread dumps
     */
    public WriteBehind(OutputStream target, String name) {
        this.target = target;
        this.thread = new Thread(this::drain, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("written after the end");
        }
        if (length > 0) {
            hand(Arrays.copyOfRange(bytes, offset, offset + length));
        }
    }

    /** Waits until everything written has reached the target and the target is flushed. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        hand(end);
        join();
        finished = true;
        check();
    }

    private void hand(byte[] chunk) throws IOException {
        try {
            while (!queue.offer(chunk, 50, TimeUnit.MILLISECONDS)) {
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing");
        }
        check();
    }

    private void check() throws IOException {
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (failed instanceof Error error) {
            throw error;
        }
    }

    private void drain() {
        try {
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == abort) {
                    return;
                }
                if (chunk == end) {
                    target.flush();
                    return;
                }
                target.write(chunk);
            }
        } catch (Throwable e) {
            failure = e;
        }
    }

    private void join() throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the writing thread");
        }
    }

    /**
     * Stops the writing thread if {@link #finish()} was not called, and waits for it; what was
     * not yet written is dropped. The target is not closed.
     */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        queue.clear();
        while (!queue.offer(abort)) {
            queue.clear();
        }
        awaitEnd(thread);
    }

    /** Waits until {@code thread} has ended, even if interrupted meanwhile (the interrupt is kept for the caller). */
    static void awaitEnd(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
