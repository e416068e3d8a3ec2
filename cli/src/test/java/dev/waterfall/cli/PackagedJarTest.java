package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded jar as users run it: a fresh JVM per command, on the class path, so the JSON store
 * is found only through the merged {@code META-INF/services} files.
 */
@Tag("packaged")
class PackagedJarTest {

    @TempDir
    Path home;

    @Test
    void jar_holdsEveryProviderInOneServicesFileAndNoModuleDescriptor() throws IOException {
        try (JarFile jar = new JarFile(Processes.jar().toFile())) {
            assertThat(jar.getEntry("module-info.class")).isNull();
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
            String services = new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/dev.waterfall.config.spi.ConfigStoreProvider")).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(services).contains("dev.waterfall.json.JsonStoreProvider");
        }
    }

    @Test
    void jar_onTheClassPath_findsTheJsonStoreAndRoundTripsAValue() throws Exception {
        Processes.Result set = Processes.runJar(home, "set", "plant.default_name", "Rosé");
        Processes.Result get = Processes.runJar(home, "get", "plant.default_name");

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(get.exitCode()).as(get.toString()).isZero();
        assertThat(get.out()).isEqualTo("Rosé\n");
        assertThat(get.err()).isEmpty();
        assertThat(home.resolve(".config/waterfall/config.json")).content().contains("\"default_name\": \"Rosé\"");
    }

    @Test
    void jar_exitCodesAndOneLineErrors_inARealProcess() throws Exception {
        Processes.Result absent = Processes.runJar(home, "get", "nothing");
        assertThat(absent.exitCode()).isEqualTo(1);
        assertThat(absent.out()).isEmpty();
        assertThat(absent.err()).hasLineCount(1).startsWith("waterfall: nothing has no value");

        assertThat(Processes.runJar(home, "frobnicate").exitCode()).isEqualTo(2);

        Processes.runJar(home, "set", "counter", "1");
        Processes.Result conflict = Processes.runJar(home, "set", "counter", "2", "--if-revision", "0");
        assertThat(conflict.exitCode()).isEqualTo(4);
        assertThat(conflict.err()).hasLineCount(1).startsWith("waterfall: conflict on counter");

        Files.writeString(home.resolve(".config/waterfall/config.json"), "{\"counter\": ");
        Processes.Result broken = Processes.runJar(home, "get", "counter");
        assertThat(broken.exitCode()).isEqualTo(3);
        assertThat(broken.err()).hasLineCount(1).doesNotContain("\tat ");

        Processes.Result verbose = Processes.runJar(home, "get", "counter", "--verbose");
        assertThat(verbose.exitCode()).isEqualTo(3);
        assertThat(verbose.err()).contains("dev.waterfall.config.StoreBrokenException", "\tat dev.waterfall.");
    }

    @Test
    void jar_libraryWarning_isOneLineOnStderr() throws Exception {
        Processes.runJar(home, "set", "a", "1");
        Files.writeString(home.resolve(".config/waterfall/config.json.meta.json"), "{not json");

        // A plain get reads only the value (docs/architecture.md, the value-only read): it does not
        // open the sidecar at all, so it has nothing to warn about.
        Processes.Result plain = Processes.runJar(home, "get", "a");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.out()).isEqualTo("1\n");
        assertThat(plain.err()).isEmpty();

        // A get that reports the revision reads the sidecar, and says in one line that it could not.
        Processes.Result result = Processes.runJar(home, "get", "a", "--json");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("\"value\"");
        assertThat(result.err()).hasLineCount(1).startsWith("waterfall: warning: ").contains("config.json.meta.json is unreadable");
    }

    @Test
    void jar_shellScriptsIncrementingACounterWithCompareAndSet_loseNoIncrement() throws Exception {
        // Each script: read the counter and its revision, write counter+1 guarded by that revision,
        // and start over when the exit code is 4 (another script won the race).
        String script = String.join("\n",
                "set -u",
                "run() { \"$JAVA\" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp \"$JAR\" dev.waterfall.cli.WaterfallCli \"$@\"; }",
                "for i in 1 2 3 4; do",
                "  while :; do",
                "    json=$(run get counter --json) || exit 1",
                "    value=$(printf '%s\\n' \"$json\" | sed -n 's/^  \"value\": \\([0-9]*\\),$/\\1/p')",
                "    revision=$(printf '%s\\n' \"$json\" | sed -n 's/^  \"revision\": \\([0-9]*\\),$/\\1/p')",
                "    run set counter $((value + 1)) --if-revision \"$revision\" 2>/dev/null",
                "    status=$?",
                "    [ $status -eq 0 ] && break",
                "    [ $status -eq 4 ] || exit $status",
                "  done",
                "done");
        Processes.runJar(home, "set", "counter", "0");
        var environment = Processes.cleanEnvironment(home);
        environment.put("JAVA", Processes.java());
        environment.put("JAR", Processes.jar().toString());

        List<Process> scripts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ProcessBuilder builder = new ProcessBuilder("bash", "-c", script).directory(home.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().clear();
            builder.environment().putAll(environment);
            scripts.add(builder.start());
        }
        for (Process process : scripts) {
            assertThat(process.waitFor(Duration.ofMinutes(5).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }

        assertThat(Processes.runJar(home, "get", "counter").out()).isEqualTo("12\n");
    }
}
