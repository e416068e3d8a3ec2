package dev.waterfall.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client's optional services with the real ones, against what Java wrote: a secret the
 * CLI put in a real Secret Service ({@link PrivateKeyring}) resolves through Python's {@code keyring}
 * (Debian's {@code python3-keyring}, SecretService backend), and a PostgreSQL store the CLI wrote
 * (the test server, 127.0.0.1:5432, database {@code test}) reads through {@code psycopg} (Debian's
 * {@code python3-psycopg}). {@code scripts/ensure-test-services} installs both modules, which go to
 * Debian's own interpreter ({@value #DEBIAN_PYTHON}); a {@code python3} earlier on the PATH (pyenv,
 * a virtual environment) does not see them, so these runs name that interpreter.
 */
@Tag("packaged")
class PythonServicesJarTest {

    /** The interpreter Debian's python3-* packages install into. */
    static final String DEBIAN_PYTHON = "/usr/bin/python3";

    @TempDir
    Path home;

    private Processes.Result cli(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-cp", Processes.jar().toString(), WaterfallCli.class.getName()));
        command.addAll(List.of(args));
        return Processes.run(command, home, environment, Duration.ofMinutes(2));
    }

    private Processes.Result python(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(DEBIAN_PYTHON, "-m", "waterfall_config"));
        command.addAll(List.of(args));
        return Processes.run(command, home, environment, Duration.ofMinutes(2));
    }

    private Map<String, String> environment(Map<String, String> base) {
        Map<String, String> environment = new java.util.HashMap<>(base);
        environment.put("PYTHONPATH", Processes.repository().resolve("clients/python").toString());
        return environment;
    }

    @Test
    void aSecretTheCliKeptInTheKeyring_resolvesInPython() throws Exception {
        try (PrivateKeyring keyring = PrivateKeyring.start(Files.createDirectories(home.resolve("keyring")))) {
            Map<String, String> desktop = environment(keyring.environment(Processes.cleanEnvironment(home)));
            desktop.put("TOKEN_TO_STORE", "ghp_kept_by_java");
            String store = "json:" + home.resolve("pipeline.json");

            Processes.Result stored = cli(desktop, "--app", "pipeline", "secret", "set", "github", "--from-env", "TOKEN_TO_STORE");
            Processes.Result set = cli(desktop, "--app", "pipeline", "--store", store, "set", "github.token", "${secret:github}");
            Processes.Result get = python(desktop, "--app", "pipeline", "--store", store, "get", "github.token");
            Processes.Result other = python(desktop, "--app", "other", "--store", store, "get", "github.token");

            assertThat(stored.exitCode()).as(stored.toString()).isZero();
            assertThat(set.exitCode()).as(set.toString()).isZero();
            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(get.out()).isEqualTo("ghp_kept_by_java\n");
            assertThat(other.exitCode()).as("another app's keyring service has no such secret: " + other).isEqualTo(3);
            assertThat(other.err()).contains("refers to the secret github, which is not in the system keyring");
        }
    }

    @Test
    void aPostgresqlStoreTheCliWrote_readsInPythonThroughPsycopg() throws Exception {
        String namespace = "py-" + UUID.randomUUID().toString().substring(0, 8);
        String uri = postgresUrl() + "?namespace=" + namespace;
        Map<String, String> environment = environment(Processes.cleanEnvironment(home));
        try {
            for (String[] pair : List.of(new String[] {"plant.name", "Rosemary"}, new String[] {"plant.ratio", "1.50"},
                    new String[] {"plant.tags", "[\"a\",{\"b\":null}]"})) {
                Processes.Result set = cli(environment, "--store", uri, "set", pair[0], pair[1]);
                assertThat(set.exitCode()).as(set.toString()).isZero();
            }
            Processes.Result get = python(environment, "--store", uri, "get", "plant.ratio");
            Processes.Result list = python(environment, "--store", uri, "list", "plant");
            Processes.Result missing = python(environment, "--store", uri, "get", "plant.none");

            assertThat(get.exitCode()).as(get.toString()).isZero();
            assertThat(get.out()).isEqualTo("1.50\n");
            assertThat(list.exitCode()).as(list.toString()).isZero();
            assertThat(list.out()).isEqualTo(cli(environment, "--store", uri, "list", "plant").out());
            assertThat(list.out()).contains("Rosemary").contains("[\"a\",{\"b\":null}]");
            assertThat(missing.exitCode()).isEqualTo(1);
        } finally {
            String sql = "DELETE FROM waterfall.history WHERE namespace = '" + namespace + "';"
                    + "DELETE FROM waterfall.entries WHERE namespace = '" + namespace + "';"
                    + "DELETE FROM waterfall.namespaces WHERE namespace = '" + namespace + "';";
            Process psql = new ProcessBuilder("psql", postgresUrl(), "-X", "-q", "-c", sql).redirectErrorStream(true).start();
            String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(psql.exitValue()).as(output).isZero();
        }
    }

    private static String postgresUrl() {
        String configured = System.getenv("WATERFALL_TEST_PG_URL");
        return configured == null || configured.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : configured.strip();
    }
}
