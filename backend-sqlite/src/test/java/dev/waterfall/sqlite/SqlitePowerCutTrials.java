package dev.waterfall.sqlite;

import dev.waterfall.contract.DiskFullTrials;
import dev.waterfall.contract.PowerCutTrials;
import dev.waterfall.contract.PowerCutTrials.IndependentReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The SQLite store through power cuts (PowerCutTrials); the sqlite3 shell's PRAGMA integrity_check must say ok.
 *
 * <p>Named {@code *Trials}, which surefire's default patterns leave out: it needs root and a loop
 * device, so {@code mvn verify} does not run it; {@code scripts/power-cut-trials}, a step of
 * {@code scripts/test-all} (and so of {@code .ci/run}), does, and fails it, never skips it, where the
 * machine refuses a loop device or a mount. docs/reliability.md has the figures.
 */
class SqlitePowerCutTrials {

    @TempDir
    Path work;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void powerCut_atRandomInstants_neverCorruptsNorLosesAnAcknowledgedWrite() throws Exception {
        PowerCutTrials.run("sqlite", work, folder -> "sqlite:" + folder.resolve("store.db"),
                IndependentReader.command(folder -> List.of("sqlite3", folder.resolve("store.db").toString(), "PRAGMA integrity_check"), "ok"),
                System.out);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void diskFull_onARealFileSystem_refusesCleanlyOrWritesWhole() throws Exception {
        DiskFullTrials.run("sqlite", work, folder -> "sqlite:" + folder.resolve("store.db"), System.out);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void readOnlyFileSystem_aWriteIsOneClearLineNamingTheStore_andLosesNothing() throws Exception {
        dev.waterfall.contract.ReadOnlyFileSystemTrial.run("sqlite", work, folder -> "sqlite:" + folder.resolve("store.db"), System.out);
    }
}
