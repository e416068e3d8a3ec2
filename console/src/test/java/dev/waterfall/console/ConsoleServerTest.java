package dev.waterfall.console;

import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's HTTP API and its safety rules, over plain sockets against a real JSON store: the
 * token, the Host and Origin checks, the CSRF token, compare-and-set, read-only mode, live events,
 * bounds, and no secret in any response or event.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleServerTest {

    private static final String STORED_SECRET = "hunter2-stored-9a8b7c";
    private static final String ENV_SECRET = "envtoken-5d4e3f2a1b";
    private static final String LATER_SECRET = "later-secret-0f1e2d3c";

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Path store() {
        return dir.resolve("config.json");
    }

    /** A Waterfall on the test's store, with an environment and defaults of its own; may write secret-looking keys. */
    private Waterfall waterfall(String surface) {
        Map<String, String> environment = new HashMap<>();
        environment.put("WATERFALL_API_TOKEN", ENV_SECRET);
        environment.put("WATERFALL_SERVER_HOST", "example.org");
        Waterfall waterfall = Waterfall.builder("waterfall").store("json:" + store()).home(dir).environment(environment)
                .defaults(Map.of("log.level", "info", "server.host", "localhost")).surface(surface)
                .plaintextSecrets(SecretPolicy.allowingAll()).open();
        open.add(waterfall);
        return waterfall;
    }

    private Console start(Waterfall waterfall, boolean readOnly) {
        Console console = Console.builder(waterfall).readOnly(readOnly).maxEventStreams(2).start();
        open.add(console);
        return console;
    }

    private static String token(Console console) {
        String uri = console.uri().toString();
        return uri.substring(uri.indexOf("token=") + 6);
    }

    /** Logs in with the token as a browser does, and returns the cookie header it got. */
    private static String login(RawHttp http, Console console) throws IOException {
        RawHttp.Response response = http.send("GET", "/?token=" + token(console), Map.of(), null);
        assertThat(response.status()).isEqualTo(303);
        String setCookie = response.headers().get("set-cookie");
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    private static Map<String, String> page(String cookie, Console console, String csrf) {
        return Map.of("Cookie", cookie, "Origin", "http://127.0.0.1:" + console.port(), "X-Waterfall-CSRF", csrf);
    }

    private static String csrf(RawHttp http, String cookie) throws IOException {
        RawHttp.Response session = http.send("GET", "/api/session", Map.of("Cookie", cookie), null);
        assertThat(session.status()).isEqualTo(200);
        return ((dev.waterfall.config.StringValue) members(session.body()).get("csrf")).value();
    }

    private static Map<String, Value> members(String json) {
        return ((TableValue) Value.parseJson(json)).members();
    }

    @Test
    void console_listensOnLoopbackOnly_andItsAddressCarriesAFreshToken() {
        Waterfall waterfall = waterfall("test");
        Console first = start(waterfall, false);
        Console second = start(waterfall, false);
        assertThat(first.uri().toString()).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[A-Za-z0-9_-]{32}");
        assertThat(token(first)).isNotEqualTo(token(second));
        assertThat(first.port()).isNotEqualTo(second.port());
    }

    @Test
    void requests_withoutTheToken_withAWrongOne_orWithAForeignHost_areRefused() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("server.port", Value.of(8080));
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());

        assertThat(http.send("GET", "/api/keys", Map.of(), null).status()).isEqualTo(401);
        assertThat(http.send("GET", "/", Map.of(), null).status()).isEqualTo(401);
        assertThat(http.send("GET", "/?token=guessed", Map.of(), null).status()).isEqualTo(403);
        assertThat(http.send("GET", "/api/keys", Map.of("Cookie", "waterfall_console_" + console.port() + "=guessed"), null).status())
                .isEqualTo(401);
        String cookie = login(http, console);
        assertThat(http.send("GET", "/api/keys", Map.of("Cookie", cookie), null).status()).isEqualTo(200);

        // DNS rebinding: the attacker's name resolves to 127.0.0.1, so the browser sends its own Host
        RawHttp.Response rebound = http.send("GET", "/api/keys", Map.of("Host", "attacker.example:" + console.port(), "Cookie", cookie), null);
        assertThat(rebound.status()).isEqualTo(403);
        assertThat(rebound.body()).contains("Host").doesNotContain("8080");
        assertThat(http.send("GET", "/?token=" + token(console), Map.of("Host", "attacker.example"), null).status()).isEqualTo(403);
    }

    @Test
    void writes_withTheCookie_needTheSameOrigin_andThePagesCsrfToken() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("server.port", Value.of(8080));
        long revision = waterfall.store().get(Key.of("server.port")).orElseThrow().revision();
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        String cookie = login(http, console);
        String csrf = csrf(http, cookie);
        String body = "{\"value\": \"9090\"}";
        String origin = "http://127.0.0.1:" + console.port();

        assertThat(http.send("PUT", "/api/keys/server.port", Map.of("Cookie", cookie, "If-Match", "" + revision), body).status())
                .as("no Origin, no CSRF token").isEqualTo(403);
        assertThat(http.send("PUT", "/api/keys/server.port", Map.of("Cookie", cookie, "If-Match", "" + revision,
                "Origin", "https://attacker.example", "X-Waterfall-CSRF", csrf), body).status()).as("cross-origin").isEqualTo(403);
        assertThat(http.send("POST", "/api/undo", Map.of("Cookie", cookie, "Origin", "https://attacker.example"), "{\"revision\":1}")
                .status()).as("cross-origin POST").isEqualTo(403);
        assertThat(http.send("PUT", "/api/keys/server.port", Map.of("Cookie", cookie, "If-Match", "" + revision,
                "Origin", origin, "X-Waterfall-CSRF", "wrong"), body).status()).as("wrong CSRF token").isEqualTo(403);
        assertThat(waterfall.get("server.port").orElseThrow().value()).isEqualTo(Value.of(8080));

        Map<String, String> headers = new HashMap<>(page(cookie, console, csrf));
        headers.put("If-Match", "" + revision);
        RawHttp.Response saved = http.send("PUT", "/api/keys/server.port", headers, body);
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
        assertThat(waterfall.get("server.port").orElseThrow().value()).isEqualTo(Value.of(9090));
        assertThat(Files.readString(store())).contains("9090");
        assertThat(waterfall.store().history(dev.waterfall.config.HistoryQuery.all()).get(0).by().surface()).isEqualTo("test");
    }

    @Test
    void anEdit_onAStaleRevision_isRefusedWith412_andTheOtherWritersValueAndName() throws Exception {
        Waterfall mine = waterfall("console");
        mine.set("server.port", Value.of(8080));
        long shown = mine.store().get(Key.of("server.port")).orElseThrow().revision();
        Console console = start(mine, false);
        waterfall("daemon").set("server.port", Value.of(7070)); // another writer gets there first
        RawHttp http = new RawHttp(console.port());

        RawHttp.Response conflict = http.send("PUT", "/api/keys/server.port",
                Map.of("Authorization", "Bearer " + token(console), "If-Match", "" + shown), "{\"value\": \"9090\"}");

        assertThat(conflict.status()).isEqualTo(412);
        Map<String, Value> current = ((TableValue) members(conflict.body()).get("current")).members();
        assertThat(current.get("value").toJson()).contains("\"json\":\"7070\"");
        assertThat(current.get("updatedBy").toJson()).contains("daemon ");
        assertThat(mine.get("server.port").orElseThrow().value()).as("nothing overwritten").isEqualTo(Value.of(7070));
        RawHttp.Response absentExpected = http.send("DELETE", "/api/keys/server.port",
                Map.of("Authorization", "Bearer " + token(console), "If-Match", "0"), null);
        assertThat(absentExpected.status()).isEqualTo(412);
        assertThat(http.send("PUT", "/api/keys/server.port", Map.of("Authorization", "Bearer " + token(console)), "{\"value\":\"1\"}")
                .status()).as("no If-Match").isEqualTo(428);
    }

    @Test
    void readOnly_refusesEveryWrite_andWritesNothing() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("server.port", Value.of(8080));
        long revision = waterfall.store().get(Key.of("server.port")).orElseThrow().revision();
        Console console = start(waterfall, true);
        RawHttp http = new RawHttp(console.port());
        String cookie = login(http, console);
        String csrf = csrf(http, cookie);
        String before = Files.readString(store());

        Map<String, String> headers = new HashMap<>(page(cookie, console, csrf));
        headers.put("If-Match", "" + revision);
        RawHttp.Response put = http.send("PUT", "/api/keys/server.port", headers, "{\"value\": \"9090\"}");
        RawHttp.Response delete = http.send("DELETE", "/api/keys/server.port", headers, null);
        RawHttp.Response undo = http.send("POST", "/api/undo", page(cookie, console, csrf), "{\"revision\": " + revision + "}");
        RawHttp.Response restore = http.send("POST", "/api/backups/restore", page(cookie, console, csrf), "{}");

        assertThat(List.of(put.status(), delete.status(), undo.status(), restore.status())).containsOnly(403);
        assertThat(put.body()).contains("read-only");
        assertThat(Files.readString(store())).isEqualTo(before);
        assertThat(http.send("GET", "/api/keys", Map.of("Cookie", cookie), null).body()).contains("\"json\":\"8080\"");
    }

    @Test
    void keys_showEveryLayer_theWinner_itsOrigin_andWhatItShadows() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("server.port", Value.of(8080));
        waterfall.set("server.host", Value.of("stored.example"));
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());

        String body = http.send("GET", "/api/keys", Map.of("Authorization", "Bearer " + token(console)), null).body();
        Map<String, Map<String, Value>> byKey = new HashMap<>();
        for (Value entry : ((dev.waterfall.config.ArrayValue) members(body).get("keys")).items()) {
            Map<String, Value> fields = ((TableValue) entry).members();
            byKey.put(((dev.waterfall.config.StringValue) fields.get("key")).value(), fields);
        }
        assertThat(byKey).containsOnlyKeys("server.port", "server.host", "log.level");
        Map<String, Value> host = byKey.get("server.host");
        assertThat(host.get("layer")).isEqualTo(Value.of("env"));
        assertThat(host.get("origin")).isEqualTo(Value.of("WATERFALL_SERVER_HOST"));
        assertThat(host.get("envOverrides")).isEqualTo(Value.of(true));
        assertThat(host.get("layers").toJson()).contains("\"layer\":\"store\"", "stored.example", "\"layer\":\"defaults\"", "localhost");
        Map<String, Value> port = byKey.get("server.port");
        assertThat(port.get("origin")).isEqualTo(Value.of("json:" + store() + ":3"));
        assertThat(port.get("revision").toJson()).isNotEqualTo("0");
        assertThat(byKey.get("log.level").get("layer")).isEqualTo(Value.of("defaults"));
    }

    @Test
    void aCommitOfAnotherWriter_reachesAnOpenEventStream_withItsValueAndAuthor() throws Exception {
        Waterfall waterfall = waterfall("console");
        waterfall.set("server.port", Value.of(8080));
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token(console));

        try (RawHttp.EventStream events = http.events(auth)) {
            assertThat(events.status).isEqualTo(200);
            waterfall("daemon").set("server.port", Value.of(9191));
            Map<String, Value> event = members(events.next("commit"));
            assertThat(event.get("by").toJson()).contains("daemon ");
            assertThat(event.get("keys").toJson()).contains("\"key\":\"server.port\"", "\"json\":\"9191\"");
            assertThat(event.get("revision").toJson()).isEqualTo("" + waterfall.store().snapshot().revision());

            try (RawHttp.EventStream second = http.events(auth); RawHttp.EventStream third = http.events(auth)) {
                assertThat(second.status).isEqualTo(200);
                assertThat(third.status).as("over maxEventStreams(2)").isEqualTo(503);
            }
        }
    }

    @Test
    void noSecretValue_leavesTheServer_inAnyResponseOrEvent() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("db.password", Value.of(STORED_SECRET));
        waterfall.set("mail.password", Value.of("${secret:MAIL}"));
        waterfall.set("server.port", Value.of(8080));
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        String cookie = login(http, console);
        String csrf = csrf(http, cookie);
        Map<String, String> auth = Map.of("Cookie", cookie);
        StringBuilder seen = new StringBuilder();

        try (RawHttp.EventStream events = http.events(auth)) {
            for (String path : List.of("/", "/console.js", "/api/session", "/api/keys", "/api/keys/db.password", "/api/keys/api.token",
                    "/api/history", "/api/backups", "/api/doctor")) {
                RawHttp.Response response = http.send("GET", path, auth, null);
                assertThat(response.status()).as(path).isEqualTo(200);
                seen.append(response.body());
            }
            waterfall("daemon").set("db.password", Value.of(LATER_SECRET));
            seen.append(events.next("commit"));
            Map<String, String> headers = new HashMap<>(page(cookie, console, csrf));
            headers.put("If-Match", "" + waterfall.store().get(Key.of("db.password")).orElseThrow().revision());
            RawHttp.Response edit = http.send("PUT", "/api/keys/db.password", headers, "{\"value\": \"" + LATER_SECRET + "-2\"}");
            assertThat(edit.status()).isEqualTo(200);
            seen.append(edit.body()).append(events.next("commit"));
            headers.put("If-Match", "1");
            seen.append(http.send("PUT", "/api/keys/db.password", headers, "{\"value\": \"{" + LATER_SECRET + "\"}").body());
            seen.append(http.send("GET", "/api/history", auth, null).body());
            seen.append(events.everything);
        }

        assertThat(seen.toString()).contains("db.password", "api.token", "\"redacted\":true", "${secret:MAIL}", "8080")
                .doesNotContain(STORED_SECRET, ENV_SECRET, LATER_SECRET);
    }

    @Test
    void undo_takesBackAChange_byTheCliRules_andABrokenStore_isShownAndRestored() throws Exception {
        Waterfall waterfall = waterfall("test");
        waterfall.set("server.port", Value.of(8080));
        waterfall.set("server.port", Value.of(9090));
        long second = waterfall.store().get(Key.of("server.port")).orElseThrow().revision();
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token(console));

        RawHttp.Response undone = http.send("POST", "/api/undo", auth, "{\"revision\": " + second + "}");
        assertThat(undone.status()).as(undone.body()).isEqualTo(200);
        assertThat(waterfall.get("server.port").orElseThrow().value()).isEqualTo(Value.of(8080));
        assertThat(http.send("POST", "/api/undo", auth, "{\"revision\": " + second + "}").status()).as("changed since").isEqualTo(412);

        Files.writeString(store(), "{\n  \"server\": {\n    \"port\": 80,,\n");
        RawHttp.Response broken = http.send("GET", "/api/keys", auth, null);
        assertThat(broken.status()).isEqualTo(503);
        assertThat(broken.body()).contains("\"broken\":true", store().toString(), ":3:").contains("backups restore");
        RawHttp.Response restored = http.send("POST", "/api/backups/restore", auth, "{}");
        assertThat(restored.status()).as(restored.body()).isEqualTo(200);
        assertThat(http.send("GET", "/api/keys", auth, null).body()).contains("\"json\":\"8080\"");
    }

    @Test
    void requests_areBounded_inBodySizeAndKeyLength() throws Exception {
        Waterfall waterfall = waterfall("test");
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token(console), "If-Match", "0");

        assertThat(http.send("PUT", "/api/keys/big", auth, "{\"value\": \"" + "x".repeat(ConsoleHandler.MAX_BODY) + "\"}").status())
                .isEqualTo(413);
        RawHttp.Response longKey = http.send("PUT", "/api/keys/" + "k".repeat(Key.MAX_LENGTH + 1), auth, "{\"value\": \"1\"}");
        assertThat(longKey.status()).isEqualTo(400);
        assertThat(longKey.body()).contains("at most " + Key.MAX_LENGTH);
        RawHttp.Response badKey = http.send("PUT", "/api/keys/a..b", auth, "{\"value\": \"1\"}");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(badKey.body()).contains("a..b");
        assertThat(Files.exists(store())).isFalse();
    }

    @Test
    void withASchema_aKeyShowsItsDescription_andARejectedValueIsA400NamingTheRule() throws Exception {
        Path schema = Files.writeString(dir.resolve("schema.json"), "{\"type\": \"object\", \"properties\": {\"server\": {\"type\": "
                + "\"object\", \"properties\": {\"port\": {\"type\": \"integer\", \"maximum\": 65535, "
                + "\"description\": \"The port to listen on\", \"default\": 8080}}}}}");
        Waterfall waterfall = Waterfall.builder("waterfall").store("json:" + store()).home(dir).environment(Map.of()).schema(schema).open();
        open.add(waterfall);
        waterfall.set("server.port", Value.of(8080));
        Console console = start(waterfall, false);
        RawHttp http = new RawHttp(console.port());
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token(console));

        assertThat(http.send("GET", "/api/keys/server.port", auth, null).body()).contains("The port to listen on");
        RawHttp.Response refused = http.send("PUT", "/api/keys/server.port", Map.of("Authorization", "Bearer " + token(console),
                "If-Match", "" + waterfall.store().get(Key.of("server.port")).orElseThrow().revision()), "{\"value\": \"70000\"}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("server.port", "maximum");
        assertThat(waterfall.get("server.port").orElseThrow().value()).isEqualTo(Value.of(8080));
    }
}
