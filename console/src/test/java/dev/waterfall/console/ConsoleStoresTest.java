package dev.waterfall.console;

import dev.waterfall.config.Key;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console over every store kind: the keys listed, another writer's commit pushed to an open
 * event stream, a stale edit refused with the current value, a fresh one saved. PostgreSQL is the
 * test server of scripts/ensure-postgres, in a namespace of this test's own, removed after.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleStoresTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"json", "toml", "ndjson", "sqlite", "postgresql"})
    void everyStoreKind_listsKeys_pushesOtherWritersCommits_andComparesAndSets(String kind) throws Exception {
        String namespace = "console-test-" + UUID.randomUUID();
        String uri = kind.equals("postgresql") ? "postgresql://postgres@127.0.0.1:5432/test?namespace=" + namespace
                : kind + ":" + dir.resolve("config." + kind);
        try (Waterfall mine = Waterfall.builder("waterfall").store(uri).home(dir).environment(Map.of()).surface("console").open();
             Waterfall theirs = Waterfall.builder("waterfall").store(uri).home(dir).environment(Map.of()).surface("daemon").open();
             Console console = Console.builder(mine).start()) {
            mine.set("server.port", Value.of(8080));
            long shown = mine.store().get(Key.of("server.port")).orElseThrow().revision();
            RawHttp http = new RawHttp(console.port());
            String token = console.uri().toString().substring(console.uri().toString().indexOf("token=") + 6);
            Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

            assertThat(http.send("GET", "/api/keys", auth, null).body()).contains("\"key\":\"server.port\"", "\"json\":\"8080\"");
            try (RawHttp.EventStream events = http.events(auth)) {
                theirs.set("server.port", Value.of(7070));
                String event = events.next("commit");
                while (!event.contains("\"by\":\"daemon ")) {
                    assertThat(event).contains("\"by\":\"console "); // the console's own set may arrive first
                    event = events.next("commit");
                }
                assertThat(event).contains("\"json\":\"7070\"");
            }
            RawHttp.Response stale = http.send("PUT", "/api/keys/server.port", Map.of("Authorization", "Bearer " + token,
                    "If-Match", "" + shown), "{\"value\": \"9090\"}");
            assertThat(stale.status()).isEqualTo(412);
            Map<String, Value> current = ((TableValue) ((TableValue) Value.parseJson(stale.body())).members().get("current")).members();
            assertThat(current.get("value").toJson()).contains("7070");
            RawHttp.Response fresh = http.send("PUT", "/api/keys/server.port", Map.of("Authorization", "Bearer " + token,
                    "If-Match", current.get("revision").toJson()), "{\"value\": \"9090\"}");
            assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
            assertThat(theirs.get("server.port").orElseThrow().value()).isEqualTo(Value.of(9090));
        } finally {
            if (kind.equals("postgresql")) {
                dropNamespace(namespace);
            }
        }
    }

    private static void dropNamespace(String namespace) throws Exception {
        String sql = String.join(" ", List.of("history", "entries", "namespaces").stream()
                .map(table -> "DELETE FROM waterfall." + table + " WHERE namespace = '" + namespace + "';").toList());
        Process psql = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "test", "-v", "ON_ERROR_STOP=1", "-q", "-c", sql)
                .redirectErrorStream(true).start();
        String output = new String(psql.getInputStream().readAllBytes());
        assertThat(psql.waitFor()).as(output).isZero();
    }
}
