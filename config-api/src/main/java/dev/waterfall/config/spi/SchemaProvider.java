package dev.waterfall.config.spi;

/**
 * Loads a {@link SettingsSchema}; found with {@link java.util.ServiceLoader} the first time a
 * {@link dev.waterfall.config.Waterfall} with a schema needs it, so that a program that never
 * writes or diagnoses never loads the validator.
 */
public interface SchemaProvider {

    /**
     * The schema in {@code content}.
     *
     * @param location where it was read from, for messages
     * @throws dev.waterfall.config.InvalidValueException naming the location if it is not a JSON Schema
     */
    SettingsSchema load(String location, byte[] content);
}
