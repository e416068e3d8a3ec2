package dev.waterfall.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings that follow every writer: a {@code T} bound from the keys under a prefix, bound again
 * after each change of them by any process (the CLI, another program, a Python script), by an edit
 * of the system file or a defaults file, whichever layer wins. Made by
 * {@link Waterfall#live(String, Class)} (or {@code Binder.live} of module
 * {@code dev.waterfall.config.binding} for a generic type).
 *
 * <pre>{@code
 * try (Live<Server> server = config.live("server", Server.class)) {
 *     server.subscribe((old, next) -> restartIfNeeded(old, next));
 *     handle(server.get());                     // always the latest valid Server
 * }
 * }</pre>
 *
 * <p>{@link #get()} is one volatile read: call it on every use rather than keeping the object. A
 * change that makes the keys invalid (a value of the wrong type, out of range, a required key
 * removed) keeps the last valid {@code T}: {@code get()} goes on returning it, {@link #error()}
 * holds the {@code dev.waterfall.config.binding.BindingException} naming each key, value and
 * origin, and subscribers are told through {@link Listener#invalid}. The next valid change recovers.
 *
 * <p>Subscribers run on the {@link Waterfall}'s watch thread ({@code waterfall-live APP}), one
 * change at a time in commit order, and should return quickly; one that throws does not stop the
 * others. Close the {@code Live} (or the {@code Waterfall}) to stop following; the thread ends when
 * the last watch of the {@code Waterfall} closes.
 *
 * @param <T> the bound type
 */
public interface Live<T> extends AutoCloseable {

    /**
     * Told of each new value, and of changes that could not be bound.
     *
     * @param <T> the bound type
     */
    @FunctionalInterface
    interface Listener<T> {
        /**
         * The keys changed and bind to {@code next}, which differs from {@code old} ({@code equals}).
         *
         * @param old  the value before the change
         * @param next the value now
         */
        void changed(T old, T next);

        /**
         * The keys changed but cannot be bound ({@code dev.waterfall.config.binding.BindingException},
         * naming each key, value and origin) or a layer cannot be read; {@link Live#get()} keeps the
         * last valid value. By default nothing is done.
         *
         * @param problem why the change is not in {@link Live#get()}
         */
        default void invalid(WaterfallException problem) {
        }
    }

    /** A subscription; close it to stop being told. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The latest valid value: one volatile read, never blocks.
     *
     * @return the value bound from the latest change that could be bound
     */
    T get();

    /**
     * Why the latest change is not in {@link #get()}: the
     * {@code dev.waterfall.config.binding.BindingException} of values that cannot be bound, or the
     * error of a layer that cannot be read; empty when {@code get()} reflects the latest change.
     * Cleared by the next change that binds (a layer mended back to exactly what it held before
     * changes nothing, and leaves the error in place until the next change).
     *
     * @return the error, or empty
     */
    Optional<WaterfallException> error();

    /**
     * The prefix followed.
     *
     * @return the prefix, {@code ""} for the whole configuration
     */
    String prefix();

    /**
     * Tells {@code listener} of each new value from now on (not of the current one).
     *
     * @param listener told of each new value and each change that cannot be bound
     * @return the subscription, to close to stop being told
     */
    Subscription subscribe(Listener<? super T> listener);

    /**
     * {@link #subscribe(Listener)} with a lambda for each new value and one for each change that cannot be bound.
     *
     * @param onChange  told of each new value
     * @param onInvalid told of each change that cannot be bound
     * @return the subscription, to close to stop being told
     */
    default Subscription subscribe(Listener<? super T> onChange, Consumer<? super WaterfallException> onInvalid) {
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

    /** Stops following; {@link #get()} keeps returning the last value. */
    @Override
    void close();
}
