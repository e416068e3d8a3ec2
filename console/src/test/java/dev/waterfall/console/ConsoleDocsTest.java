package dev.waterfall.console;

import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.DocExamples;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/console.md's examples, run: the Java program that embeds the console, and the Python
 * script that edits a key through the HTTP API with the token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleDocsTest {

    @TempDir
    Path dir;

    @Test
    void embedding_startsTheConsoleOnTheProgramsOwnWaterfall_andAScriptEditsThroughTheApi() throws Exception {
        Path file = dir.resolve("config.json");
        String[] address = new String[1];
        // example:embed
        try (Waterfall config = Waterfall.builder("pipeline").store("json:" + file).open();
             Console console = Console.builder(config).readOnly(false).start()) {   // 127.0.0.1, a free port
            config.set("server.port", Value.of(8080));
            System.out.println("settings: " + console.uri());                     // http://127.0.0.1:PORT/?token=...
            // ... the program runs; the console closes with it
            // example:end
            address[0] = console.uri().toString();
            Path script = dir.resolve("edit.py");
            Files.writeString(script, DocExamples.code("console-python"));
            ProcessBuilder python = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true);
            python.environment().put("WATERFALL_CONSOLE", address[0]);
            Process process = python.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(output).isZero();
            assertThat(output).contains("server.port = 8080 from store json:" + file, "saved at revision 2", "conflict: another writer");
            assertThat(config.get("server.port").orElseThrow().value()).isEqualTo(Value.of(9090));
        }
        assertThat(Files.readString(file)).contains("9090");
        DocExamples.assertShown(ConsoleDocsTest.class, "embed");
    }
}
