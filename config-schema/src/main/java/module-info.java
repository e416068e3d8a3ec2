/**
 * The settings schema for Waterfall: a {@link dev.waterfall.config.spi.SchemaProvider} that checks
 * values against a JSON Schema (draft 2020-12) with networknt's json-schema-validator, the
 * maintained validator of the Jackson world that implements 2020-12. Put it on the module path;
 * {@code dev.waterfall.config} finds it when a schema is configured and first needed.
 */
module dev.waterfall.config.schema {
    requires dev.waterfall.config;
    requires com.fasterxml.jackson.databind;
    requires com.networknt.schema;

    provides dev.waterfall.config.spi.SchemaProvider with dev.waterfall.config.schema.JsonSchemaProvider;
}
