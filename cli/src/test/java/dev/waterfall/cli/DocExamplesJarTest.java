package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command-line examples of README.md and every page under docs/, run as written: every
 * {@code ```console} block of a page, in the page's order, one bash session per block, from the
 * repository root with one empty home folder per page (so a page's later blocks see what its
 * earlier ones wrote), and the output compared line by line (stdout and stderr together, as a
 * terminal shows them). On the pages the home folder is {@code /home/me}; {@code <time>},
 * {@code <stamp>}, {@code <pid>} and {@code <size>} stand for one word that changes from run to
 * run, and {@code ...} for any text ({@link DocExamples#pattern}).
 */
@Tag("packaged")
class DocExamplesJarTest {

    private static final String MARK = "@@waterfall-doc-example@@";

    /**
     * The least each page must hold, so that a page cannot lose its examples unnoticed: as many
     * sessions and commands as it had when this was written.
     */
    private static final Map<String, int[]> AT_LEAST = Map.of(
            "README.md", new int[] {1, 4},
            "docs/cli.md", new int[] {6, 25},
            "docs/export.md", new int[] {3, 14},
            "docs/secrets.md", new int[] {2, 9});

    @TempDir
    Path homes;

    @Test
    void readme_firstCommand_listsTheEmptyDefaultStoreAndCreatesNothing() throws Exception {
        String command = DocExamples.code("try-it");
        assertThat(command).as("the README's first command").isEqualTo("./waterfall list\n");
        Path home = Files.createDirectories(homes.resolve("try-it"));

        Processes.Result result = bash(home, command);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("(no keys yet in json:" + home.resolve(".config/waterfall/config.json"));
        try (Stream<Path> files = Files.list(home)) {
            assertThat(files).as("a read creates nothing").isEmpty();
        }
    }

    @Test
    void everyPage_consoleSessions_printWhatThePageShows() throws Exception {
        Map<String, int[]> ran = new LinkedHashMap<>();
        for (Path page : DocExamples.pages()) {
            List<DocExamples.Session> sessions = DocExamples.consoleSessions(page);
            if (sessions.isEmpty()) {
                continue;
            }
            Path home = Files.createDirectories(homes.resolve(page.toString().replace('/', '_')));
            int commands = 0;
            for (DocExamples.Session session : sessions) {
                commands += run(home, session);
            }
            ran.put(page.toString(), new int[] {sessions.size(), commands});
        }
        for (Map.Entry<String, int[]> least : AT_LEAST.entrySet()) {
            assertThat(ran).as("console sessions on " + least.getKey()).containsKey(least.getKey());
            assertThat(ran.get(least.getKey())[0]).as("sessions on " + least.getKey()).isGreaterThanOrEqualTo(least.getValue()[0]);
            assertThat(ran.get(least.getKey())[1]).as("commands on " + least.getKey()).isGreaterThanOrEqualTo(least.getValue()[1]);
        }
    }

    /** Runs one console block as one bash session in {@code home}; returns how many commands it checked. */
    private int run(Path home, DocExamples.Session session) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (DocExamples.Command command : session.commands()) {
            // keep $? of the example for a following `echo $?`
            script.append(command.command()).append(" 2>&1\n")
                    .append("__status=$?; printf '%s\\n' '").append(MARK).append("'; (exit $__status)\n");
        }
        Processes.Result result = bash(home, script.toString());
        String where = session.page() + ":" + session.line();
        String output = result.out().replace(home.toString(), "/home/me");
        List<String> actual = List.of(output.split(MARK + "\n", -1));
        assertThat(actual).as(where + ": one output per example\n" + result).hasSize(session.commands().size() + 1);
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < session.commands().size(); i++) {
            DocExamples.Command command = session.commands().get(i);
            List<String> lines = actual.get(i).lines().toList();
            assertThat(lines).as(where + ": $ " + command.command() + "\n" + actual.get(i)).hasSameSizeAs(command.expected());
            for (int line = 0; line < lines.size(); line++) {
                assertThat(lines.get(line)).as(where + ": $ " + command.command() + ", line " + (line + 1))
                        .matches(DocExamples.pattern(command.expected().get(line)));
            }
            checked.add(command.command());
        }
        return checked.size();
    }

    private static Processes.Result bash(Path home, String script) throws IOException, InterruptedException {
        return Processes.run(List.of("bash", "-c", script), Processes.repository(), Processes.cleanEnvironment(home),
                Duration.ofMinutes(5));
    }
}
