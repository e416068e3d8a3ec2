package dev.waterfall.config.spi;

import dev.waterfall.config.Live;
import dev.waterfall.config.Waterfall;

/**
 * Builds typed settings for {@link Waterfall#bind(String, Class)} and
 * {@link Waterfall#live(String, Class)}; found with {@link java.util.ServiceLoader} the first time
 * a {@code Waterfall} binds, so that {@code dev.waterfall.config} never needs jackson-databind and a
 * program that only reads keys never loads it. Module {@code dev.waterfall.config.binding}
 * (artifact {@code dev.waterfall:config-binding}) provides it.
 */
public interface BindingProvider {

    /**
     * The binding of {@code config}, made once per {@code Waterfall} and kept for its lifetime.
     *
     * @param config the configuration bound
     * @return what binds it
     */
    Binding open(Waterfall config);

    /** Binds the keys of one {@link Waterfall}; thread-safe. */
    interface Binding {

        /**
         * The keys under {@code prefix} ({@code ""} for the whole configuration) as a {@code T}.
         *
         * @param prefix the keys bound
         * @param type   the type built
         * @param <T>    the type built
         * @return the value
         */
        <T> T bind(String prefix, Class<T> type);

        /**
         * A live {@code T} of the keys under {@code prefix}, bound again after every change of them.
         *
         * @param prefix the keys bound
         * @param type   the type built
         * @param <T>    the type built
         * @return the live value, to close to stop following
         */
        <T> Live<T> live(String prefix, Class<T> type);
    }
}
