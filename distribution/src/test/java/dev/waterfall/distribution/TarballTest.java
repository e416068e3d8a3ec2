package dev.waterfall.distribution;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The installable tarball as a user gets it: unpacked into a scratch folder and run from there by
 * real processes, with a PATH that holds no {@code java} and no {@code mvn} and no JAVA_HOME, with a
 * scratch home folder (so the default store is a new one), from another working folder. The tarball
 * is this build's (the distribution module's {@code package} phase made it; see
 * src/main/dist/assemble), so a failure here is a failure of what scripts/dist ships.
 */
class TarballTest {

    /** The folder the tarball is unpacked into, once for the class: unpacking 40 MB for each test would be slow. */
    @TempDir
    static Path scratch;

    static Path installed;
    static Path tools;

    @BeforeAll
    static void unpack() throws IOException, InterruptedException {
        String property = System.getProperty("waterfall.tarball");
        assertThat(property).as("the tarball's path (set by distribution/pom.xml)").isNotBlank();
        Path tarball = Path.of(property);
        assertThat(tarball).as("the tarball, made by `package`; run `mvn -pl distribution -am verify`").isRegularFile();
        Path into = Files.createDirectories(scratch.resolve("opt"));
        Result untar = run(List.of("tar", "-xzf", tarball.toString(), "-C", into.toString()), into, Map.of("PATH", "/usr/bin:/bin"));
        assertThat(untar.exitCode()).as(untar.toString()).isZero();
        try (Stream<Path> top = Files.list(into)) {
            List<Path> folders = top.toList();
            assertThat(folders).as("one folder, waterfall-VERSION").hasSize(1);
            installed = folders.get(0);
        }
        assertThat(installed.getFileName().toString()).startsWith("waterfall-");

        // The PATH of a machine with bash and coreutils and nothing of Java: links to the few tools
        // bin/waterfall and the tests use, so no java or mvn that /usr/bin may hold is found.
        tools = Files.createDirectories(scratch.resolve("tools"));
        for (String tool : List.of("bash", "env", "dirname", "readlink", "cat", "ls")) {
            Path found = Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no " + tool + " in /usr/bin or /bin"));
            Files.createSymbolicLink(tools.resolve(tool), found);
        }
        Result noJava = run(List.of("bash", "-c", "command -v java || command -v mvn || command -v javac"), scratch, environment(scratch));
        assertThat(noJava.exitCode()).as("no java, javac or mvn on the test's PATH: " + noJava).isEqualTo(1);
    }

    @Test
    void runsWithNoJdk_onTheDefaultStore_fromAnotherFolder(@TempDir Path home, @TempDir Path elsewhere) throws Exception {
        Map<String, String> environment = environment(home);
        String waterfall = installed.resolve("bin/waterfall").toString();

        Result set = run(List.of(waterfall, "set", "greeting", "Grüezi"), elsewhere, environment);
        assertThat(set.exitCode()).as(set.toString()).isZero();
        Result get = run(List.of(waterfall, "get", "greeting"), elsewhere, environment);
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).isEqualTo("Grüezi\n");
        assertThat(get.err()).as("no warning from the JVM, e.g. about the start-up archive").isEmpty();
        assertThat(Files.readString(home.resolve(".config/waterfall/config.json")))
                .as("the default store, in the home folder").contains("\"greeting\"").contains("Grüezi");
        assertThat(elsewhere.toFile().list()).as("nothing written into the working folder").isEmpty();

        Path dumps = home.resolve("dumps");
        Result export = run(List.of(waterfall, "export", "--dir", dumps.toString(), "--no-progress"), elsewhere, environment);
        assertThat(export.exitCode()).as(export.toString()).isZero();
        assertThat(export.out()).as("the dump's path, and nothing from the JVM or the AOT cache on stdout")
                .matches(java.util.regex.Pattern.quote(dumps.toString()) + "/\\d{8}T\\d{6}Z_config_export\\.csv\n");
        Path latest = dumps.resolve("latest_export.csv");
        assertThat(Files.readString(latest)).startsWith("key,value,type,revision,updated_at,updated_by\n").contains("\ngreeting,\"\"\"Gr\\u00fcezi\"\"\",string,1,"); // the value as JSON (ASCII), CSV-quoted

