package dev.waterfall.config.binding;

import com.fasterxml.jackson.databind.JavaType;
import dev.waterfall.config.ConfigChange;
import dev.waterfall.config.Watch;
import dev.waterfall.config.WaterfallException;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Settings that follow every writer: a {@code T} bound from the keys under a prefix, bound again
 * after each change of them by any process (the CLI, another program, a Python script), by an edit
 * of the system file or a defaults file, whichever layer wins.
 *
 * <pre>{@code
 * try (Live<Server> server = Binder.of(config).live("server", Server.class)) {
 *     server.subscribe((old, next) -> restartIfNeeded(old, next));
 *     handle(server.get());                     // always the latest valid Server
 * }
 * }</pre>
 *
 * <p>{@link #get()} is one volatile read: call it on every use rather than keeping the object. A
 * change that makes the keys invalid (a value of the wrong type, out of range, a required key
 * removed) keeps the last valid {@code T}: {@code get()} goes on returning it, {@link #error()}
 * holds the {@link BindingException} naming each key, value and origin, and subscribers are told
 * through {@link Listener#invalid}. The next valid change recovers.
 *
 * <p>Subscribers run on the {@link dev.waterfall.config.Waterfall}'s watch thread
 * ({@code waterfall-live APP}), one change at a time in commit order, and should return quickly; one
 * that throws does not stop the others. Close the {@code Live} (or the {@code Waterfall}) to stop
 * following; the thread ends when the last watch of the {@code Waterfall} closes.
 *
 * @param <T> the bound type
 */
public final class Live<T> implements AutoCloseable {

    private static System.Logger log() {
        return System.getLogger(Live.class.getName());
    }

    /**
     * Told of each new value, and of changes that could not be bound.
     *
     * @param <T> the bound type
     */
    @FunctionalInterface
    public interface Listener<T> {
        /** The keys changed and bind to {@code next}, which differs from {@code old} ({@code equals}). */
        void changed(T old, T next);

        /**
         * The keys changed but cannot be bound ({@link BindingException}, naming each key, value
         * and origin) or a layer cannot be read; {@link Live#get()} keeps the last valid value.
         * By default nothing is done.
         */
        default void invalid(WaterfallException problem) {
        }
    }

    /** A subscription; close it to stop being told. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final Binder binder;
    private final String prefix;
    private final JavaType type;
    private final List<Listener<? super T>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile T value;
    private volatile WaterfallException error;
    private Watch watch;

    private Live(Binder binder, String prefix, JavaType type) {
        this.binder = binder;
        this.prefix = prefix;
        this.type = type;
    }

    static <T> Live<T> start(Binder binder, String prefix, JavaType type) {
        Live<T> live = new Live<>(binder, prefix, type);
        synchronized (live.lock) {
            // The watch first, then the value from the watch's own starting point, so no change falls between.
            Watch started = binder.config().watch(prefix, live::changed, live::failed);
            try {
                live.value = binder.bind(prefix, type, started.current());
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
            live.watch = started;
        }
        return live;
    }

    /** The latest valid value: one volatile read, never blocks. */
    public T get() {
        return value;
    }

    /**
     * Why the latest change is not in {@link #get()}: the {@link BindingException} of values that
     * cannot be bound, or the error of a layer that cannot be read; empty when {@code get()} reflects
     * the latest change. Cleared by the next change that binds (a layer mended back to exactly
     * what it held before changes nothing, and leaves the error in place until the next change).
     */
    public Optional<WaterfallException> error() {
        return Optional.ofNullable(error);
    }

    /** The prefix followed ({@code ""} for the whole configuration). */
    public String prefix() {
        return prefix;
    }

    /** Tells {@code listener} of each new value from now on (not of the current one). */
    public Subscription subscribe(Listener<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** {@link #subscribe(Listener)} with a lambda for each new value and one for each change that cannot be bound. */
    public Subscription subscribe(Listener<? super T> onChange, Consumer<? super WaterfallException> onInvalid) {
        Objects.requireNonNull(onChange, "onChange");
        Objects.requireNonNull(onInvalid, "onInvalid");
        return subscribe(new Listener<T>() {
            @Override
            public void changed(T old, T next) {
                onChange.changed(old, next);
            }

            @Override
            public void invalid(WaterfallException problem) {
                onInvalid.accept(problem);
            }
        });
    }

    private void changed(ConfigChange change) {
        T old;
        T next;
        synchronized (lock) {
            try {
                next = binder.bind(prefix, type, change.current());
            } catch (WaterfallException e) {
                failedLocked(e);
                return;
            }
            old = value;
            error = null;
            if (Objects.equals(old, next)) {
                return;
            }
            value = next;
        }
        for (Listener<? super T> listener : listeners) {
            try {
                listener.changed(old, next);
            } catch (RuntimeException e) {
                log().log(Level.WARNING, "a subscriber of the live " + describe() + " failed", e);
            }
        }
    }

    private void failed(WaterfallException problem) {
        synchronized (lock) {
            failedLocked(problem);
        }
    }

    private void failedLocked(WaterfallException problem) {
        error = problem;
        for (Listener<? super T> listener : listeners) {
            try {
                listener.invalid(problem);
            } catch (RuntimeException e) {
                log().log(Level.WARNING, "a subscriber of the live " + describe() + " failed", e);
            }
        }
    }

    private String describe() {
        return type.getRawClass().getSimpleName() + " of " + (prefix.isEmpty() ? "the whole configuration" : prefix);
    }

    /** Stops following; {@link #get()} keeps returning the last value. */
    @Override
    public void close() {
        Watch current;
        synchronized (lock) {
            current = watch;
            watch = null;
        }
        if (current != null) {
            current.close();
        }
        listeners.clear();
    }

    @Override
    public String toString() {
        return "Live[" + describe() + "]";
    }
}
