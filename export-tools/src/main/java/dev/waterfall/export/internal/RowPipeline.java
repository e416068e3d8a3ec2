package dev.waterfall.export.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Formats and writes rows on a thread of its own while the caller reads them from the store, so
 * that decoding rows and encoding them use two cores. Rows travel in batches through a short
 * queue, so memory stays bounded whatever the store's size.
 *
 * <p>The caller {@link #add}s rows and calls {@link #finish()}; a failure of the writing thread
 * surfaces at the next {@code add} or at {@code finish}. {@link #close()} without a finish stops
 * the writing thread and waits for it, so that the file it writes can be abandoned safely.
 * One caller thread.
 */
public final class RowPipeline<T> implements AutoCloseable {

    /** Rows per batch handed to the writing thread. */
    static final int BATCH = 1000;

    private final List<T> end = new ArrayList<>(0);
    private final List<T> abort = new ArrayList<>(0);

    private final RowSink<T> sink;
    private final Runnable finish;
    private final BlockingQueue<List<T>> queue = new ArrayBlockingQueue<>(8);
    private final Thread thread;
    private List<T> batch = new ArrayList<>(BATCH);
    private volatile Throwable failure;
    private boolean finished;

    /**
     * Starts the writing thread.
     *
     * @param sink   writes one row; called only by the writing thread from now on
     * @param finish run by the writing thread after the last row (writes the dump's end, flushes)
     * @param name   the thread's name, for thread dumps
     */
    public RowPipeline(RowSink<T> sink, IoAction finish, String name) {
        this.sink = sink;
        this.finish = () -> {
            try {
                finish.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        this.thread = new Thread(this::drain, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Writes one row; may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface RowSink<T> {
        void write(T row) throws IOException;
    }

    /** Work that may fail with an {@link IOException}. */
    @FunctionalInterface
    public interface IoAction {
        void run() throws IOException;
    }

    /** Queues one row for writing. */
    public void add(T row) throws IOException {
        batch.add(row);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    /** Writes what is queued and the end of the dump, and waits until it is all written. */
    public void finish() throws IOException {
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>(0);
        }
        hand(end);
        join();
        finished = true;
        check();
    }

    private void hand(List<T> rows) throws IOException {
        try {
            while (!queue.offer(rows, 50, TimeUnit.MILLISECONDS)) {
                check();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing rows");
        }
        check();
    }

    private void check() throws IOException {
        Throwable failed = failure;
        if (failed instanceof IOException io) {
            throw io;
        }
        if (failed instanceof UncheckedIOException io) {
            throw io.getCause();
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
                List<T> rows = queue.take();
                if (rows == abort) {
                    return;
                }
                if (rows == end) {
                    finish.run();
                    return;
                }
                for (T row : rows) {
                    sink.write(row);
                }
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
            throw new InterruptedIOException("interrupted while waiting for the rows to be written");
        }
    }

    /** Stops the writing thread if {@link #finish()} was not called, and waits for it. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        queue.clear();
        boolean interrupted = false;
        while (!queue.offer(abort)) {
            queue.clear();
        }
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
