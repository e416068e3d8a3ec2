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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a {@code postgresql:} store URI names, with the credentials resolved:
 * {@code postgresql://[user[:password]@]host[:port][,host[:port]...][/database][?option=value&...]}.
 *
 * <p>As libpq reads it: a list of hosts, each with its port, tried in order (the first that
 * accepts the connection and matches {@code target_session_attrs} is used); defaults {@code PGHOST}
 * and {@code PGPORT} (comma lists too), else {@code localhost} and 5432; user {@code PGUSER} or the
 * operating-system user; database {@code PGDATABASE}, else the user's name. The password comes from
 * the URI, else {@code PGPASSWORD}, else the password file ({@code PGPASSFILE} or
 * {@code ~/.pgpass}), looked up for every host; it is never part of {@link #location()},
 * {@link #toString()} or any message. The options are {@link ConnectionOptions#KNOWN}: Waterfall's
 * own ({@code namespace}, {@code history}, {@code failover_timeout}) and libpq's and pgjdbc's
 * connection options, mapped to pgjdbc's properties ({@link #driverProperties()}).
 *
 * @param servers                the hosts and ports, in the order they are tried
 * @param namespace              the namespace, default the application's name
 * @param sslMode                libpq's {@code sslmode}, or {@code PGSSLMODE}
 * @param driverProperties       pgjdbc properties from the other options, sorted; no secret among them
 * @param sslPassword            the password of the TLS client key ({@code sslpassword}), never shown
 * @param failoverTimeoutSeconds how long a write keeps looking for a primary that accepts it and
 *                               settles a commit whose outcome it could not learn; see
 *                               {@code docs/stores.md}
 */
record PostgresTarget(List<Server> servers, String database, String user, Password password, String namespace,
                      Optional<String> sslMode, int connectTimeoutSeconds, long historyKept,
                      SortedMap<String, String> driverProperties, Password sslPassword, int failoverTimeoutSeconds) {

    static final int DEFAULT_PORT = 5432;
    static final int DEFAULT_CONNECT_TIMEOUT_SECONDS = 5;
    /** A write's patience for a failover when the URI lists several hosts: a promotion takes seconds. */
    static final int DEFAULT_FAILOVER_TIMEOUT_SECONDS = 30;

    /** One server of the list. */
    record Server(String host, int port) {
        /** {@code host:port}, an IPv6 address in brackets, as messages name the server. */
        @Override
        public String toString() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

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
        Objects.requireNonNull(sslPassword, "sslPassword");
        servers = List.copyOf(servers);
        driverProperties = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(driverProperties));
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server");
        }
    }

    /** The first server's host. */
    String host() {
        return servers.get(0).host();
    }

    /** The first server's port. */
    int port() {
        return servers.get(0).port();
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
        }
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        if (!authority.isEmpty()) {
            for (String part : authority.split(",", -1)) {
                splitHostPort(uri, decode(uri, "the host list", part), hosts, ports);
            }
        }

        Map<String, String> environment = context.environment();
        String namespace = Namespaces.check(uri, context.app());
        Optional<String> sslMode = Optional.ofNullable(blankToNull(environment.get("PGSSLMODE")));
        int connectTimeout = DEFAULT_CONNECT_TIMEOUT_SECONDS;
        String environmentTimeout = blankToNull(environment.get("PGCONNECT_TIMEOUT"));
        long historyKept = SqlStore.DEFAULT_HISTORY_KEPT;
        Integer failoverTimeout = null;
        String sslPassword = null;
        String sessionAttrs = blankToNull(environment.get("PGTARGETSESSIONATTRS"));
        TreeMap<String, String> properties = new TreeMap<>();
        for (String name : List.of("PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY", "PGAPPNAME")) {
            String value = blankToNull(environment.get(name));
            if (value != null) {
                properties.put(name.equals("PGAPPNAME") ? "ApplicationName" : name.substring(2).toLowerCase(java.util.Locale.ROOT), value);
            }
        }
        try {
            if (environmentTimeout != null) {
                connectTimeout = ConnectionOptions.seconds("PGCONNECT_TIMEOUT", environmentTimeout, 1, 600);
            }
            for (String parameter : query.split("&")) {
                if (parameter.isEmpty()) {
                    continue;
                }
                String[] pair = parameter.split("=", 2);
                String name = pair[0];
                String value = pair.length == 2 ? decode(uri, "the value of " + Echo.of(name), pair[1]) : "";
                switch (name) {
                    case "namespace" -> namespace = Namespaces.decode(uri, pair.length == 2 ? pair[1] : "");
                    case "password" -> password = value;
                    case "sslpassword" -> sslPassword = value;
                    case "history" -> historyKept = SqlStore.historyOption(uri, value);
                    case "user" -> user = value;
                    case "dbname" -> database = value;
                    case "host" -> {
                        hosts.clear();
                        for (String host : value.split(",", -1)) {
                            hosts.add(host);
                        }
                    }
                    case "port" -> {
                        ports.clear();
                        for (String port : value.split(",", -1)) {
                            ports.add(port);
                        }
                    }
                    case "sslmode" -> {
                        if (!ConnectionOptions.isSslMode(value)) {
                            throw new IllegalArgumentException("sslmode must be one of " + ConnectionOptions.sslModes()
                                    + ", not \"" + Echo.of(value) + "\"");
                        }
                        sslMode = Optional.of(value);
                    }
                    case "connect_timeout", "connectTimeout" -> connectTimeout = ConnectionOptions.seconds(name, value, 1, 600);
                    case "failover_timeout" -> failoverTimeout = ConnectionOptions.seconds(name, value, 0, 3600);
                    case "target_session_attrs", "targetServerType" -> sessionAttrs = value;
                    case "load_balance_hosts", "loadBalanceHosts" -> {
                        boolean random = switch (value) {
                            case "random", "true" -> true;
                            case "disable", "false" -> false;
                            default -> throw new IllegalArgumentException(name + " must be disable or random, not \""
                                    + Echo.of(value) + "\"");
                        };
                        properties.put("loadBalanceHosts", Boolean.toString(random));
                    }
                    case "keepalives" -> {
                        if (!value.equals("0") && !value.equals("1")) {
                            throw new IllegalArgumentException("keepalives must be 1 or 0, not \"" + Echo.of(value) + "\"");
                        }
                        properties.put("tcpKeepAlive", Boolean.toString(value.equals("1")));
                    }
                    default -> {
                        if (!ConnectionOptions.putSimple(name, value, properties)) {
                            throw new IllegalArgumentException("unknown option \"" + Echo.of(name) + "\"; the options are "
                                    + String.join(", ", ConnectionOptions.KNOWN));
                        }
                    }
                }
            }
            if (sessionAttrs != null) {
                String attrs = sessionAttrs;
                properties.put("targetServerType", ConnectionOptions.targetServerType(attrs).orElseThrow(() ->
                        new IllegalArgumentException("target_session_attrs must be one of " + ConnectionOptions.targetServerTypes()
                                + ", not \"" + Echo.of(attrs) + "\"")));
            }
        } catch (IllegalArgumentException e) {
            throw invalid(uri, e.getMessage());
        }

        List<Server> servers = servers(uri, hosts, ports, environment);
        if (user == null || user.isEmpty()) {
            String fromEnvironment = blankToNull(environment.get("PGUSER"));
            user = fromEnvironment != null ? fromEnvironment : context.actor().user();
        }
        if (database == null || database.isEmpty()) {
            String fromEnvironment = blankToNull(environment.get("PGDATABASE"));
            database = fromEnvironment != null ? fromEnvironment : user;
        }
        if (password == null) {
            password = environment.get("PGPASSWORD");
        }
        if (password == null) {
            password = passwordFromFile(uri, context, servers, database, user);
        }
        int failover = failoverTimeout != null ? failoverTimeout : servers.size() > 1 ? DEFAULT_FAILOVER_TIMEOUT_SECONDS : 0;
        return new PostgresTarget(servers, database, user, new Password(password), namespace, sslMode, connectTimeout, historyKept,
                properties, new Password(sslPassword), failover);
    }

    /** Splits one {@code host[:port]} of the authority, an IPv6 address in brackets. */
    private static void splitHostPort(StoreUri uri, String part, List<String> hosts, List<String> ports) {
        String host;
        String port = "";
        if (part.startsWith("[")) {
            int close = part.indexOf(']');
            if (close < 0) {
                throw invalid(uri, "the IPv6 address lacks its closing ']'");
            }
            host = part.substring(1, close);
            String after = part.substring(close + 1);
            if (after.startsWith(":")) {
                port = after.substring(1);
            } else if (!after.isEmpty()) {
                throw invalid(uri, "unexpected \"" + Echo.of(after) + "\" after the host");
            }
        } else {
            int colon = part.indexOf(':');
            if (colon >= 0 && part.indexOf(':', colon + 1) >= 0) {
                throw invalid(uri, "\"" + Echo.of(part) + "\" has more than one ':'; write an IPv6 address in brackets: [::1]:5432");
            }
            host = colon >= 0 ? part.substring(0, colon) : part;
            port = colon >= 0 ? part.substring(colon + 1) : "";
        }
        hosts.add(host);
        ports.add(port);
    }

    /**
     * The servers: the URI's hosts, else {@code PGHOST}'s, else localhost; each with its own port,
     * else {@code PGPORT}'s (one for all, or one per host, as libpq), else 5432.
     */
    private static List<Server> servers(StoreUri uri, List<String> hosts, List<String> ports, Map<String, String> environment) {
        List<String> hostList = new ArrayList<>(hosts);
        if (hostList.isEmpty() || hostList.size() == 1 && hostList.get(0).isEmpty()) {
            String fromEnvironment = blankToNull(environment.get("PGHOST"));
            hostList = fromEnvironment == null ? List.of("localhost") : List.of(fromEnvironment.split(",", -1));
        }
        List<String> portList = new ArrayList<>(ports);
        if (portList.stream().allMatch(String::isEmpty)) {
            String fromEnvironment = blankToNull(environment.get("PGPORT"));
            portList = fromEnvironment == null ? List.of() : List.of(fromEnvironment.split(",", -1));
        }
        if (portList.size() > 1 && portList.size() != hostList.size()) {
            throw invalid(uri, "there are " + hostList.size() + " hosts but " + portList.size()
                    + " ports; give one port for all hosts, or one for each");
        }
        List<Server> servers = new ArrayList<>();
        Set<Server> seen = new LinkedHashSet<>();
        for (int i = 0; i < hostList.size(); i++) {
            String host = hostList.get(i).strip();
            if (host.isEmpty()) {
                host = "localhost";
            }
            if (host.startsWith("/")) {
                throw invalid(uri, "host \"" + Echo.of(host) + "\" is a Unix-domain socket folder, which the Java driver cannot use;"
                        + " name the server by address, e.g. 127.0.0.1");
            }
            String portText = portList.isEmpty() ? "" : portList.size() == 1 ? portList.get(0) : portList.get(i);
            int port = DEFAULT_PORT;
            if (!portText.isBlank()) {
                try {
                    port = Integer.parseInt(portText.strip());
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw invalid(uri, "the port must be a number from 1 to 65535, not \"" + Echo.of(portText) + "\"");
                }
            }
            Server server = new Server(host, port);
            if (seen.add(server)) {
                servers.add(server);
            }
        }
        return servers;
    }

    /**
     * The password file's password, looked up for every host as libpq does for each it tries. The
     * driver sends one password to whichever host it reaches, so hosts whose lines give different
     * passwords are refused with the hosts named (never the passwords).
     */
    private static String passwordFromFile(StoreUri uri, StoreContext context, List<Server> servers, String database, String user) {
        PgPassFile file = PgPassFile.of(context);
        Map<String, List<Server>> byPassword = new java.util.LinkedHashMap<>();
        for (Server server : servers) {
            file.lookup(server.host(), server.port(), database, user)
                    .ifPresent(found -> byPassword.computeIfAbsent(found, ignored -> new ArrayList<>()).add(server));
        }
        if (byPassword.size() > 1) {
            throw invalid(uri, "the password file gives different passwords for "
                    + byPassword.values().stream().map(list -> list.stream().map(Server::toString).collect(Collectors.joining(" and ")))
                            .collect(Collectors.joining(" than for "))
                    + "; the Java driver sends one password to whichever host it reaches: give the user the same password on"
                    + " every server, or put it in the URI or PGPASSWORD");
        }
        return byPassword.isEmpty() ? null : byPassword.keySet().iterator().next();
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
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

    /** {@code host:port[,host:port...]}, as messages name the servers. */
    String server() {
        return servers.stream().map(Server::toString).collect(Collectors.joining(","));
    }

    /** The store as it may be printed: every server, the user, database and namespace, never the password. */
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
