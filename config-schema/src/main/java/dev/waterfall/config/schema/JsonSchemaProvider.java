package dev.waterfall.config.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.spi.SchemaProvider;
import dev.waterfall.config.spi.SettingsSchema;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads a JSON Schema (draft 2020-12, the default when {@code $schema} is absent) for
 * {@link dev.waterfall.config.Waterfall}. A {@code public} no-argument class, as
 * {@link java.util.ServiceLoader} needs.
 */
public final class JsonSchemaProvider implements SchemaProvider {

    private final ObjectMapper mapper = JsonMapper.builder().build();

    @Override
    public SettingsSchema load(String location, byte[] content) {
        JsonNode root;
        try {
            root = mapper.readTree(content);
        } catch (IOException e) {
            throw new InvalidValueException("the settings schema " + location + " is not JSON: " + e.getMessage()
                    + "; fix the file (JSON Schema, draft 2020-12)", e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidValueException("the settings schema " + location + " is not a JSON object; a JSON Schema is one");
        }
        JsonSchema schema;
        try {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(root);
            schema.initializeValidators();
        } catch (RuntimeException e) {
            throw new InvalidValueException("the settings schema " + location + " is not a valid JSON Schema: " + e.getMessage(), e);
        }
        return new JsonSettingsSchema(location, new String(content, StandardCharsets.UTF_8), root, schema, mapper);
    }
}
