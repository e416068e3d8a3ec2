package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documentation shows nothing that the suite does not run, and the front door leads to every
 * page. How a page's examples are declared and executed is in {@link DocExamples}'s Javadoc.
 */
class DocExamplesCoverageTest {

    @Test
    void everyExampleOnEveryPage_isExecutedBySomeTest() {
        List<String> unexecuted = DocExamples.unexecuted();

        assertThat(unexecuted).as("example blocks that no test executes (see DocExamples for how to declare one)").isEmpty();
    }

    @Test
    void theExtractor_findsTheExamplesItClaims() {
        // The check above is only as good as its parsing: it must see the blocks it lets through.
        List<DocExamples.Fence> fences = DocExamples.pages().stream().flatMap(page -> DocExamples.fences(page).stream()).toList();
        assertThat(fences).filteredOn(fence -> fence.language().equals("console")).hasSizeGreaterThanOrEqualTo(12);
        assertThat(fences).filteredOn(fence -> fence.language().equals("java")).hasSizeGreaterThanOrEqualTo(9);
        assertThat(fences).filteredOn(fence -> fence.block().isPresent()).hasSizeGreaterThanOrEqualTo(14);
    }

    @Test
    void readme_testCommand_isWhatCiRuns() throws IOException {
        List<String> ci = Files.readAllLines(DocExamples.repository().resolve(".ci/run"), StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank()).toList();

        assertThat(ci.get(ci.size() - 1)).as("the last command of .ci/run").isEqualTo(DocExamples.code("test-command").strip());
    }

    @Test
    void readme_isAShortFrontDoor_thatLinksEveryPage() {
        String readme = DocExamples.text(Path.of("README.md"));

        assertThat(readme.lines().count()).as("lines of README.md").isLessThanOrEqualTo(200);
        for (Path page : DocExamples.pages()) {
            if (page.startsWith("docs")) {
                assertThat(readme).as("README.md links " + page).contains("](" + page + ")");
            }
        }
    }
}
