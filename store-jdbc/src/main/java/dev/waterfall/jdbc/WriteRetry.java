package dev.waterfall.jdbc;

import dev.waterfall.config.Commit;
import dev.waterfall.config.WaterfallException;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One write of a {@link SqlStore} through a failover: its attempts, all with one change id
 * ({@link ChangeLedger}), until one commits or the failover timeout has passed.
 *
 * <ul>
 *   <li>An attempt that failed before committing changed nothing. If the failure is one a failover
 *       causes ({@link SqlDialect#duringFailover}: the connection broke, no server accepts it, the
 *       server reached is a read-only standby), the write is made again, after a short pause, until
 *       the timeout; any other failure (a conflict, a refused password) ends the write at once.</li>
 *   <li>An attempt whose connection broke while committing has an unknown outcome. The next attempt
 *       first looks for the change id (with the namespace locked): found, the earlier attempt's
 *       commit is the write's result and nothing is written again; not found, the write is made.
 *       Where the database keeps no change ids, the outcome stays unknown and is reported so.</li>
 * </ul>
 * With a timeout of zero a write has one attempt, and one more to settle an unknown outcome.
 */
final class WriteRetry {

    /** The first pause between attempts; it doubles up to {@link #MAX_PAUSE_MILLIS}. */
    static final long FIRST_PAUSE_MILLIS = 50;
    static final long MAX_PAUSE_MILLIS = 500;

    /** What an attempt ended with: its commit, or the revision at which an earlier attempt of the same write committed. */
    record Outcome(Commit commit, boolean earlier) {
        static Outcome applied(Commit commit) {
            return new Outcome(commit, false);
        }

        static Outcome earlier(long revision) {
            return new Outcome(new Commit(revision, java.util.List.of(), java.util.List.of()), true);
        }
    }

    /** An attempt that failed on the database; {@code planned} is its commit if it got as far as committing. */
    static final class Failed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SQLException failure;
        final boolean committing;
        final transient Commit planned;

        Failed(SQLException failure, boolean committing, Commit planned) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
            this.committing = committing;
            this.planned = planned;
        }
    }

    /** One attempt of the write with {@code changeId}; {@code check}: look for the id first. */
    @FunctionalInterface
    interface Attempt {
        Outcome run(UUID changeId, boolean check);
    }

    /** The exception a write ends with after a failure: the store's message for it. */
    @FunctionalInterface
    interface Report {
        WaterfallException of(SQLException failure, boolean committing);
    }

    private final SqlDialect dialect;
    private final Duration timeout;
    private final boolean keepsIds;

    WriteRetry(SqlDialect dialect, Duration timeout, boolean keepsIds) {
        this.dialect = dialect;
        this.timeout = timeout;
        this.keepsIds = keepsIds;
    }

    Commit apply(Attempt attempt, Report report) {
        UUID changeId = UUID.randomUUID();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Long, Commit> unsettled = new HashMap<>();
        long pause = FIRST_PAUSE_MILLIS;
        boolean settling = false;
        while (true) {
            Failed failed;
            try {
                Outcome outcome = attempt.run(changeId, !unsettled.isEmpty());
                if (outcome.earlier()) {
                    return unsettled.getOrDefault(outcome.commit().revision(), outcome.commit());
                }
                return outcome.commit();
            } catch (Failed e) {
                failed = e;
            }
            if (failed.committing) {
                if (!keepsIds) {
                    throw report.of(failed.failure, true);
                }
                unsettled.put(failed.planned.revision(), failed.planned);
            } else if (!dialect.duringFailover(failed.failure)) {
                throw report.of(failed.failure, false);
            }
            boolean timeLeft = System.nanoTime() - deadline < 0;
            // An unknown outcome gets one attempt to settle it even without time left.
            boolean settleOnce = failed.committing && !settling;
            if (!timeLeft && !settleOnce) {
                throw report.of(failed.failure, !unsettled.isEmpty());
            }
            settling |= failed.committing;
            if (timeLeft) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw report.of(failed.failure, !unsettled.isEmpty());
                }
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
    }
}
