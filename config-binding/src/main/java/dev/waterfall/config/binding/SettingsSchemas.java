package dev.waterfall.config.binding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationModule;
import com.github.victools.jsonschema.module.jakarta.validation.JakartaValidationOption;

import java.lang.reflect.Type;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * A JSON Schema (draft 2020-12) generated from the types an application binds, with victools'
 * jsonschema-generator, the maintained generator that reads Jackson's names and
 * {@code @JsonPropertyDescription} and Jakarta Validation's bounds: what {@link Binder} accepts,
 * written down for {@code Waterfall.builder(..).schema(..)}, {@code waterfall schema} and editors.
 *
 * <pre>{@code
 * Files.writeString(Path.of("settings.schema.json"), SettingsSchemas.generate(Settings.class));
 * }</pre>
 *
 * <p>The property names are the components' names ({@code maxRetries}); a file that spells them
 * {@code max-retries} binds but is reported by {@code doctor} as holding a key the schema does not
 * know. Durations are strings ({@code 30s}, {@code PT30S}); dates and URIs strings with their format.
 */
public final class SettingsSchemas {

    private SettingsSchemas() {
    }

    /** The schema of {@code type} as pretty-printed JSON text. */
    public static String generate(Type type) {
        return schema(type).toPrettyString() + "\n";
    }

    /** The schema of {@code type} as a tree. */
    public static ObjectNode schema(Type type) {
        SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(new JakartaValidationModule(JakartaValidationOption.INCLUDE_PATTERN_EXPRESSIONS))
                .with(Option.FLATTENED_OPTIONALS);
        config.forTypesInGeneral().withCustomDefinitionProvider((javaType, context) -> {
            Class<?> raw = javaType.getErasedType();
            String format = raw == Instant.class || raw == OffsetDateTime.class ? "date-time" : raw == LocalDate.class ? "date" : null;
            if (raw == Duration.class || raw == Path.class || format != null) {
                ObjectNode node = context.getGeneratorConfig().createObjectNode().put("type", "string");
                if (format != null) {
                    node.put("format", format);
                }
                if (raw == Duration.class) {
                    node.put("pattern", "^\\s*([+-]?[Pp].*|[+-]?(\\d+(\\.\\d+)?(d|h|m|min|s|ms|us|µs|ns))+)\\s*$");
                }
                return new com.github.victools.jsonschema.generator.CustomDefinition(node, true);
            }
            return null;
        });
        ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(type);
        return schema;
    }
}
