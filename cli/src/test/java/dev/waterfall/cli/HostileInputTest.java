package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, items 8, 9, 10, 12, 13 and 15, through the command: input a user or a file can give
 * never ends in an internal error (exit 70), a hang or a stack trace; what comes from outside is
 * shown escaped and short; files that are not what they seem are refused with one line.
 */
class HostileInputTest {

    @TempDir
    Path home;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(home);
    }

    private static void oneLineError(Cli.Result result, int exitCode) {
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.err().strip()).as(result.toString()).startsWith("waterfall: ").doesNotContain("\n")
                .doesNotContain("internal error").doesNotContain("Exception");
    }

    // ------------------------------------------------------------------ item 8: never exit 70

    @Test
    void postgresUri_withMalformedPercentEscapes_isAUsageError_thatNeverShowsThePassword() {
        for (String uri : List.of("postgresql://u:%zzpassw0rd@127.0.0.1/test", "postgresql://127.0.0.1/test?namespace=a%zz",
                "postgresql://127.0.0.1/te%zzst", "postgresql://127.0.0.1/test?password=pa%zzssw0rd", "postgresql://%zz@127.0.0.1/test",
                "postgresql://u@127.0.0.1/test?sslmode=%", "postgresql://127.0.0.1/test?history=%zz")) {
            Cli.Result result = cli.run("--store", uri, "list");
            oneLineError(result, 2);
            assertThat(result.err()).as(uri).contains("percent-encoded").doesNotContain("passw0rd").doesNotContain("ssw0rd");
        }
    }

    @Test
    void tomlFloatsOutOfRange_areRefusedWithTheReason_whereverTheyEnter() throws IOException {
        String store = "toml:" + home.resolve("app.toml");
        oneLineError(cli.run("--store", store, "set", "n", "1e-400"), 2); // key absent
        cli.run("--store", store, "set", "n", "1");
        Cli.Result present = cli.run("--store", store, "set", "n", "1e-400");
        oneLineError(present, 2);
        assertThat(present.err()).contains("1e-400", "too small");
        oneLineError(cli.run("--store", store, "set", "m", "[1, 1e-400]"), 2);
        oneLineError(cli.run("--store", store, "set", "t", "{\"x\": -1e-400}"), 2);
        oneLineError(cli.run("--store", store, "set", "n", "1e400"), 2);
        oneLineError(cli.run("--store", store, "set", "n", "1e-99999999999"), 2); // beyond any decimal's exponent too
        oneLineError(cli.run("--store", store, "set", "m", "[1e-99999999999]"), 2);
        assertThat(cli.run("--store", store, "get", "n").out()).isEqualTo("1\n");

        String json = "json:" + home.resolve("from.json");
        Files.writeString(home.resolve("from.json"), "{\"tiny\": 1e-400, \"ok\": 2}\n");
        Cli.Result migrate = cli.run("--store", json, "migrate", "--to", "toml:" + home.resolve("to.toml"));
        assertThat(migrate.exitCode()).as(migrate.toString()).isNotIn(0, 70);
        assertThat(migrate.err()).doesNotContain("internal error").contains("1e-400");
    }

    @Test
    void aTomlFileWithAnOutOfRangeFloat_isABrokenFileWithLineAndColumn() throws IOException {
        Path file = Files.writeString(home.resolve("hand.toml"), "a = 1\nb = 1e-400\n");

        Cli.Result result = cli.run("--store", "toml:" + file, "list");

        oneLineError(result, 3);
        assertThat(result.err()).contains(file + ":2:", "64-bit");
    }

    // ------------------------------------------------------------------ item 9: bounded reads

    @Test
    void aFifo_asDefaultsOrStore_isRefusedAtOnce_notWaitedOn() throws Exception {
        Path fifo = home.resolve("defaults.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();

        Cli.Result defaults = cli.run("--defaults", fifo.toString(), "list");
        oneLineError(defaults, 3);
        assertThat(defaults.err()).contains(fifo.toString(), "not a regular file");

        Cli.Result store = cli.run("--store", "json:" + fifo, "list");
        oneLineError(store, 3);
        assertThat(store.err()).contains("not a regular file");
    }

    @Test
    void devZero_aFolder_andAHugeFile_areRefusedWithOneLine() throws IOException {
        Cli.Result zero = cli.run("--store", "json:/dev/zero", "list");
        oneLineError(zero, 3);
        assertThat(zero.err()).contains("/dev/zero", "not a regular file");

        Path folder = Files.createDirectory(home.resolve("folder.json"));
        Cli.Result dir = cli.run("--defaults", folder.toString(), "list");
        oneLineError(dir, 3);
        assertThat(dir.err()).contains("is a folder");

        Path huge = home.resolve("huge.json");
        try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
            file.setLength(3L << 30); // sparse: 3 GiB that take no disk
        }
        Cli.Result big = cli.run("--store", "json:" + huge, "list");
        oneLineError(big, 3);
        assertThat(big.err()).contains("3 GiB", "256 MiB");
        Cli.Result bigDefaults = cli.run("--defaults", huge.toString(), "get", "a");
        oneLineError(bigDefaults, 3);
    }

    @Test
    void aDumpThatIsAFifoOrDevice_isRefusedByImport() throws Exception {
        Cli.Result result = cli.run("import", "/dev/zero", "--format", "ndjson");
        assertThat(result.exitCode()).as(result.toString()).isNotIn(0, 70);
        assertThat(result.err()).contains("not a regular file").doesNotContain("internal error");
    }

    // ------------------------------------------------------------------ item 10: messages

    @Test
    void keysWithControlCharacters_orHugeKeys_areEscapedAndShortened() {
        Cli.Result escape = cli.run("set", "a\u001b[31mred", "1");
        oneLineError(escape, 2);
        assertThat(escape.err()).doesNotContain("\u001b").contains("\\u001b");

        String huge = "k".repeat(100_000);
        Cli.Result longKey = cli.run("set", huge, "1");
        oneLineError(longKey, 2);
        assertThat(longKey.err().length()).isLessThan(1_000);
        assertThat(longKey.err()).contains("100000 characters");

        Cli.Result value = cli.run("set", "a", "{\u0000" + "x".repeat(5_000));
        oneLineError(value, 2);
        assertThat(value.err()).doesNotContain("\u0000").hasSizeLessThan(1_000);
    }

    @Test
    void anEnvironmentVariableThatDoesNotParse_isNamed() {
        cli.env("WATERFALL_SERVER_PORT", "{bad");

        Cli.Result result = cli.run("get", "server.port");

        oneLineError(result, 2);
        assertThat(result.err()).contains("WATERFALL_SERVER_PORT", "server.port");
    }

    @Test
    void brokenJsonFiles_sayLineAndColumn_withoutJacksonInternals() throws IOException {
        Path deep = Files.writeString(home.resolve("deep.json"), "{\"a\":".repeat(600) + "1" + "}".repeat(600));
        Cli.Result nested = cli.run("--store", "json:" + deep, "list");
        oneLineError(nested, 3);
        assertThat(nested.err()).containsPattern(deep + ":1:\\d+: ").hasSizeLessThan(1_000);

        Path blank = Files.writeString(home.resolve("blank.json"), "  \n   ");
        Cli.Result whitespace = cli.run("--store", "json:" + blank, "list");
        oneLineError(whitespace, 3);
        assertThat(whitespace.err()).containsPattern(blank + ":2:\\d+: ");

        Path number = Files.writeString(home.resolve("number.json"), "{\"a\": " + "1".repeat(2_000) + "}");
        Cli.Result longNumber = cli.run("--store", "json:" + number, "list");
        oneLineError(longNumber, 3);
        assertThat(longNumber.err()).doesNotContain("StreamReadConstraints").doesNotContain("Source: REDACTED");
        assertThat(longNumber.err()).contains(number + ":1:");
    }

    // ------------------------------------------------------------------ item 12: modes

    @Test
    void doctor_reportsAWorldReadableHistoryBackupAndStoreFolder() throws IOException {
        cli.run("set", "a", "1");
        cli.run("set", "a", "2");
        Path folder = cli.defaultStore().getParent();
        Path history = folder.resolve("config.json.history.ndjson");
        Path backups = folder.resolve("backups");
        Path backup;
        try (var files = Files.list(backups)) {
            backup = files.findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(backup, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));

        Cli.Result result = cli.run("doctor");

        assertThat(result.out()).contains("warning: " + history + ": file mode is rw-r--r--", "warning: " + backup + ": file mode is rw-r--r--",
                "warning: " + folder + ": the store's folder has mode rwxr-xr-x", "chmod 700");
    }

    @Test
    void aStoreTheUserMadeReadOnly_isRefused_notRewritten_inEveryFormat() throws IOException {
        for (String scheme : List.of("json", "toml", "ndjson", "sqlite")) {
            Path store = home.resolve("read-only." + scheme);
            String uri = scheme + ":" + store;
            assertThat(cli.run("--store", uri, "set", "a", "1").exitCode()).isZero();
            Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("r--r--r--"));
            byte[] before = Files.readAllBytes(store);

            Cli.Result result = cli.run("--store", uri, "set", "a", "2");

            oneLineError(result, 3);
            assertThat(result.err()).as(scheme).contains(store.toString(), "read-only", "chmod u+w");
            assertThat(Files.readAllBytes(store)).as(scheme).isEqualTo(before);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store))).isEqualTo("r--r--r--");
            assertThat(cli.run("--store", uri, "get", "a").out()).as(scheme).isEqualTo("1\n");
        }
    }

    // ------------------------------------------------------------------ item 13: URIs

    @Test
    void sqliteMemory_andAnotherUsersHome_areRefused_creatingNothing() {
        Cli.Result memory = cli.run("--store", "sqlite::memory:", "set", "a", "1");
        oneLineError(memory, 2);
        assertThat(memory.err()).contains("in-memory");
        assertThat(Path.of(":memory:")).doesNotExist();

        Cli.Result tilde = cli.run("--store", "json:~nobody-" + ProcessHandle.current().pid() + "/x.json", "set", "a", "1");
        oneLineError(tilde, 2);
        assertThat(tilde.err()).contains("another user's home");
        assertThat(Path.of("~nobody-" + ProcessHandle.current().pid())).doesNotExist();
    }

    // ------------------------------------------------------------------ item 15: one variable, two keys

    @Test
    void oneVariableForTwoKeys_overridesBoth_explainSaysSo_andDoctorWarns() {
        cli.run("set", "a.b_c", "1");
        cli.run("set", "a_b.c", "2");
        cli.env("WATERFALL_A_B_C", "9");

        assertThat(cli.run("get", "a.b_c").out()).isEqualTo("9\n");
        assertThat(cli.run("get", "a_b.c").out()).isEqualTo("9\n");
        Cli.Result explain = cli.run("explain", "a.b_c");
        assertThat(explain.out()).contains("WATERFALL_A_B_C also overrides a_b.c");
        assertThat(cli.run("--json", "explain", "a.b_c").at("envVariableAlsoOverrides.0").toJson()).isEqualTo("\"a_b.c\"");

        Cli.Result doctor = cli.run("doctor");
        assertThat(doctor.out()).contains("warning: WATERFALL_A_B_C: is the variable of a.b_c and a_b.c").doesNotContain("no problems found");
    }
}
