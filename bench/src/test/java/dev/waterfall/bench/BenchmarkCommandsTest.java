package dev.waterfall.bench;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands of docs/benchmarks.md, checked as far as can be without measuring for minutes: a
 * JMH command's options parse as JMH parses them and each benchmark pattern selects a benchmark of
 * this module; a script exists and is executable; a Java source file run as a script exists; the
 * build command builds this module. Running them is the measurement itself, which the suite never
 * does (figures are not asserted in tests).
 */
class BenchmarkCommandsTest {

    @Test
    void everyBenchmarkCommandOfTheDocs_namesWhatExists() throws Exception {
        List<String> blocks = List.of(
                DocExamples.code("bench-build"),
                DocExamples.code("bench-json"),
                DocExamples.code("bench-ndjson"),
                DocExamples.code("bench-sql"),
                DocExamples.code("bench-cli-startup"),
                DocExamples.code("bench-toml"),
                DocExamples.code("bench-export"),
                DocExamples.code("bench-secret-key"),
                DocExamples.code("bench-clients"),
                DocExamples.code("bench-dist-startup"),
                DocExamples.code("bench-bind"),
                DocExamples.code("bench-references"),
                DocExamples.code("bench-live"),
                DocExamples.code("bench-console"),
                DocExamples.code("bench-refactor"));
        List<String> benchmarks = benchmarks();
        assertThat(benchmarks).as("the @Benchmark methods of this module").hasSizeGreaterThanOrEqualTo(10);

        int checked = 0;
        for (String block : blocks) {
            for (String line : block.split("\n")) {
                check(line, benchmarks);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(10);
    }

    private static void check(String line, List<String> benchmarks) throws IOException, CommandLineOptionException {
        Path repository = DocExamples.repository();
        List<String> words = new ArrayList<>(Arrays.asList(line.strip().split("\\s+")));
        while (words.get(0).matches("[A-Z_]+=\\S*")) {
            words.remove(0);   // an environment variable for the command, as in RUNS=20 scripts/...
        }
        String command = String.join(" ", words);
        if (words.get(0).equals("mvn")) {
            assertThat(words).as(line).containsSubsequence("-pl", "bench").contains("package");
        } else if (command.startsWith("java -jar bench/target/benchmarks.jar ")) {
            CommandLineOptions options = new CommandLineOptions(words.subList(3, words.size()).toArray(String[]::new));
            assertThat(options.getIncludes()).as(line + ": names a benchmark").isNotEmpty();
            for (String include : options.getIncludes()) {
                Pattern pattern = Pattern.compile(include);
                assertThat(benchmarks).as(line + ": " + include + " selects a benchmark")
                        .anyMatch(benchmark -> pattern.matcher(benchmark).find());
            }
        } else if (command.startsWith("java -cp bench/target/benchmarks.jar ")) {
            if (words.get(3).endsWith(".java")) {
                assertThat(repository.resolve(words.get(3))).as(line).isRegularFile();   // a single-file program
            } else {
                assertThat(repository.resolve("bench/src/main/java/" + words.get(3).replace('.', '/') + ".java"))
                        .as(line + ": a main class of this module").isRegularFile();
            }
        } else if (words.get(0).startsWith("scripts/")) {
            assertThat(repository.resolve(words.get(0))).as(line).isRegularFile().isExecutable();
        } else {
            throw new AssertionError("a command this test does not know how to check: " + line);
        }
    }

    /** The full names of this module's benchmarks, as JMH matches its patterns against them. */
    private static List<String> benchmarks() throws IOException {
        Path sources = DocExamples.repository().resolve("bench/src/main/java");
        Pattern method = Pattern.compile("@Benchmark\\s+(?:@\\w+(?:\\([^)]*\\))?\\s+)*public\\s+\\S+\\s+(\\w+)\\s*\\(");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(file -> file.toString().endsWith(".java")).toList()) {
                String relative = sources.relativize(file).toString();
                String className = relative.substring(0, relative.length() - ".java".length()).replace('/', '.');
                Matcher benchmark = method.matcher(Files.readString(file));
                while (benchmark.find()) {
                    names.add(className + "." + benchmark.group(1));
                }
            }
        }
        return names;
    }
}