        Result version = run(List.of(waterfall, "--version"), elsewhere, environment);
        assertThat(version.out()).as(version.toString()).startsWith("waterfall ").contains("Java ");
    }

    @Test
    void runsThroughASymbolicLink_onSqlite_withTheBundledNativeLibrary(@TempDir Path home, @TempDir Path elsewhere) throws Exception {
        Path link = Files.createSymbolicLink(Files.createDirectories(home.resolve(".local/bin")).resolve("waterfall"),
                installed.resolve("bin/waterfall"));
        Map<String, String> environment = environment(home);
        String store = "sqlite:" + home.resolve("settings.db");

        Result set = run(List.of(link.toString(), "--store", store, "set", "server.port", "8080"), elsewhere, environment);
        assertThat(set.exitCode()).as(set.toString()).isZero();
        Result get = run(List.of(link.toString(), "--store", store, "get", "server.port"), elsewhere, environment);
        assertThat(get.out()).as(get.toString()).isEqualTo("8080\n");
        try (Stream<Path> files = Files.list(home.resolve("tmp"))) {
            assertThat(files.filter(file -> file.getFileName().toString().contains("sqlite")).toList())
                    .as("sqlite-jdbc used lib/native, extracting nothing into the temp folder").isEmpty();
        }
    }

    @Test
    void theStartUpArchive_matchesTheRuntimeAndTheJar(@TempDir Path home, @TempDir Path elsewhere) throws Exception {
        String release = Files.readString(installed.resolve("runtime/release"));
        int feature = Integer.parseInt(release.replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1"));
        Path aot = installed.resolve("lib/waterfall.aot");
        if (feature < 25) {
            // assemble makes an AOT cache only on JDK 25 and newer (docs/install.md)
            assertThat(aot).as("Java " + feature + " runtime").doesNotExist();
            return;
        }
        assertThat(aot).as("Java " + feature + " runtime").isRegularFile();
        Map<String, String> environment = environment(home);
        // A cache the JVM cannot use is only a warning for bin/waterfall; required here, it must map.
        environment.put("JDK_JAVA_OPTIONS", "-XX:AOTMode=on");
        Result set = run(List.of(installed.resolve("bin/waterfall").toString(), "set", "a", "1"), elsewhere, environment);
        assertThat(set.exitCode()).as("the archive is usable where the tarball was unpacked: " + set).isZero();
    }

    @Test
    void theRuntimeHoldsOnlyTheModulesWaterfallNeeds() throws Exception {
        Result modules = run(List.of(installed.resolve("runtime/bin/java").toString(), "--list-modules"), scratch, environment(scratch));
        assertThat(modules.exitCode()).as(modules.toString()).isZero();
        List<String> names = modules.out().lines().map(line -> line.replaceAll("@.*", "")).toList();
        assertThat(names).contains("java.base", "java.sql", "java.naming", "java.management")
                .doesNotContain("java.desktop", "jdk.compiler", "jdk.jshell", "jdk.jdi");
        assertThat(installed.resolve("runtime/bin/javac")).doesNotExist();
    }

    @Test
    void completionScripts_areScriptsBashAccepts(@TempDir Path home) throws Exception {
        Map<String, String> environment = environment(home);
        for (String shell : List.of("bash", "zsh")) {
            Result completion = run(List.of(installed.resolve("bin/waterfall").toString(), "completion", shell), home, environment);
            assertThat(completion.exitCode()).as(completion.toString()).isZero();
            assertThat(completion.out()).contains("complete -F").contains("get").contains("export").contains("--store")
                    .contains("\"json:\"").contains("\"toml:\"").contains("\"ndjson:\"").contains("\"sqlite:\"").contains("\"postgresql:\"");
            Path script = Files.writeString(home.resolve("waterfall." + shell), completion.out());
            Result parsed = run(List.of("bash", "-n", script.toString()), home, environment);
            assertThat(parsed.exitCode()).as(shell + " script: " + parsed).isZero();
        }
        Path shipped = installed.resolve("share/bash-completion/completions/waterfall");
        Result parsed = run(List.of("bash", "-n", shipped.toString()), home, environment);
        assertThat(parsed.exitCode()).as(parsed.toString()).isZero();
        assertThat(installed.resolve("share/zsh/waterfall.zsh")).isRegularFile();

        // Sourced into a bash, the script completes a command and the store schemes.
        Result completes = run(List.of("bash", "-c", String.join("; ",
                "source " + shipped,
                "COMP_WORDS=(waterfall ge); COMP_CWORD=1; _complete_waterfall; echo \"${COMPREPLY[*]}\"",
                "COMP_WORDS=(waterfall get --store j); COMP_CWORD=3; _complete_waterfall; echo \"${COMPREPLY[*]}\"")), home, environment);
        assertThat(completes.out()).as(completes.toString()).isEqualTo("get\njson:\n");
    }

    @Test
    void manPages_onePerCommand() throws Exception {
        Path man = installed.resolve("share/man/man1");
        for (String command : List.of("waterfall", "waterfall-get", "waterfall-set", "waterfall-unset", "waterfall-list",
                "waterfall-explain", "waterfall-history", "waterfall-undo", "waterfall-watch", "waterfall-serve", "waterfall-backups",
                "waterfall-doctor", "waterfall-export", "waterfall-import", "waterfall-migrate", "waterfall-secret",
                "waterfall-secret-set", "waterfall-completion")) {
            Path page = man.resolve(command + ".1");
            assertThat(page).as(command).isRegularFile();
            String roff = Files.readString(page);
            assertThat(roff).as(command + " is a roff man page").contains(".TH \"" + command.toUpperCase(Locale.ROOT).replace("-", "\\-") + "\" \"1\"")
                    .contains(".SH \"NAME\"").contains(".SH \"SYNOPSIS\"");
        }
        assertThat(Files.readString(man.resolve("waterfall-get.1"))).contains("KEY");
    }

    /** The environment of a user with no JDK: the tools folder as PATH, HOME, a UTF-8 locale, no JAVA_HOME. */
    static Map<String, String> environment(Path home) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", tools.toString());
        environment.put("HOME", home.toString());
        environment.put("LANG", "C.UTF-8");
        environment.put("TMPDIR", Files.createDirectories(home.resolve("tmp")).toString());
        return environment;
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code command} in {@code directory} with exactly {@code environment}; output through files, stdin empty. */
    static Result run(List<String> command, Path directory, Map<String, String> environment) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dist-out", ".txt");
        Path err = Files.createTempFile("dist-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after 2 minutes: " + command);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
