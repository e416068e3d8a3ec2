package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's command-line examples, run as written: every {@code ```console} block of the
 * "Command line" section, in order, one bash session per block, from the repository root with an
 * empty home folder, and the output compared line by line (stdout and stderr together, as a
 * terminal shows them). In the README the home folder is {@code /home/me}; {@code <time>},
 * {@code <stamp>}, {@code <pid>} and {@code <size>} stand for one word that changes from run to
 * run, and {@code ...} for any text.
 */
@Tag("packaged")
class ReadmeExamplesJarTest {

    private static final String MARK = "@@waterfall-readme-example@@";
    private static final Pattern PLACEHOLDER = Pattern.compile("<(time|stamp|pid|size)>|\\.\\.\\.");

    @TempDir
    Path home;

    /** One {@code $ command} line and the output the README shows for it. */
    record Example(String command, List<String> expected) {
    }

    @Test
    void readme_firstCommand_listsTheEmptyDefaultStoreAndCreatesNothing() throws Exception {
        String readme = Files.readString(Processes.repository().resolve("README.md"));
        String tryIt = section(readme, "## Try it");
        assertThat(tryIt).as("the README's first command").contains("```sh\n./waterfall list\n```");

        Processes.Result result = bash("./waterfall list");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("(no keys yet in json:" + home.resolve(".config/waterfall/config.json"));
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).as("a read creates nothing").isEmpty();
        }
    }

    @Test
    void readme_commandLineExamples_printWhatTheReadmeShows() throws Exception {
        String readme = Files.readString(Processes.repository().resolve("README.md"));
        List<List<Example>> blocks = consoleBlocks(section(readme, "## Command line"));
        assertThat(blocks).as("console blocks in the Command line section").hasSizeGreaterThanOrEqualTo(5);

        int examples = 0;
        for (List<Example> block : blocks) {
            StringBuilder script = new StringBuilder();
            for (Example example : block) {
                // keep $? of the example for a following `echo $?`
                script.append(example.command()).append(" 2>&1\n")
                        .append("__status=$?; printf '%s\\n' '").append(MARK).append("'; (exit $__status)\n");
            }
            Processes.Result result = bash(script.toString());
            String output = result.out().replace(home.toString(), "/home/me");
            List<String> actual = List.of(output.split(MARK + "\n", -1));
            assertThat(actual).as("one output per example\n" + result).hasSize(block.size() + 1);
            for (int i = 0; i < block.size(); i++) {
                Example example = block.get(i);
                List<String> lines = actual.get(i).lines().toList();
                assertThat(lines).as("$ " + example.command() + "\n" + actual.get(i)).hasSameSizeAs(example.expected());
                for (int line = 0; line < lines.size(); line++) {
                    assertThat(lines.get(line)).as("$ " + example.command() + ", line " + (line + 1))
                            .matches(pattern(example.expected().get(line)));
                }
                examples++;
            }
        }
        assertThat(examples).isGreaterThanOrEqualTo(25);
    }

    private Processes.Result bash(String script) throws IOException, InterruptedException {
        return Processes.run(List.of("bash", "-c", script), Processes.repository(), Processes.cleanEnvironment(home),
                Duration.ofMinutes(5));
    }

    /** The text of the section that starts with {@code heading}, up to the next heading of that level. */
    static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as(heading + " in README.md").isNotNegative();
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = markdown.indexOf("\n" + level, start + heading.length() + 1);
        return markdown.substring(start + 1, end < 0 ? markdown.length() : end);
    }

    /** The {@code ```console} blocks of {@code text}, each as its examples. */
    static List<List<Example>> consoleBlocks(String text) {
        List<List<Example>> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("```console\n(.*?)```", Pattern.DOTALL).matcher(text);
        while (block.find()) {
            List<Example> examples = new ArrayList<>();
            for (String line : block.group(1).split("\n")) {
                if (line.startsWith("$ ")) {
                    examples.add(new Example(line.substring(2), new ArrayList<>()));
                } else {
                    assertThat(examples).as("output before the first command: " + line).isNotEmpty();
                    examples.get(examples.size() - 1).expected().add(line);
                }
            }
            blocks.add(examples);
        }
        return blocks;
    }

    /** An expected line as a pattern: literal text, with placeholders for what varies. */
    static String pattern(String expected) {
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(expected);
        int at = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(expected.substring(at, placeholder.start())));
            regex.append(placeholder.group().equals("...") ? ".*" : "\\S+");
            at = placeholder.end();
        }
        return regex.append(Pattern.quote(expected.substring(at))).toString();
    }
}
