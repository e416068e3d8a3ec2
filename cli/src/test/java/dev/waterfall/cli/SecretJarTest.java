package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code waterfall secret set NAME} in a real process takes the secret from standard input, never from the command line. */
@Tag("packaged")
class SecretJarTest {

    @TempDir
    Path home;

    @Test
    void secretSet_readsTheValueFromStandardInput_andAReferenceResolvesInAnotherProcess() throws Exception {
        Map<String, String> environment = Processes.cleanEnvironment(home);
        environment.put("WATERFALL_SECRETS_PASSPHRASE", "correct horse battery staple");
        ProcessBuilder builder = new ProcessBuilder(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName(),
                "secret", "set", "db")).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write("hunter2 with spaces\n".getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        Processes.Result set = Processes.run(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName(),
                "set", "db.password", "${secret:db}"), home, environment, java.time.Duration.ofMinutes(2));
        Processes.Result get = Processes.run(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName(),
                "get", "db.password"), home, environment, java.time.Duration.ofMinutes(2));

        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(get.out()).isEqualTo("hunter2 with spaces\n");
        assertThat(Files.readString(home.resolve(".config/waterfall/secrets.enc.json"))).doesNotContain("hunter2");
    }
}
