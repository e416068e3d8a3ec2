package dev.waterfall.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import dev.waterfall.config.Actor;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.BooleanValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.Entry;
import dev.waterfall.config.NullValue;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} output: one pretty-printed JSON document per command, written with Jackson's
 * streaming generator. The shapes are API (documented in docs/cli.md); fields are added, never
 * renamed or removed.
 */
final class JsonOutput implements AutoCloseable {

    private final PrintWriter out;
    private final JsonGenerator generator;

    JsonOutput(PrintWriter out) {
        this(out, true);
    }

    private JsonOutput(PrintWriter out, boolean pretty) {
        this.out = out;
        try {
            this.generator = new JsonFactory().createGenerator(out)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!pretty) {
            return;
        }
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        generator.setPrettyPrinter(new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter));
    }

    /** Runs {@code body} against a generator, ending the document with a newline. */
    static void write(PrintWriter out, Body body) {
        try (JsonOutput json = new JsonOutput(out)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code body} against a generator that writes one compact line, for a stream of documents (NDJSON). */
    static void writeLine(PrintWriter out, Body body) {
        try (JsonOutput json = new JsonOutput(out, false)) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What writes one document. */
    @FunctionalInterface
    interface Body {
        void write(JsonOutput json) throws IOException;
    }

    JsonGenerator generator() {
        return generator;
    }

    void startObject() throws IOException {
        generator.writeStartObject();
    }

    void endObject() throws IOException {
        generator.writeEndObject();
    }

    void startArray(String field) throws IOException {
        generator.writeArrayFieldStart(field);
    }

    void startArray() throws IOException {
        generator.writeStartArray();
    }

    void endArray() throws IOException {
        generator.writeEndArray();
    }

    void field(String name, String text) throws IOException {
        generator.writeStringField(name, text);
    }

    void field(String name, long number) throws IOException {
        generator.writeNumberField(name, number);
    }

    void field(String name, boolean bool) throws IOException {
        generator.writeBooleanField(name, bool);
    }

    void field(String name, Instant instant) throws IOException {
        generator.writeStringField(name, instant.toString());
    }

    void nullField(String name) throws IOException {
        generator.writeNullField(name);
    }

    /** {@code "value": <the value>, "type": "<label>"}. */
    void valueFields(Value value) throws IOException {
        generator.writeFieldName("value");
        value(value);
        generator.writeStringField("type", value.type().label());
    }

    /** {@code name: {"value": ..., "type": ...}}, or {@code name: null} when absent. */
    void typedValueField(String name, Optional<Value> value) throws IOException {
        if (value.isEmpty()) {
            generator.writeNullField(name);
            return;
        }
        generator.writeObjectFieldStart(name);
        valueFields(value.get());
        generator.writeEndObject();
    }

    /** A value as JSON; date-times as their ISO-8601 text (the type field says which kind). */
    void value(Value value) throws IOException {
        if (value instanceof StringValue string) {
            generator.writeString(string.value());
        } else if (value instanceof NumberValue) {
            generator.writeRawValue(value.toJson());
        } else if (value instanceof BooleanValue bool) {
            generator.writeBoolean(bool.value());
        } else if (value instanceof NullValue) {
            generator.writeNull();
        } else if (value instanceof ArrayValue array) {
            generator.writeStartArray();
            for (Value item : array.items()) {
                value(item);
            }
            generator.writeEndArray();
        } else if (value instanceof TableValue table) {
            generator.writeStartObject();
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                generator.writeFieldName(member.getKey());
                value(member.getValue());
            }
            generator.writeEndObject();
        } else if (value instanceof DateTimeValue dateTime) {
            generator.writeString(dateTime.text());
        } else {
            generator.writeRawValue(value.toJson());
        }
    }

    /** {@code "origin": {"layer": "store", "source": "...", "line": 3}}. */
    void originField(Origin origin) throws IOException {
        generator.writeObjectFieldStart("origin");
        generator.writeStringField("layer", origin.layer().label());
        generator.writeStringField("source", origin.source());
        generator.writeNumberField("line", origin.line());
        if (!origin.profile().isEmpty()) {
            generator.writeStringField("profile", origin.profile());
        }
        generator.writeEndObject();
    }

    /** {@code name: {"surface": "cli", "user": ..., "host": ..., "pid": ...}}. */
    void actorField(String name, Actor actor) throws IOException {
        generator.writeObjectFieldStart(name);
        generator.writeStringField("surface", actor.surface());
        generator.writeStringField("user", actor.user());
        generator.writeStringField("host", actor.host());
        generator.writeNumberField("pid", actor.pid());
        generator.writeEndObject();
    }

    /** {@code "revision", "updatedAt", "updatedBy"} of a stored entry. */
    void entryFields(Entry entry) throws IOException {
        generator.writeNumberField("revision", entry.revision());
        generator.writeStringField("updatedAt", entry.updatedAt().toString());
        actorField("updatedBy", entry.updatedBy());
    }

    /**
     * A resolved key as an object: key, value, type, origin, and the store entry's revision,
     * updatedAt and updatedBy when the store supplied the value.
     */
    void resolved(Resolved resolved) throws IOException {
        resolved(resolved, false);
    }

    /** As {@link #resolved(Resolved)}; a redacted value is left out, its type kept, and {@code "redacted": true} said. */
    void resolved(Resolved resolved, boolean redacted) throws IOException {
        generator.writeStartObject();
        generator.writeStringField("key", resolved.key().path());
        if (redacted) {
            generator.writeBooleanField("redacted", true);
            generator.writeStringField("type", resolved.value().type().label());
        } else {
            valueFields(resolved.value());
            if (resolved.expansion().isPresent()) {
                generator.writeStringField("raw", ((dev.waterfall.config.StringValue) resolved.raw()).value());
            }
        }
        originField(resolved.origin());
        if (resolved.entry().isPresent()) {
            entryFields(resolved.entry().get());
        }
        generator.writeEndObject();
    }

    @Override
    public void close() throws IOException {
        generator.close();
        out.println();
        out.flush();
    }
}
