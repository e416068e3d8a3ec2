package dev.waterfall.toml;

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
 * The TOML store through power cuts (PowerCutTrials); Python's tomllib reads the file too.
 *
 * <p>Named {@code *Trials}, which surefire's default patterns leave out: it needs root and a loop
 * device, so {@code mvn verify} does not run it; {@code scripts/power-cut-trials}, a step of
 * {@code scripts/test-all} (and so of {@code .ci/run}), does, and fails it, never skips it, where the
 * machine refuses a loop device or a mount. docs/reliability.md has the figures.
 */
class TomlPowerCutTrials {

    @TempDir
    Path work;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void powerCut_atRandomInstants_neverCorruptsNorLosesAnAcknowledgedWrite() throws Exception {
        String python = PowerCutTrials.python();
        PowerCutTrials.run("toml", work, folder -> "toml:" + folder.resolve("config.toml"),
                IndependentReader.command(folder -> List.of(python, "-c", "import tomllib, sys; tomllib.load(open(sys.argv[1], \"rb\"))",
                        folder.resolve("config.toml").toString()), null),
                System.out);
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void diskFull_onARealFileSystem_refusesCleanlyOrWritesWhole() throws Exception {
        DiskFullTrials.run("toml", work, folder -> "toml:" + folder.resolve("config.toml"), System.out);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void readOnlyFileSystem_aWriteIsOneClearLineNamingTheStore_andLosesNothing() throws Exception {
        dev.waterfall.contract.ReadOnlyFileSystemTrial.run("toml", work, folder -> "toml:" + folder.resolve("config.toml"), System.out);
    }
}
