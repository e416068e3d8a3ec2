package dev.waterfall.cli;

import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/depend.md, the page for a project that depends on Waterfall, against what it describes.
 * The example project it shows ({@code examples/hello-waterfall}) is built against the installed
 * artifacts and run both ways by {@code scripts/test-installed}, which {@code scripts/test-all}
 * runs after {@code mvn -P publish install} (a reactor test cannot: the artifacts are installed
 * after it). This test checks, within {@code mvn verify}, that every block of the page is what the
 * example, the BOM and the build hold, so a drift fails here before the installed run.
 */
class DependPageTest {

    private static final Path REPOSITORY = DocExamples.repository();
    private static final Path EXAMPLE = REPOSITORY.resolve("examples/hello-waterfall");

    @Test
    void theBomImportDependenciesAndModuleInfo_areTheExamplesOwn() throws IOException {
        String pom = read(EXAMPLE.resolve("pom.xml"));
        assertThat(words(pom)).contains(words(DocExamples.code("depend-bom")));
        assertThat(words(pom)).contains(words(DocExamples.code("depend-dependencies")));
        assertThat(words(read(EXAMPLE.resolve("src/main/java/module-info.java"))))
                .contains(words(DocExamples.code("depend-module-info")));
    }

    @Test
    void theBuildAndRunCommands_runTheExampleOnTheModulePathThenTheClassPath() throws IOException {
        String run = DocExamples.code("depend-run");
        assertThat(run.lines().findFirst()).hasValue("cd examples/hello-waterfall");
        assertThat(run).contains("mvn -q package");
        assertThat(run.lines().filter(line -> line.startsWith("java ")).map(line -> line.split("\\s+")[1]))
                .containsExactly("-p", "-cp");
        Path installed = REPOSITORY.resolve("scripts/test-installed");
        assertThat(installed).isRegularFile().isExecutable();
        assertThat(read(installed)).as("scripts/test-installed runs the page's own java commands").contains("code(\"depend-run\")");
    }

    @Test
    void theInstallCommand_usesTheProfileTheBuildDefines_andTestAllInstallsTheSameWay() throws IOException {
        String install = DocExamples.code("depend-install").strip();
        assertThat(install).isEqualTo("mvn -P publish install -DskipTests");
        assertThat(read(REPOSITORY.resolve("pom.xml"))).contains("<id>publish</id>");
        assertThat(read(REPOSITORY.resolve("scripts/test-all"))).contains("mvn -B -P publish install").contains("scripts/test-installed");
    }

    @Test
    void theContractDependency_namesAPublishedModule() throws IOException {
        String snippet = DocExamples.code("depend-contract");
        assertThat(snippet).contains("<groupId>dev.waterfall</groupId>").contains("<artifactId>store-contract</artifactId>")
                .contains("<scope>test</scope>");
        assertThat(read(REPOSITORY.resolve("bom/pom.xml"))).contains("<artifactId>store-contract</artifactId>");
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static String words(String text) {
        return String.join(" ", text.strip().split("\\s+"));
    }
}
