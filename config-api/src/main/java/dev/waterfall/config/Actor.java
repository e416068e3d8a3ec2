package dev.waterfall.config;

import java.util.Objects;

/**
 * Who made a change: the surface ({@code cli}, {@code gui}, a daemon's name), the user and host,
 * and the process id.
 *
 * @param surface which program or part of one wrote, e.g. {@code cli}
 * @param user    the operating-system user
 * @param host    the host name
 * @param pid     the process id, or 0 when unknown
 */
public record Actor(String surface, String user, String host, long pid) {

    /** Marks changes that were made outside Waterfall: a hand edit, another tool, a crash's lost metadata. */
    public static final Actor EXTERNAL = new Actor("external", "unknown", "unknown", 0);

    public Actor {
        Objects.requireNonNull(surface, "surface");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
    }

    /** Whether this marks a change made outside Waterfall. */
    public boolean isExternal() {
        return equals(EXTERNAL);
    }

    /** {@code cli alice@box pid 4242}, or {@code external (edited outside waterfall)}. */
    @Override
    public String toString() {
        return isExternal() ? "external (changed outside waterfall)" : surface + " " + user + "@" + host + " pid " + pid;
    }
}
