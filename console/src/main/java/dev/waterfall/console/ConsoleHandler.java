package dev.waterfall.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.waterfall.config.Backup;
import dev.waterfall.config.Backups;
import dev.waterfall.config.Change;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.KeyConflictException;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.WriteResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every request of the console: the safety checks first (docs/console.md, "Safety"), then the
 * page's assets and the HTTP API.
 */
final class ConsoleHandler implements HttpHandler {

    /** The largest request body read; an edit is one value. */
    static final int MAX_BODY = 256 * 1024;
    /** How many history records one {@code GET /api/history} returns at most. */
    private static final int MAX_HISTORY = 1_000;
    private static final String CSRF_HEADER = "X-Waterfall-CSRF";
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/console.js", "console.js",
            "/console.css", "console.css");

    private final Waterfall waterfall;
    private final KeyViews views;
    private final EventHub events;
    private final String token;
    private final String csrf;
    private final int port;
    private final boolean readOnly;
    private final String cookie;

    ConsoleHandler(Waterfall waterfall, KeyViews views, EventHub events, String token, String csrf, int port, boolean readOnly) {
        this.waterfall = waterfall;
        this.views = views;
        this.events = events;
        this.token = token;
        this.csrf = csrf;
        this.port = port;
        this.readOnly = readOnly;
        this.cookie = "waterfall_console_" + port; // cookies are per host, not per port: one name per console
    }

    /** A refusal or failure that becomes one JSON error response. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;
        final boolean broken;

        Refused(int status, String message) {
            this(status, message, false);
        }

        /** {@code broken}: the store cannot be read (the page offers to restore a backup). */
        Refused(int status, String message, boolean broken) {
            super(message, null, false, false);
            this.status = status;
            this.broken = broken;
        }
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        boolean keepOpen = false;
        try {
            keepOpen = route(exchange);
        } catch (Refused refused) {
            error(exchange, refused.status, refused.getMessage(), refused.broken);
        } catch (RuntimeException e) {
            error(exchange, 500, "internal error in the console: " + e.getClass().getSimpleName(), false);
        } finally {
            if (!keepOpen) {
                exchange.close();
            }
        }
    }

    /** Handles one request; true when the exchange stays open (an event stream). */
    private boolean route(HttpExchange exchange) throws IOException, Refused {
        checkHost(exchange);
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        securityHeaders(exchange);
        if (path.equals("/") && query != null && query.startsWith("token=")) {
            login(exchange, query.substring("token=".length()));
            return false;
        }
        boolean bearer = checkAuthenticated(exchange);
        boolean writes = !method.equals("GET") && !method.equals("HEAD");
        if (writes) {
            if (!bearer) {
                checkSameOrigin(exchange);
            }
            if (readOnly) {
                throw new Refused(403, "the console is read-only (started with --read-only): nothing is written");
            }
        }
        String asset = ASSETS.get(path);
        if (asset != null && method.equals("GET")) {
            asset(exchange, asset);
            return false;
        }
        if (path.equals("/api/session") && method.equals("GET")) {
            json(exchange, 200, out -> {
                out.writeStartObject();
                out.writeStringField("csrf", csrf);
                out.writeBooleanField("readOnly", readOnly);
                out.writeStringField("app", waterfall.app());
                out.writeStringField("store", waterfall.store().location());
                out.writeBooleanField("backups", waterfall.store().backups().isPresent());
                out.writeEndObject();
            });
            return false;
        }
        if (path.equals("/api/keys") && method.equals("GET")) {
            keys(exchange);
            return false;
        }
        if (path.startsWith("/api/keys/")) {
            Key key = key(path.substring("/api/keys/".length()));
            switch (method) {
                case "GET" -> json(exchange, 200, out -> views.key(out, key));
                case "PUT" -> put(exchange, key);
                case "DELETE" -> delete(exchange, key);
                default -> throw new Refused(405, method + " is not allowed on " + path + " (GET, PUT, DELETE)");
            }
            return false;
        }
        if (path.equals("/api/history") && method.equals("GET")) {
            history(exchange, query);
            return false;
        }
        if (path.equals("/api/undo") && method.equals("POST")) {
            undo(exchange);
            return false;
        }
        if (path.equals("/api/backups") && method.equals("GET")) {
            backups(exchange);
            return false;
        }
        if (path.equals("/api/backups/restore") && method.equals("POST")) {
            restore(exchange);
            return false;
        }
        if (path.equals("/api/doctor") && method.equals("GET")) {
            doctor(exchange);
            return false;
        }
        if (path.equals("/api/events") && method.equals("GET")) {
            if (!events.open(exchange)) {
                throw new Refused(503, "too many open event streams; close a console page and reload");
            }
            return true;
        }
        throw new Refused(404, "no such page or API: " + method + " " + path);
    }

    // ---- safety

    /** The {@code Host} must be this console's loopback address: a foreign name is DNS rebinding. */
    private void checkHost(HttpExchange exchange) throws Refused {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !(host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port))) {
            throw new Refused(403, "refused: the Host header must be 127.0.0.1:" + port + " (this console serves the loopback "
                    + "address only)");
        }
    }

    private void login(HttpExchange exchange, String given) throws IOException, Refused {
        if (!same(URLDecoder.decode(given, StandardCharsets.UTF_8), token)) {
            throw new Refused(403, "refused: wrong token; open the address `waterfall serve` printed");
        }
        exchange.getResponseHeaders().add("Set-Cookie", cookie + "=" + token + "; Path=/; HttpOnly; SameSite=Strict");
        exchange.getResponseHeaders().set("Location", "/");
        exchange.sendResponseHeaders(303, -1);
    }

    /** Refuses a request without the token (cookie or bearer); true when it came as a bearer token. */
    private boolean checkAuthenticated(HttpExchange exchange) throws Refused {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null && authorization.startsWith("Bearer ") && same(authorization.substring(7).strip(), token)) {
            return true;
        }
        List<String> cookies = exchange.getRequestHeaders().get("Cookie");
        if (cookies != null) {
            for (String header : cookies) {
                for (String part : header.split(";")) {
                    String pair = part.strip();
                    if (pair.startsWith(cookie + "=") && same(pair.substring(cookie.length() + 1), token)) {
                        return false;
                    }
                }
            }
        }
        throw new Refused(401, "refused: no token; open the address with ?token= that `waterfall serve` printed");
    }

    /** A write made with the cookie must come from this console's page: its Origin and its CSRF token. */
    private void checkSameOrigin(HttpExchange exchange) throws Refused {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null || !(origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port))) {
            throw new Refused(403, "refused: a write must come from the console's own page (Origin " + (origin == null ? "missing"
                    : "is " + origin) + ")");
        }
        String given = exchange.getRequestHeaders().getFirst(CSRF_HEADER);
        if (given == null || !same(given, csrf)) {
            throw new Refused(403, "refused: a write must carry the page's CSRF token (" + CSRF_HEADER + ")");
        }
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void securityHeaders(HttpExchange exchange) {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cache-Control", "no-store");
    }

    // ---- the API

    private void keys(HttpExchange exchange) throws IOException, Refused {
        long revision = read(() -> waterfall.store().snapshot().revision());
        byte[] body = read(() -> views.document(out -> {
            out.writeStartObject();
            out.writeNumberField("revision", revision);
            out.writeStringField("store", waterfall.store().location());
            views.keys(out);
            out.writeEndObject();
        }));
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, 200, body);
    }

    private void put(HttpExchange exchange, Key key) throws IOException, Refused {
        long expected = ifMatch(exchange);
        Map<String, Value> body = body(exchange);
        Value given = body.get("value");
        if (!(given instanceof StringValue text)) {
            throw new Refused(400, "the body must be {\"value\": \"TEXT\"}: the value as `waterfall set` takes it");
        }
        boolean asString = body.get("string") instanceof dev.waterfall.config.BooleanValue flag && flag.value();
        boolean secret = KeyViews.redacts(key);
        Value value;
        try {
            value = asString ? new StringValue(text.value()) : Value.parseLiteral(text.value());
        } catch (InvalidValueException e) {
            throw new Refused(400, secret ? "the value for " + key + " starts like JSON but is not valid JSON (not shown: the key "
                    + "looks like a secret)" : e.getMessage());
        }
        write(exchange, key, Change.set(key, value).ifRevision(expected), secret ? text.value() : null);
    }

    private void delete(HttpExchange exchange, Key key) throws IOException, Refused {
        write(exchange, key, Change.unset(key).ifRevision(ifMatch(exchange)), null);
    }

    private void write(HttpExchange exchange, Key key, Change change, String hidden) throws IOException, Refused {
        WriteResult result;
        try {
            result = waterfall.apply(change);
        } catch (RevisionConflictException e) {
            json(exchange, 412, out -> {
                out.writeStartObject();
                out.writeStringField("error", e.getMessage());
                out.writeBooleanField("conflict", true);
                out.writeFieldName("current");
                views.key(out, key);
                out.writeEndObject();
            });
            return;
        } catch (WaterfallException e) {
            String message = e.getMessage();
            if (hidden != null && !hidden.isEmpty()) {
                message = message.replace(hidden, KeyViews.REDACTED);
            }
            throw new Refused(status(e), message);
        }
        json(exchange, 200, out -> {
            out.writeStartObject();
            out.writeBooleanField("changed", result.changed());
            out.writeArrayFieldStart("warnings");
            for (String warning : result.warnings()) {
                out.writeString(warning);
            }
            out.writeEndArray();
            out.writeFieldName("entry");
            views.key(out, key);
            out.writeEndObject();
        });
    }

    private static int status(WaterfallException e) {
        if (e instanceof StoreBrokenException || e instanceof StoreUnavailableException) {
            return 503;
        }
        if (e instanceof KeyConflictException) {
            return 409;
        }
        return 400; // an invalid key or value, a schema's or a store's refusal: the person can fix it
    }

    /** The revision of {@code If-Match}: the one the page showed (0: the key was absent from the store). */
    private static long ifMatch(HttpExchange exchange) throws Refused {
        String header = exchange.getRequestHeaders().getFirst("If-Match");
        if (header == null) {
            throw new Refused(428, "an edit needs If-Match: REVISION, the revision the page showed (0 if the store lacked the key)");
        }
        String text = header.strip();
        if (text.startsWith("\"") && text.endsWith("\"") && text.length() >= 2) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            long revision = Long.parseLong(text);
            if (revision < 0 || revision > Entry.MAX_REVISION) {
                throw new NumberFormatException();
            }
            return revision == 0 ? Change.ABSENT : revision;
        } catch (NumberFormatException e) {
            throw new Refused(400, "If-Match must be a revision (a whole number from 0), not " + quoted(header));
        }
    }

    private void history(HttpExchange exchange, String query) throws IOException, Refused {
        int limit = 200;
        Optional<Key> under = Optional.empty();
        if (query != null) {
            for (String part : query.split("&")) {
                String[] pair = part.split("=", 2);
                String value = pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "";
                if (pair[0].equals("limit")) {
                    try {
                        limit = Math.max(1, Math.min(MAX_HISTORY, Integer.parseInt(value)));
                    } catch (NumberFormatException e) {
                        throw new Refused(400, "limit must be a whole number, not " + quoted(value));
                    }
                } else if (pair[0].equals("key") && !value.isEmpty()) {
                    under = Optional.of(key(value));
                }
            }
        }
        HistoryQuery historyQuery = new HistoryQuery(under, limit);
        List<HistoryRecord> records = read(() -> waterfall.store().history(historyQuery));
        json(exchange, 200, out -> {
            out.writeStartArray();
            for (HistoryRecord record : records) {
                views.record(out, record);
            }
            out.writeEndArray();
        });
    }

    /** Takes back one recorded change by the CLI's undo rules (docs/cli.md, undo): compare-and-set on each key it touched. */
    private void undo(HttpExchange exchange) throws IOException, Refused {
        Value revisionValue = body(exchange).get("revision");
        if (!(revisionValue instanceof dev.waterfall.config.NumberValue number)) {
            throw new Refused(400, "the body must be {\"revision\": N}: the change to undo (see the history)");
        }
        long target;
        try {
            target = Long.parseLong(number.literal());
        } catch (NumberFormatException e) {
            throw new Refused(400, "the revision to undo must be a whole number, not " + number.literal());
        }
        List<HistoryRecord> change = new ArrayList<>();
        for (HistoryRecord record : read(() -> waterfall.store().history(new HistoryQuery(Optional.empty(), 10_000)))) {
            if (record.revision() == target) {
                change.add(record);
            }
        }
        if (change.isEmpty()) {
            throw new Refused(404, "no recorded change at revision " + target + " in " + waterfall.store().location());
        }
        List<Change> batch = new ArrayList<>();
        for (HistoryRecord record : change) {
            if (record.by().isExternal()) {
                throw new Refused(400, "r" + target + " changed " + record.key() + " outside waterfall; its old value is not known, "
                        + "so it cannot be undone (set the key by hand)");
            }
            long expected = record.newValue().isPresent() ? target : Change.ABSENT;
            batch.add(record.oldValue().isPresent() ? Change.set(record.key(), record.oldValue().get()).ifRevision(expected)
                    : Change.unset(record.key()).ifRevision(expected));
        }
        long revision;
        try {
            revision = waterfall.store().apply(batch).revision();
        } catch (RevisionConflictException e) {
            throw new Refused(412, "cannot undo r" + target + ": " + e.key() + " changed since (now at revision " + e.actual()
                    + "); nothing was written");
        } catch (WaterfallException e) {
            throw new Refused(status(e), e.getMessage());
        }
        json(exchange, 200, out -> {
            out.writeStartObject();
            out.writeNumberField("undone", target);
            out.writeNumberField("revision", revision);
            out.writeEndObject();
        });
    }

    private void backups(HttpExchange exchange) throws IOException, Refused {
        Optional<Backups> backups = waterfall.store().backups();
        List<Backup> list = backups.isPresent() ? read(backups.get()::list) : List.of();
        json(exchange, 200, out -> {
            out.writeStartArray();
            for (Backup backup : list) {
                out.writeStartObject();
                out.writeStringField("name", backup.name());
                out.writeStringField("takenAt", backup.takenAt().toString());
                out.writeNumberField("bytes", backup.bytes());
                out.writeBooleanField("valid", backup.isValid());
                if (backup.problem().isPresent()) {
                    out.writeStringField("problem", backup.problem().get());
                }
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    private void restore(HttpExchange exchange) throws IOException, Refused {
        Value name = body(exchange).get("name");
        Optional<String> chosen = name instanceof StringValue text && !text.value().isEmpty() ? Optional.of(text.value()) : Optional.empty();
        Backups backups = waterfall.store().backups()
                .orElseThrow(() -> new Refused(400, waterfall.store().location() + " keeps no backups"));
        Backups.Restored restored;
        try {
            restored = backups.restore(chosen);
        } catch (WaterfallException e) {
            throw new Refused(status(e), e.getMessage());
        }
        json(exchange, 200, out -> {
            out.writeStartObject();
            out.writeStringField("restored", restored.from().name());
            out.writeNumberField("revision", restored.revision());
            if (restored.movedAsideTo().isPresent()) {
                out.writeStringField("movedAsideTo", restored.movedAsideTo().get());
            }
            out.writeEndObject();
        });
    }

    private void doctor(HttpExchange exchange) throws IOException, Refused {
        List<Diagnostic> findings = read(waterfall::diagnose);
        json(exchange, 200, out -> {
            out.writeStartArray();
            for (Diagnostic finding : findings) {
                out.writeStartObject();
                out.writeStringField("severity", finding.severity().name().toLowerCase(java.util.Locale.ROOT));
                out.writeStringField("subject", finding.subject());
                out.writeStringField("message", finding.message());
                out.writeEndObject();
            }
            out.writeEndArray();
        });
    }

    // ---- plumbing

    /** A read of the store; a broken or unreachable store is a 503 naming the problem, with {@code "broken": true}. */
    private <T> T read(java.util.function.Supplier<T> reading) throws Refused {
        try {
            return reading.get();
        } catch (WaterfallException e) {
            throw new Refused(e instanceof StoreBrokenException ? 503 : status(e), e.getMessage(), e instanceof StoreBrokenException);
        }
    }

    private static Key key(String raw) throws Refused {
        String text = URLDecoder.decode(raw, StandardCharsets.UTF_8);
        if (text.length() > Key.MAX_LENGTH) {
            throw new Refused(400, "the key is " + text.length() + " characters long; a key has at most " + Key.MAX_LENGTH);
        }
        try {
            return Key.of(text);
        } catch (InvalidKeyException e) {
            throw new Refused(400, e.getMessage());
        }
    }

    /** The request's JSON object body, at most {@link #MAX_BODY} bytes. */
    private static Map<String, Value> body(HttpExchange exchange) throws IOException, Refused {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new Refused(413, "the request body is over " + MAX_BODY + " bytes");
        }
        if (bytes.length == 0) {
            return Map.of();
        }
        Value parsed;
        try {
            parsed = Value.parseJson(new String(bytes, StandardCharsets.UTF_8));
        } catch (InvalidValueException e) {
            throw new Refused(400, "the request body is not JSON: " + e.getMessage());
        }
        if (!(parsed instanceof TableValue table)) {
            throw new Refused(400, "the request body must be a JSON object");
        }
        return table.members();
    }

    private void asset(HttpExchange exchange, String name) throws IOException {
        byte[] bytes;
        try (InputStream in = ConsoleHandler.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IOException("the console's asset " + name + " is missing from the jar");
            }
            bytes = in.readAllBytes();
        }
        String type = name.endsWith(".html") ? "text/html" : name.endsWith(".js") ? "text/javascript" : "text/css";
        exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        send(exchange, 200, bytes);
    }

    private void json(HttpExchange exchange, int status, KeyViews.JsonBody body) throws IOException {
        byte[] bytes = views.document(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(exchange, status, bytes);
    }

    private void error(HttpExchange exchange, int status, String message, boolean broken) throws IOException {
        json(exchange, status, out -> {
            out.writeStartObject();
            out.writeStringField("error", message);
            out.writeBooleanField("broken", broken);
            out.writeEndObject();
        });
    }

    private static void send(HttpExchange exchange, int status, byte[] bytes) throws IOException {
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String quoted(String text) {
        return new StringValue(text.length() > 40 ? text.substring(0, 40) + "..." : text).toJson();
    }
}
