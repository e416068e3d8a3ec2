/**
 * Typed settings for Waterfall: {@link dev.waterfall.config.binding.Binder} builds records, immutable
 * classes and beans from the resolved configuration with jackson-databind, and reports every value
 * it cannot use in one {@link dev.waterfall.config.binding.BindingException}, each with its key and
 * where it came from.
 *
 * <p>{@code Waterfall.bind} and {@code Waterfall.live} reach it through the
 * {@link dev.waterfall.config.spi.BindingProvider} it provides.
 *
 * <p>A module of its own so that {@code dev.waterfall.config} and the CLI's {@code get} never load
 * databind. An application whose settings types live in a named module opens their package to
 * {@code com.fasterxml.jackson.databind} when they are not public.
 */
module dev.waterfall.config.binding {
    requires transitive dev.waterfall.config;
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires transitive jakarta.validation;
    requires com.github.victools.jsonschema.generator;
    requires com.fasterxml.classmate;
    requires com.github.victools.jsonschema.module.jackson;
    requires com.github.victools.jsonschema.module.jakarta.validation;

    exports dev.waterfall.config.binding;

    // Waterfall.bind and Waterfall.live find the binding here, so config-api never requires databind.
    provides dev.waterfall.config.spi.BindingProvider with dev.waterfall.config.binding.internal.JacksonBindingProvider;
}
