package dev.waterfall.postgres;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.Echo;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.jdbc.Namespaces;
import dev.waterfall.jdbc.SqlStore;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@code postgresql:} store URI names, with the credentials resolved:
 * {@code postgresql://[user[:password]@]host[:port][/database][?namespace=NAME&sslmode=MODE&connect_timeout=SECONDS]}.
 *
 * <p>Defaults as libpq has them: host {@code localhost}, port 5432, user {@code PGUSER} or the
 * operating-system user, database the user's name. The password comes from the URI, else
 * {@code PGPASSWORD}, else the password file ({@code PGPASSFILE} or {@code ~/.pgpass}); it is
 * never part of {@link #location()} or {@link #toString()}.
 *
 * @param namespace the namespace, default the application's name
 */
record PostgresTarget(String host, int port, String database, String user, Password password, String namespace,
                      Optional<String> sslMode, int connectTimeoutSeconds, long historyKept) {

    static final int DEFAULT_PORT = 5432;
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    private static final List<String> OPTIONS = List.of("namespace", "sslmode", "connect_timeout", "password", "history");

    /** A password that never shows: its {@code toString()} is {@code ***}. */
    static final class Password {
        static final Password NONE = new Password(null);
        private final String text;

        Password(String text) {
            this.text = text;
        }

        /** The password, for the driver only. */
        Optional<String> reveal() {
            return Optional.ofNullable(text);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Password password && Objects.equals(password.text, text);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(text);
        }

        @Override
        public String toString() {
            return text == null ? "(none)" : "***";
        }
    }

    PostgresTarget {
        Objects.requireNonNull(password, "password");
    }

    /**
     * Parses a store URI.
     *
     * @throws InvalidValueException naming the URI (without its password) and what is wrong
     */
    static PostgresTarget parse(StoreUri uri, StoreContext context) {
        String rest = uri.rest();
        if (!rest.startsWith("//")) {
            throw invalid(uri, "write it as postgresql://user@host:5432/database?namespace=NAME");
        }
        rest = rest.substring(2);
        String query = "";
        int question = rest.indexOf('?');
        if (question >= 0) {
            query = rest.substring(question + 1);
            rest = rest.substring(0, question);
        }
        String authority = rest;
        String database = null;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            authority = rest.substring(0, slash);
            database = decode(uri, "the database name", rest.substring(slash + 1));
            if (database.isEmpty()) {
                database = null;
            }
        }
        String user = null;
        String password = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            authority = authority.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                password = decode(uri, "the password", userInfo.substring(colon + 1));
                userInfo = userInfo.substring(0, colon);
            }
            user = decode(uri, "the user name", userInfo);
            if (user.isEmpty()) {
                user = null;
            }
        }
        String host;
        int port = DEFAULT_PORT;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(uri, "the IPv6 address lacks its closing ']'");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (after.startsWith(":")) {
                portText = after.substring(1);
            } else if (!after.isEmpty()) {
                throw invalid(uri, "unexpected \"" + after + "\" after the host");
            }
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            host = "localhost";
        }
        if (portText != null && !portText.isEmpty()) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw invalid(uri, "the port must be a number from 1 to 65535, not \"" + portText + "\"");
            }
        }

        String namespace = Namespaces.check(uri, context.app());
        Optional<String> sslMode = Optional.empty();
        int connectTimeout = DEFAULT_CONNECT_TIMEOUT_SECONDS;
        long historyKept = SqlStore.DEFAULT_HISTORY_KEPT;
        for (String parameter : query.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            String[] pair = parameter.split("=", 2);
            String value = pair.length == 2 ? decode(uri, "the value of " + Echo.of(pair[0]), pair[1]) : "";
            switch (pair[0]) {
                case "namespace" -> namespace = Namespaces.decode(uri, pair.length == 2 ? pair[1] : "");
                case "sslmode" -> sslMode = Optional.of(value);
                case "password" -> password = value;
                case "history" -> historyKept = SqlStore.historyOption(uri, value);
                case "connect_timeout" -> {
                    try {
                        connectTimeout = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        connectTimeout = -1;
                    }
                    if (connectTimeout < 1 || connectTimeout > 600) {
                        throw invalid(uri, "connect_timeout must be a number of seconds from 1 to 600");
                    }
                }
                default -> throw invalid(uri, "unknown option \"" + Echo.of(pair[0]) + "\"; the options are " + String.join(", ", OPTIONS));
            }
        }

        Map<String, String> environment = context.environment();
        if (user == null) {
            String fromEnvironment = environment.get("PGUSER");
            user = fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : context.actor().user();
        }
        if (database == null) {
            database = user;
        }
        if (password == null) {
            password = environment.get("PGPASSWORD");
        }
        if (password == null) {
            password = PgPassFile.of(context).lookup(host, port, database, user).orElse(null);
        }
        return new PostgresTarget(host, port, database, user, new Password(password), namespace, sslMode, connectTimeout, historyKept);
    }

    /**
     * A percent-encoded part of the URI. A malformed escape is refused without showing the part:
     * it may be, or be next to, the password.
     */
    private static String decode(StoreUri uri, String what, String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(uri, what + " is not correctly percent-encoded: each '%' must be followed by two hex digits "
                    + "(write a '%' itself as %25)");
        }
    }

    private static InvalidValueException invalid(StoreUri uri, String problem) {
        return new InvalidValueException("store " + uri + ": " + problem);
    }

    /** The host as a URI writes it: an IPv6 address in brackets. */
    String hostForUri() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** {@code host:port}, as messages name the server. */
    String server() {
        return hostForUri() + ":" + port;
    }

    /** The store as it may be printed: every part but the password. */
    String location() {
        return "postgresql://" + encode(user) + "@" + server() + "/" + encode(database) + "?namespace=" + Namespaces.encode(namespace);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public String toString() {
        return location();
    }
}
