package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    void theCheck_namesEveryBlockThatNothingExecutes(@TempDir Path repository) throws IOException {
        // A checkout of its own: pages with blocks of every kind, and one test source that claims some.
        String fence = "```";
        Files.createDirectories(repository.resolve("docs"));
        Files.writeString(repository.resolve("README.md"), String.join("\n",
                "# A", "",
                "<!-- claimed:begin -->", fence + "sh", "echo claimed", fence, "<!-- claimed:end -->", "",
                "<!-- forgotten:begin -->", fence + "sh", "echo forgotten", fence, "<!-- forgotten:end -->", "",
                fence + "sh", "echo bare", fence, "",
                fence + "java", "int shown = 1;", fence, "",
                fence + "java", "int drifted = 2;", fence, "",
                fence, "no language", fence, "",
                fence + "text", "output shown for reading", fence, ""));
        Files.writeString(repository.resolve("docs/page.md"), String.join("\n",
                "# B", "", fence + "console", "$ echo hi", "hi", fence, ""));
        Files.writeString(repository.resolve("docs/benchmarks-history.md"), String.join("\n",
                "# C", "", fence + "sh", "echo a record", fence, ""));
        Path test = Files.createDirectories(repository.resolve("mod/src/test/java/x")).resolve("ATest.java");
        Files.writeString(test, String.join("\n",
                "class ATest {",
                "    void run() {",
                "        String code = DocExamples.code(\"claimed\");",
                "        // example:shown",
                "        int shown = 1;",
                "        // example:end",
                "    }",
                "}", ""));

        List<String> unexecuted = DocExamples.unexecuted(repository);

        assertThat(unexecuted).hasSize(5);
        assertThat(unexecuted.get(0)).startsWith("README.md:10 (```sh, block forgotten)");
        assertThat(unexecuted.get(1)).startsWith("README.md:15 (```sh)");
        assertThat(unexecuted.get(2)).startsWith("README.md:23 (```java)");
        assertThat(unexecuted.get(3)).startsWith("README.md:27 (```)").contains("without a language");
        assertThat(unexecuted.get(4)).startsWith("docs/page.md:3 (```console)");

        // Once a test runs the console sessions, the console block is executed too.
        Files.writeString(test, Files.readString(test).replace("class ATest {", "class ATest { // DocExamples." + "consoleSessions(page)"));
        assertThat(DocExamples.unexecuted(repository)).hasSize(4).noneMatch(line -> line.startsWith("docs/page.md"));
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

    /**
     * Pages the README links that another change of the same issue writes (installing from the
     * release tarball); remove a name once its page is in docs/.
     */
    private static final Set<String> WRITTEN_ELSEWHERE = Set.of();

    @Test
    void everyLinkBetweenPages_leadsToAPageAndHeadingThatExist() {
        Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocExamples.pages()) {
            Matcher found = link.matcher(DocExamples.text(page));
            while (found.find()) {
                String target = found.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;   // http:, https:, mailto:
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? page : page.resolveSibling(file).normalize();
                checked++;
                if (WRITTEN_ELSEWHERE.contains(linked.toString())) {
                    continue;
                }
                if (!Files.isRegularFile(DocExamples.repository().resolve(linked))) {
                    broken.add(page + ": " + target + " (no such file)");
                } else if (hash >= 0 && linked.toString().endsWith(".md")
                        && !anchors(DocExamples.text(linked)).contains(target.substring(hash + 1))) {
                    broken.add(page + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(30);
        assertThat(broken).isEmpty();
    }

    /** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(String markdown) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : markdown.lines().toList()) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("#{1,6} .*")) {
                String text = line.replaceFirst("#+ ", "").toLowerCase(java.util.Locale.ROOT);
                anchors.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    @Test
    void readme_isAShortFrontDoor_thatLinksEveryPage() {
        String readme = DocExamples.text(Path.of("README.md"));

        assertThat(readme.lines().count()).as("lines of README.md").isLessThanOrEqualTo(200);
        List<DocExamples.Fence> fences = DocExamples.fences(Path.of("README.md"));
        assertThat(fences.get(0).block()).as("the README's first command runs the tool").contains("try-it");
        assertThat(fences.get(1).block()).as("the README's second command runs the tests").contains("test-command");
        for (Path page : DocExamples.pages()) {
            if (page.startsWith("docs")) {
                assertThat(readme).as("README.md links " + page).contains("](" + page + ")");
            }
        }
    }
}
