package dev.waterfall.cli;

import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Key;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MigrateCommandTest {

    @TempDir
    Path home;

    Cli cli;
    String sqlite;
    String namespace;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("USER", "alice").env("HOSTNAME", "box");
        cli.run("set", "server.port", "8080");
        cli.run("set", "server.hosts", "[\"a\", \"b\"]");
        cli.run("unset", "server.hosts");
        cli.run("set", "plant.name", "Rosemary");
        sqlite = "sqlite:" + home.resolve("data/app.db");
        namespace = "export-cli-test-" + UUID.randomUUID();
    }

    @AfterEach
    void dropNamespace() throws Exception {
        String sql = "DELETE FROM waterfall.history WHERE namespace = '" + namespace + "';"
                + "DELETE FROM waterfall.entries WHERE namespace = '" + namespace + "';"
                + "DELETE FROM waterfall.namespaces WHERE namespace = '" + namespace + "';";
        Process psql = new ProcessBuilder("psql", postgresUrl(), "-X", "-q", "-c", sql).redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(output).isZero();
    }

    private static String postgresUrl() {
        String configured = System.getenv("WATERFALL_TEST_PG_URL");
        return configured == null || configured.isBlank() ? "postgresql://postgres@127.0.0.1:5432/test" : configured.strip();
    }

    @Test
    void migrate_jsonToSqlite_copiesEverythingAndSaysItVerified() {
        Cli.Result result = cli.run("migrate", "--to", sqlite);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(""
                + "source: json:" + cli.defaultStore() + " (revision 4, 2 entries)\n"
                + "target: " + sqlite + "?namespace=waterfall (new, never written)\n"
                + "plan: copy 2 entries with their revisions, times and authors, and 4 history records; the target's revision becomes 4\n"
                + "migrated: the target is at revision 4\n"
                + "verified: source and target hold the same 2 entries (keys, values, types, revisions, times (to the microsecond) and authors)\n");
        assertThat(cli.run("--store", sqlite, "history").out().lines()).hasSize(4);
        assertThat(cli.run("--store", sqlite, "get", "plant.name").out()).isEqualTo("Rosemary\n");
    }

    @Test
    void migrate_twice_secondRunHasNothingToDo() {
        cli.run("migrate", "--to", sqlite);

        Cli.Result again = cli.run("migrate", "--to", sqlite);

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("plan: nothing to do, the target already holds the source's 2 entries")
                .doesNotContain("migrated:").contains("verified: ");
    }

    @Test
    void migrate_sqliteToPostgres_withFrom() {
        cli.run("migrate", "--to", sqlite);
        String postgres = postgresUrl() + "?namespace=" + namespace;

        Cli.Result result = cli.run("migrate", "--from", sqlite, "--to", postgres);

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).contains("target: " + postgres + " (new, never written)").contains("verified: ");
        assertThat(cli.run("--store", postgres, "get", "server.port").out()).isEqualTo("8080\n");
    }

    @Test
    void migrate_dryRun_andANonEmptyTarget() {
        cli.run("--store", sqlite, "set", "other", "1");

        Cli.Result dryRun = cli.run("migrate", "--to", sqlite, "--replace", "--dry-run");
        Cli.Result refused = cli.run("migrate", "--to", sqlite);
        Cli.Result replaced = cli.run("migrate", "--to", sqlite, "--replace");

        assertThat(dryRun.out()).contains("plan: one atomic write (replace): add 2, change 0, leave 0 equal, remove 1 not in the source")
                .endsWith("dry run: nothing was written\n");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(replaced.exitCode()).as(replaced.toString()).isZero();
        assertThat(cli.run("--store", sqlite, "list").out()).doesNotContain("other");
    }

    @Test
    void migrate_aDateTimeIntoJson_isAVerificationFailure() {
        try (Waterfall typed = Waterfall.builder("waterfall").store(sqlite).environment(Map.of()).home(home).open()) {
            typed.store().set(Key.of("when"), DateTimeValue.of(LocalDate.parse("1979-05-27")));
        }

        Cli.Result result = cli.run("migrate", "--from", sqlite, "--to", "json:" + home.resolve("out.json"));

        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.out()).contains("MISMATCH: 1 difference between source and target",
                "  when: source holds \"1979-05-27\" (date-local), target holds \"1979-05-27\" (string)");
    }
}
