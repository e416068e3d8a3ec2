package dev.waterfall.file;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that fsync a file store's temp files while the writing thread checks their content,
 * shared by the stores of one Waterfall instance (through its services) and stopped when it closes.
 * Daemon threads, created on demand and ended after a minute idle, so a program that never writes
 * has none.
 */
final class FileSyncThreads implements AutoCloseable {

    private final ExecutorService executor;

    FileSyncThreads() {
        AtomicInteger count = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), task -> {
                    Thread thread = new Thread(task, "waterfall-fsync-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The executor to submit an fsync to. */
    ExecutorService executor() {
        return executor;
    }

    /** Stops the threads once the fsyncs under way are done. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
