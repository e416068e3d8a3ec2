package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands of docs/reliability.md, checked without running them here: the trials they start
 * run in the same CI run already ({@code scripts/test-all} ends with {@code scripts/power-cut-trials},
 * and the kill -9 tests are part of {@code mvn verify}), so this test makes sure that what the page
 * tells a reader to type still names a script, system properties, modules and test classes that exist.
 */
class ReliabilityCommandsTest {

    private static final Pattern PROPERTY = Pattern.compile("-D(waterfall\\.[A-Za-z0-9_.]+)=");
    private static final Pattern TESTS = Pattern.compile("-Dtest='([^']+)'");
    private static final Pattern MODULES = Pattern.compile("-pl\\s+(\\S+)");

    @Test
    void thePowerCutCommands_nameTheScriptAndPropertiesTheTrialsRead() throws IOException {
        Path repository = DocExamples.repository();
        String trials = Files.readString(repository.resolve("store-contract/src/main/java/dev/waterfall/contract/PowerCutTrials.java"));
        List<String> lines = DocExamples.code("reliability-power-cut").lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            assertThat(line).as(line).startsWith("scripts/power-cut-trials");
            assertThat(repository.resolve("scripts/power-cut-trials")).isRegularFile().isExecutable();
            Matcher property = PROPERTY.matcher(line.replaceAll("#.*", ""));
            while (property.find()) {
                assertThat(trials).as(line + ": the trials read " + property.group(1)).contains("\"" + property.group(1) + "\"");
            }
        }
    }

    @Test
    void theKillCommand_namesModulesAndTestClassesThatExist() throws IOException {
        Path repository = DocExamples.repository();
        String command = DocExamples.code("reliability-kill").replace("\\\n", " ");
        assertThat(command).startsWith("mvn ");
        Matcher modules = MODULES.matcher(command);
        assertThat(modules.find()).as(command).isTrue();
        List<Path> testRoots = new ArrayList<>();
        for (String module : modules.group(1).split(",")) {
            assertThat(repository.resolve(module).resolve("pom.xml")).as("module " + module).isRegularFile();
            testRoots.add(repository.resolve(module).resolve("src/test/java"));
        }
        Matcher tests = TESTS.matcher(command);
        assertThat(tests.find()).as(command).isTrue();
        for (String test : tests.group(1).split(",")) {
            assertThat(testRoots.stream().anyMatch(root -> contains(root, test + ".java")))
                    .as(test + " is a test class of one of the modules the command names").isTrue();
        }
    }

    private static boolean contains(Path root, String fileName) {
        if (!Files.isDirectory(root)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.anyMatch(file -> file.getFileName().toString().equals(fileName));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
