package dev.waterfall.config.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.waterfall.config.Key;
import dev.waterfall.config.SchemaViolation;
import dev.waterfall.config.Value;
import dev.waterfall.config.spi.SettingsSchema;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One loaded settings schema. Values are checked as a configuration document made of just those
 * keys (nested objects along the dots), so the rules of each value apply and {@code required} is
 * left out: a key the store lacks may well be in the defaults. Immutable and thread-safe (networknt's
 * {@link JsonSchema} is, once its validators are initialized).
 */
final class JsonSettingsSchema implements SettingsSchema {

    private final String location;
    private final String text;
    private final JsonNode root;
    private final JsonSchema schema;
    private final ObjectMapper mapper;

    JsonSettingsSchema(String location, String text, JsonNode root, JsonSchema schema, ObjectMapper mapper) {
        this.location = location;
        this.text = text;
        this.root = root;
        this.schema = schema;
        this.mapper = mapper;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public String text() {
        return text;
    }

    @Override
    public List<SchemaViolation> check(Map<Key, Value> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        ObjectNode document = mapper.createObjectNode();
        for (Map.Entry<Key, Value> entry : values.entrySet()) {
            List<String> segments = entry.getKey().segments();
            ObjectNode at = document;
            for (int i = 0; i < segments.size() - 1; i++) {
                JsonNode next = at.get(segments.get(i));
                at = next instanceof ObjectNode object ? object : at.putObject(segments.get(i));
            }
            at.set(segments.get(segments.size() - 1), json(entry.getValue()));
        }
        Set<ValidationMessage> messages = schema.validate(document);
        List<SchemaViolation> violations = new ArrayList<>();
        for (ValidationMessage message : messages) {
            String rule = message.getType();
            if ("required".equals(rule) || "dependentRequired".equals(rule)) {
                continue;
            }
            String key = key(message.getInstanceLocation());
            if ("additionalProperties".equals(rule) && message.getProperty() != null) {
                key = key.isEmpty() ? message.getProperty() : key + "." + message.getProperty();
            }
            violations.add(new SchemaViolation(key.isEmpty() ? "(the root)" : key, rule, error(message),
                    location + "#" + message.getSchemaLocation().getFragment()));
        }
        violations.sort((a, b) -> a.key().compareTo(b.key()));
        return violations;
    }

    private JsonNode json(Value value) {
        try {
            return mapper.readTree(value.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a value's own JSON did not parse: " + value.toJson(), e);
        }
    }

    /** The validator's explanation without the instance path it starts with. */
    private static String error(ValidationMessage message) {
        String text = message.getError() != null ? message.getError() : message.getMessage();
        String path = message.getInstanceLocation().toString();
        if (text.startsWith(path + ": ")) {
            text = text.substring(path.length() + 2);
        }
        return text;
    }

    /** {@code $.server.ports[1]} as {@code server.ports[1]}. */
    private static String key(JsonNodePath path) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            if (element instanceof Integer index) {
                key.append('[').append(index).append(']');
            } else {
                key.append(key.length() == 0 ? "" : ".").append(element);
            }
        }
        return key.toString();
    }

    @Override
    public boolean knows(Key key) {
        JsonNode at = root;
        for (String segment : key.segments()) {
            at = child(resolve(at), segment);
            if (at == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * The schema of member {@code name} of the object {@code schema} describes: from
     * {@code properties}, a matching {@code patternProperties}, or an {@code additionalProperties}
     * schema; null if the object lists its members and admits no other, or is not an object.
     */
    private JsonNode child(JsonNode schema, String name) {
        if (schema == null || !schema.isObject()) {
            return schema != null && schema.asBoolean(false) ? schema : null;
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.has(name)) {
            return properties.get(name);
        }
        JsonNode patterns = schema.get("patternProperties");
        if (patterns != null) {
            for (Iterator<String> it = patterns.fieldNames(); it.hasNext(); ) {
                String pattern = it.next();
                if (Pattern.compile(pattern).matcher(name).find()) {
                    return patterns.get(pattern);
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            return additional;
        }
        if (properties == null && patterns == null && (additional == null || additional.asBoolean(true))) {
            return schema.has("type") && !"object".equals(schema.get("type").asText()) ? null : mapper.createObjectNode();
        }
        return null;
    }

    /** Follows a local {@code $ref} ({@code #/$defs/Server}). */
    private JsonNode resolve(JsonNode schema) {
        JsonNode at = schema;
        for (int hops = 0; at != null && at.has("$ref") && hops < 16; hops++) {
            String ref = at.get("$ref").asText();
            if (!ref.startsWith("#")) {
                return at;
            }
            at = root.at(ref.substring(1));
            if (at.isMissingNode()) {
                return null;
            }
        }
        return at;
    }

    @Override
    public List<Key> keys() {
        List<Key> keys = new ArrayList<>();
        collect(root, null, keys, 0);
        return keys;
    }

    private void collect(JsonNode schema, Key at, List<Key> keys, int depth) {
        JsonNode resolved = resolve(schema);
        JsonNode properties = resolved == null ? null : resolved.get("properties");
        if (properties == null || !properties.isObject() || depth > 32) {
            if (at != null) {
                keys.add(at);
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Key child;
            try { // any property name is a key segment, quoted in the key's text when it is not bare
                child = at == null ? Key.root(field.getKey()) : at.child(field.getKey());
            } catch (dev.waterfall.config.InvalidKeyException e) {
                continue; // too long, or a lone surrogate: no key can have it
            }
            collect(field.getValue(), child, keys, depth + 1);
        }
    }

    @Override
    public Optional<String> describe(Key key) {
        JsonNode at = root;
        for (String segment : key.segments()) {
            at = child(resolve(at), segment);
            if (at == null) {
                return Optional.empty();
            }
        }
        at = resolve(at);
        if (at == null || !at.isObject()) {
            return Optional.empty();
        }
        List<String> lines = new ArrayList<>();
        for (String field : List.of("description", "type", "default", "enum", "const", "minimum", "maximum", "exclusiveMinimum",
                "exclusiveMaximum", "pattern", "format", "minLength", "maxLength")) {
            JsonNode value = at.get(field);
            if (value != null) {
                String label = field.equals("enum") ? "allowed" : field;
                lines.add(label + ": " + (value.isTextual() && !field.equals("default") ? value.asText() : value.toString()));
            }
        }
        return lines.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", lines));
    }
}
