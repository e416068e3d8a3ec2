package dev.waterfall.config.binding;

import com.fasterxml.jackson.databind.JavaType;
import dev.waterfall.config.ConfigChange;
import dev.waterfall.config.Live;
import dev.waterfall.config.Watch;
import dev.waterfall.config.WaterfallException;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link Live} that {@link Binder#live} returns: a watch of the prefix, and the value bound
 * again from each change's own snapshot.
 *
 * @param <T> the bound type
 */
final class LiveValue<T> implements Live<T> {

    private static System.Logger log() {
        return System.getLogger(Live.class.getName());
    }

    private final Binder binder;
    private final String prefix;
    private final JavaType type;
    private final List<Listener<? super T>> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile T value;
    private volatile WaterfallException error;
    private Watch watch;

    private LiveValue(Binder binder, String prefix, JavaType type) {
        this.binder = binder;
        this.prefix = prefix;
        this.type = type;
    }

    static <T> LiveValue<T> start(Binder binder, String prefix, JavaType type) {
        LiveValue<T> live = new LiveValue<>(binder, prefix, type);
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
    @Override
    public T get() {
        return value;
    }

    /**
     * Why the latest change is not in {@link #get()}: the {@link BindingException} of values that
     * cannot be bound, or the error of a layer that cannot be read; empty when {@code get()} reflects
     * the latest change. Cleared by the next change that binds (a layer mended back to exactly
     * what it held before changes nothing, and leaves the error in place until the next change).
     */
    @Override
    public Optional<WaterfallException> error() {
        return Optional.ofNullable(error);
    }

    /** The prefix followed ({@code ""} for the whole configuration). */
    @Override
    public String prefix() {
        return prefix;
    }

    /** Tells {@code listener} of each new value from now on (not of the current one). */
    @Override
    public Subscription subscribe(Listener<? super T> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
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
