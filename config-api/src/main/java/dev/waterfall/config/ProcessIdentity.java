package dev.waterfall.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The user, host and process id that writes are recorded with.
 *
 * @param user the operating-system user
 * @param host the host name
 * @param pid  the process id
 */
public record ProcessIdentity(String user, String host, long pid) {

    public ProcessIdentity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
    }

    /**
     * This process's identity, read from the given environment ({@code USER}, {@code USERNAME},
     * {@code HOSTNAME}, {@code COMPUTERNAME}), then {@code /etc/hostname}, without a DNS lookup.
     */
    public static ProcessIdentity current(Map<String, String> environment) {
        String user = first(environment, "USER", "USERNAME", "LOGNAME");
        if (user == null) {
            user = System.getProperty("user.name", "unknown");
        }
        String host = first(environment, "HOSTNAME", "COMPUTERNAME");
        if (host == null) {
            host = etcHostname();
        }
        return new ProcessIdentity(user, host, ProcessHandle.current().pid());
    }

    private static String first(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value.strip();
            }
        }
        return null;
    }

    private static String etcHostname() {
        try {
            String name = Files.readString(Path.of("/etc/hostname"), StandardCharsets.UTF_8).strip();
            return name.isEmpty() ? "localhost" : name;
        } catch (IOException | RuntimeException e) {
            return "localhost";
        }
    }

    /** The actor for writes of this process from {@code surface}. */
    public Actor actor(String surface) {
        return new Actor(surface, user, host, pid);
    }
}
