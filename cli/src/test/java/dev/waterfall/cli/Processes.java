package dev.waterfall.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs real processes for the *JarTest classes: the packaged jar, the ./waterfall launcher, bash.
 * Output goes to files, so a chatty process never blocks on a full pipe.
 */
final class Processes {

    /** The checkout this build runs in (set by the root pom for surefire). */
    static Path repository() {
        return Path.of(System.getProperty("waterfall.repo.dir")).toAbsolutePath().normalize();
    }

    /** The shaded jar of this build (set by the cli pom for the jar-tests execution). */
    static Path jar() {
        Path jar = Path.of(System.getProperty("waterfall.cli.jar", repository().resolve("cli/target/waterfall.jar").toString()));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: the *JarTest classes run after `package` (mvn verify)");
        }
        return jar;
    }

    /** The {@code java} of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A clean environment for a child: the PATH, Java's home, a UTF-8 locale, the given home
     * folder and a fixed identity; nothing of this JVM's own WATERFALL_* or XDG variables.
     */
    static Map<String, String> cleanEnvironment(Path home) {
        Map<String, String> environment = new java.util.HashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("HOME", home.toString());
        environment.put("LANG", "C.UTF-8");
        environment.put("USER", "me");
        environment.put("HOSTNAME", "laptop");
        environment.put("TMPDIR", System.getProperty("java.io.tmpdir"));
        return environment;
    }

    /** Runs {@code command} in {@code directory} with exactly {@code environment}, stdin empty. */
    static Result run(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("waterfall-out", ".txt");
        Path err = Files.createTempFile("waterfall-err", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
                        + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the packaged jar on the class path, as {@code java -cp waterfall.jar Main args}. */
    static Result runJar(Path home, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-cp", jar().toString(), WaterfallCli.class.getName()));
        command.addAll(List.of(args));
        return run(command, home, cleanEnvironment(home), Duration.ofMinutes(2));
    }

    /** What a process printed and returned. */
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Processes() {
    }
}
