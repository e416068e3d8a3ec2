package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ./waterfall launcher, run for real in a scratch checkout: the real script, the real jar and
 * JVM, and a stand-in {@code mvn} on the PATH that logs how it was called and "builds" by copying
 * the real jar (a real Maven build inside a test would take a minute per case).
 */
@Tag("packaged")
class LauncherJarTest {

    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofHours(2));
    private static final Instant AN_HOUR_AGO = Instant.now().minus(Duration.ofHours(1));

    @TempDir
    Path scratch;

    Path checkout;
    Path home;
    Path jar;
    Path archive;
    Path source;
    Path mavenLog;
    Map<String, String> environment;

    @BeforeEach
    void setUp() throws IOException {
        checkout = Files.createDirectories(scratch.resolve("checkout"));
        home = Files.createDirectories(scratch.resolve("home"));
        Path launcher = checkout.resolve("waterfall");
        Files.copy(Processes.repository().resolve("waterfall"), launcher);
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path options = Files.createDirectories(checkout.resolve("cli/src/main/launcher")).resolve("jvm-options.bash");
        Files.copy(Processes.repository().resolve("cli/src/main/launcher/jvm-options.bash"), options);
        Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
        Files.createDirectories(checkout.resolve("cli/src/main/java"));
        Files.writeString(checkout.resolve("cli/pom.xml"), "<project/>\n");
        source = Files.writeString(checkout.resolve("cli/src/main/java/Example.java"), "class Example {}\n");
        jar = Files.createDirectories(checkout.resolve("cli/target")).resolve("waterfall.jar");
        archive = jar.resolveSibling("waterfall.jsa");
        Files.copy(Processes.jar(), jar);
        // folders count too: deleting or renaming a source file changes only its folder's time
        try (Stream<Path> sources = Files.walk(checkout.resolve("cli/src"))) {
            for (Path path : Stream.concat(sources, Stream.of(checkout.resolve("pom.xml"), checkout.resolve("cli/pom.xml"))).toList()) {
                Files.setLastModifiedTime(path, FileTime.from(LONG_AGO));
            }
        }
        Files.setLastModifiedTime(jar, FileTime.from(AN_HOUR_AGO));

        Path bin = Files.createDirectories(scratch.resolve("bin"));
        Path maven = Files.writeString(bin.resolve("mvn"), String.join("\n",
                "#!/usr/bin/env bash",
                "printf '%s|%s\\n' \"$PWD\" \"$*\" >> \"$MVN_LOG\"",
                "echo 'pretend maven output'",
                "if [ -n \"${MVN_FAIL:-}\" ]; then echo '[ERROR] pretend failure'; exit 1; fi",
                "mkdir -p cli/target && cp \"$REAL_JAR\" cli/target/waterfall.jar",
                ""));
        Files.setPosixFilePermissions(maven, PosixFilePermissions.fromString("rwxr-xr-x"));
        mavenLog = scratch.resolve("mvn.log");
        environment = Processes.cleanEnvironment(home);
        environment.put("PATH", bin + ":" + environment.get("PATH"));
        environment.put("MVN_LOG", mavenLog.toString());
        environment.put("REAL_JAR", Processes.jar().toString());
    }

    /** Copies a file of the real checkout into the scratch one, dated (with its folders) as no change to rebuild for. */
    private Path copyFromRepository(String path) throws IOException {
        Path copy = checkout.resolve(path);
        Files.createDirectories(copy.getParent());
        Files.copy(Processes.repository().resolve(path), copy);
        for (Path touched : List.of(copy, copy.getParent(), copy.getParent().getParent())) {
            Files.setLastModifiedTime(touched, FileTime.from(LONG_AGO));
        }
        return copy;
    }

    private Processes.Result launch(Path script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, home, environment, Duration.ofMinutes(3));
    }

    private Processes.Result launch(String... args) throws Exception {
        return launch(checkout.resolve("waterfall"), args);
    }

    private List<String> mavenCalls() throws IOException {
        return Files.exists(mavenLog) ? Files.readAllLines(mavenLog) : List.of();
    }

    @Test
    void launcher_freshJar_runsItWithoutBuildingAndMakesAUsableStartupArchive() throws Exception {
        Processes.Result set = launch("set", "plant.default_name", "Rosemary");
        Processes.Result get = launch("get", "plant.default_name");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).isEqualTo("Rosemary\n");
        assertThat(get.err()).isEmpty();
        assertThat(mavenCalls()).isEmpty();
        assertThat(archive).exists();
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
        Processes.Result strict = Processes.run(List.of(Processes.java(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-cp", jar.toString(), WaterfallCli.class.getName(), "--version"), home, environment, Duration.ofMinutes(1));
        assertThat(strict.exitCode()).as("-Xshare:on fails unless the archive maps: " + strict).isZero();
    }

    /**
     * sqlite-jdbc left to itself copies its native library into the temp folder on every start (and
     * compares it with an earlier copy); the launcher copies it once, next to the jar, and points the
     * driver at it. With a temp "folder" that is a file (no copy can go there, not even as root), the
     * launcher's runs work and the same jar run without the launcher fails: the test can fail.
     */
    @Test
    void launcher_sqliteStore_loadsTheNativeLibraryCopiedOnceNextToTheJar_notFromTheTempFolder() throws Exception {
        Path notAFolder = Files.writeString(scratch.resolve("not-a-folder"), "");
        environment.put("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + notAFolder);
        String store = "sqlite:" + home.resolve("app.db");

        Processes.Result set = launch("--store", store, "set", "plant.name", "Rosemary");
        Processes.Result get = launch("--store", store, "get", "plant.name");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).isEqualTo("Rosemary\n");
        List<Path> copied;
        try (Stream<Path> files = Files.list(jar.resolveSibling("native"))) {
            copied = files.toList();
        }
        assertThat(copied).hasSize(1);
        assertThat(copied.get(0).getFileName().toString()).startsWith("libsqlitejdbc."); // .so, or .dylib on macOS
        assertThat(Files.getLastModifiedTime(copied.get(0))).as("not stale, so not copied again").isGreaterThanOrEqualTo(Files.getLastModifiedTime(jar));

        Processes.Result control = Processes.run(List.of(Processes.java(), "-cp", jar.toString(), WaterfallCli.class.getName(),
                "--store", store, "get", "plant.name"), home, environment, Duration.ofMinutes(1));
        assertThat(control.exitCode()).as("the driver on its own needs the temp folder: " + control).isNotZero();

        // The start-up archive was trained on a SQLite store too: the driver's classes come from it.
        environment.remove("JAVA_TOOL_OPTIONS");
        Processes.Result shared = Processes.run(List.of(Processes.java(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info", "-Dorg.sqlite.lib.path=" + copied.get(0).getParent(),
                "-Dorg.sqlite.lib.name=" + copied.get(0).getFileName(), "-cp", jar.toString(), WaterfallCli.class.getName(),
                "--store", store, "get", "plant.name"), home, environment, Duration.ofMinutes(1));
        assertThat(shared.exitCode()).as(shared.toString()).isZero();
        assertThat(shared.out()).contains("org.sqlite.SQLiteConnection source: shared objects file");
    }

    /**
     * The build has no PostgreSQL server to train the start-up archive on, so PostgreSQL's classes
     * come from the list that scripts/cds-classlist-postgres recorded: with the list, the driver is
     * loaded from the archive; without it, from the jar. (Loading the driver needs no server: the
     * store is opened on a port where none listens, and the command fails after that.)
     */
    @Test
    void launcher_postgresqlClassList_putsTheDriverIntoTheStartupArchive() throws Exception {
        Path list = copyFromRepository("cli/src/main/cds/postgresql.classlist");

        assertThat(launch("--version").exitCode()).isZero();

        assertThat(driverSource()).isEqualTo("shared objects file");
        assertThat(mavenCalls()).isEmpty();

        Files.delete(list);
        Files.delete(archive);
        assertThat(launch("--version").exitCode()).isZero();

        assertThat(driverSource()).as("the control: without the list").startsWith("file:").endsWith("waterfall.jar");
    }

    /**
     * An export runs with the checkout's compiler directives (C2 kept to what the export waits on),
     * which the JVM must accept: a file it cannot parse would stop it from starting. Other commands
     * stop the JIT at C1, and without the file an export runs with the JVM's usual JIT.
     */
    @Test
    void launcher_export_runsWithTheCompilerDirectives_otherCommandsWithC1Only() throws Exception {
        Path directives = copyFromRepository("cli/src/main/jit/export.json");
        assertThat(launch("set", "plant.name", "Rosemary").exitCode()).isZero();
        Processes.Result quiet = launch("export", "--dir", scratch.resolve("dumps").toString(), "--no-progress", "--json");
        // _JAVA_OPTIONS comes after the launcher's options, so the JVM's own output shows again
        environment.put("_JAVA_OPTIONS", "-XX:+UnlockDiagnosticVMOptions -XX:+DisplayVMOutput -XX:+PrintCommandLineFlags");

        Processes.Result export = launch("export", "--dir", scratch.resolve("dumps").toString(), "--no-progress");
        Processes.Result get = launch("get", "plant.name");
        Files.delete(directives);
        Files.setLastModifiedTime(directives.getParent(), FileTime.from(LONG_AGO)); // not a change to rebuild for
        Processes.Result without = launch("export", "--dir", scratch.resolve("dumps").toString(), "--no-progress");

        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.out()).as("only the command's own output: one JSON object").startsWith("{").endsWith("}\n");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).contains("-XX:CompilerDirectivesFile=" + directives, "compiler directives added")
                .doesNotContain("TieredStopAtLevel");
        assertThat(get.out()).contains("-XX:TieredStopAtLevel=1").doesNotContain("CompilerDirectivesFile").endsWith("Rosemary\n");
        assertThat(without.exitCode()).as(without.toString()).isZero();
        assertThat(without.out()).doesNotContain("CompilerDirectivesFile").doesNotContain("TieredStopAtLevel");
        assertThat(mavenCalls()).isEmpty();
    }

    /**
     * A {@code get} that may read the secrets file (there is one), and any {@code secret} command, has
     * C2 for the key derivation's hash (cli/src/main/jit/secrets.json); a {@code get} with no secrets
     * file stays C1 only.
     */
    @Test
    void launcher_getWithASecretsFile_andSecretCommands_runWithTheSecretsDirectives() throws Exception {
        Path directives = copyFromRepository("cli/src/main/jit/secrets.json");
        environment.put("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple");
        environment.put("DB", "hunter2");
        assertThat(launch("set", "db.password", "${secret:db}").exitCode()).isZero();
        environment.put("_JAVA_OPTIONS", "-XX:+UnlockDiagnosticVMOptions -XX:+DisplayVMOutput -XX:+PrintCommandLineFlags");

        Processes.Result before = launch("get", "plant.name");
        Processes.Result stored = launch("secret", "set", "db", "--from-env", "DB");
        Processes.Result read = launch("get", "db.password");

        assertThat(before.out()).contains("-XX:TieredStopAtLevel=1").doesNotContain("CompilerDirectivesFile");
        assertThat(stored.exitCode()).as(stored.toString()).isZero();
        assertThat(stored.out()).contains("-XX:CompilerDirectivesFile=" + directives).doesNotContain("TieredStopAtLevel");
        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(read.out()).contains("-XX:CompilerDirectivesFile=" + directives).doesNotContain("TieredStopAtLevel")
                .endsWith("hunter2\n");
    }

    /** Where {@code org.postgresql.Driver} comes from in a PostgreSQL command run with the archive. */
    private String driverSource() throws Exception {
        Processes.Result run = Processes.run(List.of(Processes.java(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
                "-Xlog:class+load=info", "-cp", jar.toString(), WaterfallCli.class.getName(),
                "--store", "postgresql://waterfall@127.0.0.1:1/none", "get", "plant.name"), home, environment, Duration.ofMinutes(1));
        assertThat(run.exitCode()).as("no server listens on port 1: " + run).isEqualTo(3);
        return run.out().lines().filter(line -> line.contains(" org.postgresql.Driver source: ")).findFirst()
                .map(line -> line.substring(line.indexOf(" source: ") + " source: ".length())).orElseThrow();
    }

    @Test
    void launcher_sourceNewerThanTheJar_rebuildsOnceWithMavenAndKeepsStdoutClean() throws Exception {
        Files.setLastModifiedTime(source, FileTime.from(Instant.now()));
        launch("set", "a", "1");
        assertThat(mavenCalls()).hasSize(1);
        Files.delete(mavenLog);

        Processes.Result first = launch("get", "a");

        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).isEqualTo("1\n");
        assertThat(mavenCalls()).as("built already").isEmpty();

        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        Processes.Result rebuilt = launch("get", "a");
        assertThat(rebuilt.out()).as("build output goes to stderr").isEqualTo("1\n");
        assertThat(rebuilt.err()).contains("waterfall: building the command-line tool", "pretend maven output");
        assertThat(mavenCalls()).containsExactly(checkout + "|-B -q -pl cli -am package -DskipTests");
    }

    @Test
    void launcher_pomNewerThanTheJar_rebuilds() throws Exception {
        Files.setLastModifiedTime(checkout.resolve("pom.xml"), FileTime.from(Instant.now()));

        Processes.Result result = launch("--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(mavenCalls()).hasSize(1);
        assertThat(Files.getLastModifiedTime(jar)).isGreaterThan(Files.getLastModifiedTime(checkout.resolve("pom.xml")));
    }

    @Test
    void launcher_missingJar_buildsItFirst() throws Exception {
        Files.delete(jar);

        Processes.Result result = launch("get", "a");

        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(mavenCalls()).hasSize(1);
        assertThat(jar).exists();
    }

    @Test
    void launcher_failedBuild_exits2WithoutRunningAnything() throws Exception {
        Files.delete(jar);
        environment.put("MVN_FAIL", "1");

        Processes.Result result = launch("set", "a", "1");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("[ERROR] pretend failure", "waterfall: the build failed");
        assertThat(home.resolve(".config")).doesNotExist();
    }

    @Test
    void launcher_sourceFileDeleted_rebuilds() throws Exception {
        Files.delete(source);

        launch("--version");

        assertThat(mavenCalls()).as("the folder's time changed").hasSize(1);
    }

    @Test
    void launcher_jarNewerThanItsArchive_makesTheArchiveAgain() throws Exception {
        launch("--version");
        FileTime first = Files.getLastModifiedTime(archive);
        Files.copy(Processes.jar(), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(jar, FileTime.from(first.toInstant().plusSeconds(1)));

        Processes.Result result = launch("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(mavenCalls()).isEmpty();
        assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(Files.getLastModifiedTime(jar));
    }

    @Test
    void launcher_calledThroughASymbolicLink_findsItsCheckout() throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(scratch.resolve("elsewhere")).resolve("wf"),
                checkout.resolve("waterfall"));

        Processes.Result result = launch(link, "--version");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).startsWith("waterfall ");
        assertThat(mavenCalls()).isEmpty();
    }

    @Test
    void launcher_underThePosixLocale_keepsNonAsciiArguments() throws Exception {
        environment.remove("LANG");

        launch("set", "name", "Rosé");

        assertThat(launch("get", "name").out()).isEqualTo("Rosé\n");
    }
}
