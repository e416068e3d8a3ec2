package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Exports a store again and again on a schedule, as a long-lived process does
 * ({@code waterfall export --every 15m}):
 * <ul>
 *   <li>a run writes nothing when the store's revision is the one the newest dump's meta file
 *       records ({@link ExportRequest#withSkipUnchanged});</li>
 *   <li>a run that fails (the database is down, the disk is full) is reported to the listener and
 *       the next run comes at the next scheduled time: one failure never ends the schedule;</li>
 *   <li>{@link #stop()} (from a shutdown hook, on SIGTERM) wakes a waiting schedule, or stops a running
 *       export at its next row, which deletes its temp file: a stop never leaves a partial dump.</li>
 * </ul>
 *
 * <p>Time comes from the injected clock and waiting from the injected sleeper, so a test can run a
 * day of schedule in a moment. Never prints: the listener hears everything.
 */
public final class ScheduledExport {

    /** Waits for a while. The real one is {@link #REAL}; a test's may advance a clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        /** Sleeps with {@link Thread#sleep}; {@link #stop()} interrupts it. */
        Sleeper REAL = duration -> TimeUnit.NANOSECONDS.sleep(Math.max(1, duration.toNanos()));

        /** Waits for {@code duration} (or less: the schedule looks at the clock again). */
        void sleep(Duration duration) throws InterruptedException;
    }

    /** Hears what the schedule does, on the thread that runs it. Methods must return quickly. */
    public interface Listener {
        /** Nothing to do until {@code next}. */
        default void waiting(Instant next) {
        }

        /** A run finished: a new dump, or none because the store had not changed ({@link ExportResult#written()}). */
        default void exported(ExportResult result, Instant next) {
        }

        /** A run failed; the schedule goes on and tries again at {@code next}. */
        default void failed(RuntimeException failure, Instant next) {
        }

        /** The schedule stopped: {@link #stop()} was called. Runs before {@link #awaitStopped} returns. */
        default void stopped() {
        }
    }

    private final Exporter exporter;
    private final ConfigStore store;
    private final ExportRequest request;
    private final ExportSchedule schedule;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Listener listener;
    private final Object lock = new Object();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopping;
    private Thread runner;
    private boolean sleeping;

    /**
     * @param request what each run does; each run skips writing when the store has not changed, and
     *                stops at the next row when this schedule is stopped
     */
    public ScheduledExport(Exporter exporter, ConfigStore store, ExportRequest request, ExportSchedule schedule, Clock clock,
                           Sleeper sleeper, Listener listener) {
        this.exporter = Objects.requireNonNull(exporter, "exporter");
        this.store = Objects.requireNonNull(store, "store");
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.request = request.withSkipUnchanged(true).withCancellation(() -> stopping || request.cancelled().getAsBoolean());
    }

    /**
     * Runs the schedule on the calling thread until {@link #stop()} is called. Returns normally
     * then; throws only an {@link Error}.
     *
     * @throws IllegalStateException if it is running already
     */
    public void run() {
        synchronized (lock) {
            if (runner != null) {
                throw new IllegalStateException("this schedule is running already");
            }
            runner = Thread.currentThread();
        }
        try {
            Instant scheduled = schedule.first(clock.instant());
            Instant announced = null;
            while (!stopping) {
                Instant now = clock.instant();
                if (now.isBefore(scheduled)) {
                    if (!scheduled.equals(announced)) {
                        listener.waiting(scheduled);
                        announced = scheduled;
                    }
                    sleep(Duration.between(now, scheduled));
                    continue;
                }
                ExportResult result = null;
                RuntimeException failure = null;
                try {
                    result = exporter.export(store, request);
                } catch (CancellationException e) {
                    break; // stopped in the middle: the export removed its temp file
                } catch (RuntimeException e) {
                    failure = e;
                }
                Instant after = clock.instant();
                Instant next = schedule.next(scheduled);
                while (!next.isAfter(after)) {
                    next = schedule.next(next); // runs missed while this one ran are skipped
                }
                scheduled = next;
                if (failure != null) {
                    listener.failed(failure, next);
                } else {
                    listener.exported(result, next);
                }
            }
        } finally {
            synchronized (lock) {
                runner = null;
            }
            try {
                listener.stopped();
            } finally {
                finished.countDown(); // last: a shutdown hook waiting in awaitStopped lets the JVM halt right after
            }
        }
    }

    private void sleep(Duration duration) {
        synchronized (lock) {
            if (stopping) {
                return;
            }
            sleeping = true;
        }
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            // woken by stop(), or by someone who wants us to look again: the loop decides
        } finally {
            synchronized (lock) {
                sleeping = false;
                Thread.interrupted(); // stop() interrupts only while sleeping; clear it so it cannot hit the next export
            }
        }
    }

    /**
     * Stops the schedule: wakes it if it waits, and stops a running export at its next row (its temp
     * file is deleted). Returns at once; see {@link #awaitStopped}. Thread-safe, idempotent.
     */
    public void stop() {
        stopping = true;
        synchronized (lock) {
            if (sleeping && runner != null) {
                runner.interrupt();
            }
        }
    }

    /** Whether {@link #stop()} was called. */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * Waits until {@link #run()} has returned (after {@link #stop()}), at most {@code timeout}.
     *
     * @return whether it has
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
