package dev.waterfall.contract;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Starts another JVM with the test's own class and module path flattened onto a class path, so a
 * test can drive real writer processes (found providers come from {@code META-INF/services}).
 */
public final class JavaProcess {

    private JavaProcess() {
    }

    /** The class path of this JVM plus its module path, as one class path. */
    public static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null && !value.isBlank()) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** The {@code java} executable of this JVM. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The command line that runs {@code mainClass} with {@code args} in a fresh JVM. */
    public static List<String> command(Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(classPath());
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Starts {@code mainClass} in a fresh JVM, stderr merged into stdout. */
    public static Process start(Class<?> mainClass, String... args) throws IOException {
        return new ProcessBuilder(command(mainClass, args)).redirectErrorStream(true).start();
    }

    /** Starts {@code mainClass} in a fresh JVM, its stderr going to {@code errors} (kept apart from the output a test parses). */
    public static Process start(Class<?> mainClass, Path errors, String... args) throws IOException {
        return new ProcessBuilder(command(mainClass, args)).redirectError(errors.toFile()).start();
    }

    /**
     * Starts {@code mainClass} through {@code bash -c}, after {@code shellPrefix} (such as
     * {@code umask 077;} or {@code ulimit -f 8;}).
     */
    public static Process startInShell(String shellPrefix, Class<?> mainClass, String... args) throws IOException {
        StringBuilder script = new StringBuilder(shellPrefix).append(" exec");
        for (String part : command(mainClass, args)) {
            script.append(' ').append(quote(part));
        }
        return new ProcessBuilder("bash", "-c", script.toString()).redirectErrorStream(true).start();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\"'\"'") + "'";
    }
}
