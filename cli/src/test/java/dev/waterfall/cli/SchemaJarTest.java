package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings schema in the shaded jar: found through the merged {@code META-INF/services}, it
 * refuses a bad {@code set} in a real process, and a {@code get} with a schema given never loads
 * the validator or databind (the CLI's start-up budget).
 */
@Tag("packaged")
class SchemaJarTest {

    @TempDir
    Path home;

    @Test
    void jar_refusesWhatTheSchemaRejects_andGetLoadsNoValidator() throws Exception {
        Path schema = Files.writeString(home.resolve("s.json"), "{\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\", \"maximum\": 10}}}");
        Map<String, String> environment = Processes.cleanEnvironment(home);
        environment.put("WATERFALL_SCHEMA", schema.toString());

        Processes.Result refused = run(environment, List.of(), "set", "port", "11");
        Processes.Result accepted = run(environment, List.of(), "set", "port", "5");
        Path log = home.resolve("classes.txt");
        Processes.Result get = run(environment, List.of("-Xlog:class+load=info:file=" + log), "get", "port");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).hasLineCount(1).contains("port: breaks \"maximum\" (must have a maximum value of 10) at " + schema
                + "#/properties/port/maximum");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
        assertThat(get.out()).isEqualTo("5\n");
        assertThat(Files.readString(log)).contains("dev.waterfall.config.Waterfall").doesNotContain("com.networknt", "jackson.databind");
    }

    private static Processes.Result run(Map<String, String> environment, List<String> jvm, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Processes.java()));
        command.addAll(jvm);
        command.addAll(List.of("-cp", Processes.jar().toString(), WaterfallCli.class.getName()));
        command.addAll(List.of(args));
        return Processes.run(command, environment.containsKey("HOME") ? Path.of(environment.get("HOME")) : Path.of("."), environment,
                Duration.ofMinutes(2));
    }
}
