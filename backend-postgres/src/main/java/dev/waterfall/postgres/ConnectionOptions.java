package dev.waterfall.postgres;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The connection options a {@code postgresql:} store URI takes beyond Waterfall's own, in the
 * spelling of libpq (what {@code psql} users write) and of pgjdbc (what Java users write), each
 * mapped to the pgjdbc property it becomes. A value is checked here, so that a typo is a clear
 * error naming the option, not a driver failure at the first write.
 */
final class ConnectionOptions {

    /** libpq's {@code target_session_attrs} and pgjdbc's {@code targetServerType}, to pgjdbc's value. */
    private static final Map<String, String> SESSION_ATTRS = Map.ofEntries(
            Map.entry("any", "any"),
            Map.entry("read-write", "primary"),
            Map.entry("primary", "primary"),
            Map.entry("read-only", "secondary"),
            Map.entry("standby", "secondary"),
            Map.entry("secondary", "secondary"),
            Map.entry("prefer-standby", "preferSecondary"),
            Map.entry("preferSecondary", "preferSecondary"),
            Map.entry("preferPrimary", "preferPrimary"));

    private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Options whose value is passed as it is, by URI name, to the pgjdbc property. */
    private static final Map<String, String> PLAIN = Map.ofEntries(
            Map.entry("sslrootcert", "sslrootcert"),
            Map.entry("sslcert", "sslcert"),
            Map.entry("sslkey", "sslkey"),
            Map.entry("application_name", "ApplicationName"),
            Map.entry("ApplicationName", "ApplicationName"));

    /** Options that are a number of seconds, by URI name, to the pgjdbc property. */
    private static final Map<String, String> SECONDS = Map.ofEntries(
            Map.entry("socketTimeout", "socketTimeout"),
            Map.entry("socket_timeout", "socketTimeout"),
            Map.entry("hostRecheckSeconds", "hostRecheckSeconds"));

    /** Every option a URI may carry, Waterfall's own first, as the message about an unknown one lists them. */
    static final List<String> KNOWN = List.of("namespace", "history", "failover_timeout", "password", "host", "port", "dbname",
            "user", "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "connectTimeout",
            "target_session_attrs", "targetServerType", "load_balance_hosts", "loadBalanceHosts", "hostRecheckSeconds",
            "socket_timeout", "socketTimeout", "keepalives", "application_name", "ApplicationName");

    private ConnectionOptions() {
    }

    /** The pgjdbc value of a {@code target_session_attrs} or {@code targetServerType}, or empty if it is not one. */
    static Optional<String> targetServerType(String value) {
        return Optional.ofNullable(SESSION_ATTRS.get(value));
    }

    /** The values {@link #targetServerType} knows, for a message. */
    static String targetServerTypes() {
        return "any, read-write, read-only, primary, standby, prefer-standby";
    }

    static boolean isSslMode(String value) {
        return SSL_MODES.contains(value);
    }

    static String sslModes() {
        return String.join(", ", SSL_MODES);
    }

    /**
     * Puts option {@code name} with {@code value} into the pgjdbc {@code properties} if it is one of
     * the plain or number options; answers whether it was.
     *
     * @throws IllegalArgumentException with the problem, if a number option's value is not a number of seconds
     */
    static boolean putSimple(String name, String value, TreeMap<String, String> properties) {
        String plain = PLAIN.get(name);
        if (plain != null) {
            properties.put(plain, value);
            return true;
        }
        String seconds = SECONDS.get(name);
        if (seconds != null) {
            properties.put(seconds, Integer.toString(seconds(name, value, 0, 86_400)));
            return true;
        }
        return false;
    }

    /** A whole number of seconds from {@code low} to {@code high}. */
    static int seconds(String name, String value, int low, int high) {
        int seconds;
        try {
            seconds = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            seconds = -1;
        }
        if (seconds < low || seconds > high) {
            throw new IllegalArgumentException(name + " must be a number of seconds from " + low + " to " + high);
        }
        return seconds;
    }
}
