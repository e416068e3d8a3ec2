package dev.waterfall.config.spi;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Objects that the stores of one Waterfall instance share: the in-process lock table of the file
 * stores, a database connection pool per server. One instance of each type, created on first use
 * and closed (if {@link AutoCloseable}) when the Waterfall instance closes. This is where state
 * lives that other libraries would put in a static field.
 *
 * <p>Tests and programs may put their own instance of a type before first use, which is how the
 * file-system operations of the durable-file kernel can be swapped for fault-injecting ones.
 *
 * <p>Thread-safe.
 */
public final class Services implements AutoCloseable {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up and the security properties), which a command
     * such as {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(Services.class.getName());
    }

    private final Map<Class<?>, Object> instances = new LinkedHashMap<>();
    private boolean closed;

    /** The shared instance of {@code type}, created with {@code factory} on first use. */
    public synchronized <T> T get(Class<T> type, Supplier<? extends T> factory) {
        if (closed) {
            throw new IllegalStateException("this Waterfall instance is closed");
        }
        Object instance = instances.get(type);
        if (instance == null) {
            instance = Objects.requireNonNull(factory.get(), "factory result");
            instances.put(type, instance);
        }
        return type.cast(instance);
    }

    /**
     * Puts {@code instance} as the shared instance of {@code type}.
     *
     * @throws IllegalStateException if an instance of that type is already in use
     */
    public synchronized <T> void put(Class<T> type, T instance) {
        if (instances.containsKey(type)) {
            throw new IllegalStateException(type.getName() + " is already in use");
        }
        instances.put(type, type.cast(Objects.requireNonNull(instance, "instance")));
    }

    /** Closes every shared instance that is {@link AutoCloseable}, newest first. */
    @Override
    public void close() {
        List<Object> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            toClose = new ArrayList<>(instances.values());
            instances.clear();
        }
        Collections.reverse(toClose);
        for (Object instance : toClose) {
            if (instance instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    log().log(Level.WARNING, "closing " + instance.getClass().getName() + " failed", e);
                }
            }
        }
    }
}
