package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings schema on the command line: {@code --schema FILE} or {@code WATERFALL_SCHEMA}. */
class SchemaCommandTest {

    static final String SCHEMA = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "type": "object",
              "properties": {
                "server": {
                  "type": "object",
                  "additionalProperties": false,
                  "properties": {
                    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "description": "The TCP port", "default": 8080}
                  }
                }
              }
            }
            """;

    @TempDir
    Path home;

    Cli cli;
    Path schema;

    @BeforeEach
    void setUp() throws IOException {
        cli = new Cli(home);
        schema = Files.writeString(home.resolve("settings.schema.json"), SCHEMA);
    }

    @Test
    void set_aValueTheSchemaRejects_exits2_namingTheRuleAndTheSchemaLocation_andWritesNothing() {
        Cli.Result refused = cli.run("set", "server.port", "70000", "--schema", schema.toString());

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains("refusing to set server.port to 70000")
                .contains("breaks \"maximum\" (must have a maximum value of 65535) at " + schema + "#/properties/server/properties/port/maximum")
                .doesNotContain("\tat ");
        assertThat(Files.exists(cli.defaultStore())).isFalse();

        cli.env("WATERFALL_SCHEMA", schema.toString());
        Cli.Result typo = cli.run("set", "server.prot", "80");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(2);
        assertThat(typo.err()).contains("server.prot: breaks \"additionalProperties\"");

        Cli.Result accepted = cli.run("set", "server.port", "8443");
        assertThat(accepted.exitCode()).as(accepted.toString()).isZero();
    }

    @Test
    void schema_printsTheSchema_explainShowsWhatItSaysOfTheKey_doctorFindsAWrongValue() throws IOException {
        Cli.Result printed = cli.run("schema", "--schema", schema.toString());
        assertThat(printed.exitCode()).as(printed.toString()).isZero();
        assertThat(printed.out()).isEqualTo(SCHEMA);

        Cli.Result explained = cli.run("explain", "server.port", "--schema", schema.toString());
        assertThat(explained.out()).contains("schema    description: The TCP port\n", "schema    type: integer\n", "schema    default: 8080\n",
                "schema    minimum: 1\n", "schema    maximum: 65535\n");

        Files.createDirectories(cli.defaultStore().getParent());
        Files.writeString(cli.defaultStore(), "{\n  \"server\": {\n    \"port\": \"eighty\"\n  }\n}\n");
        Cli.Result doctor = cli.run("doctor", "--schema", schema.toString());
        assertThat(doctor.out() + doctor.err()).contains("server.port: breaks \"type\" (string found, integer expected) at " + schema
                + "#/properties/server/properties/port/type");

        Cli.Result none = cli.run("schema");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("no settings schema is given: pass --schema FILE or set WATERFALL_SCHEMA");
    }
}
