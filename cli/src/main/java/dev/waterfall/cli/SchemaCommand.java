package dev.waterfall.cli;

import dev.waterfall.config.Key;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.SettingsSchema;
import picocli.CommandLine.Command;

import java.util.Optional;

/**
 * {@code waterfall schema}: prints the application's settings schema, so that editors can validate
 * and complete the user's file (VS Code's {@code $schema}, Taplo for TOML).
 */
@Command(name = "schema",
        description = {
            "Prints the settings schema given by --schema FILE or <PREFIX>_SCHEMA (JSON Schema, draft 2020-12), "
                    + "for an editor to validate and complete the configuration file with.",
            "Exits with 1 when no schema is given.",
        })
final class SchemaCommand extends WaterfallCommand {

    @Override
    public Integer call() {
        try (Waterfall waterfall = open()) {
            Optional<SettingsSchema> schema = waterfall.schema();
            if (schema.isEmpty()) {
                throw new NotFoundException("no settings schema is given: pass --schema FILE or set " + waterfall.envPrefix() + "_SCHEMA");
            }
            String text = schema.get().text();
            out().print(text.endsWith("\n") ? text : text + "\n");
            out().flush();
        }
        return ExitCodes.OK;
    }

    /** What the schema says of {@code key}, for {@code explain}; empty without a schema. */
    static Optional<String> describe(Waterfall waterfall, Key key) {
        return waterfall.schema().flatMap(schema -> schema.describe(key));
    }
}
