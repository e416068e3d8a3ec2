package dev.waterfall.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.SettingsSchema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What the console shows of keys, entries and history records, as JSON: the one place where a
 * value becomes text on its way out, so the one place where the secret rule applies. A key that
 * {@linkplain SecretPolicy#looksSecret looks like a secret} has {@code "redacted": true} and its
 * type in every layer, never its value; a {@code ${secret:NAME}} value is shown as the reference
 * (it names the secret, not its value), and the secret itself is never read.
 */
final class KeyViews {

    /** What a hidden value reads as where text is shown. */
    static final String REDACTED = "<redacted>";

    private final Waterfall waterfall;
    private final JsonFactory json = new JsonFactory();

    KeyViews(Waterfall waterfall) {
        this.waterfall = waterfall;
    }

    /** Whether the values of {@code key} never leave the server. */
    static boolean redacts(Key key) {
        return SecretPolicy.looksSecret(key);
    }

    /** Writes one JSON document with {@code body}. */
    byte[] document(JsonBody body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(bytes)) {
            body.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Something that writes one JSON value. */
    interface JsonBody {
        void write(JsonGenerator generator) throws IOException;
    }

    /** The current view of {@code key}: its winner and every layer, or {@code "present": false}. */
    void key(JsonGenerator out, Key key) throws IOException {
        key(out, waterfall.explain(key), waterfall.schema());
    }

    /** Every key the layers know, against one snapshot of the store ({@link Waterfall#explainAll()}). */
    void keys(JsonGenerator out) throws IOException {
        List<Explanation> all = waterfall.explainAll();
        Optional<SettingsSchema> schema = waterfall.schema();
        out.writeArrayFieldStart("keys");
        for (Explanation explanation : all) {
            if (explanation.winner().isPresent()) {
                key(out, explanation, schema);
            }
        }
        out.writeEndArray();
    }

    private void key(JsonGenerator out, Explanation explanation, Optional<SettingsSchema> settingsSchema) throws IOException {
        Key key = explanation.key();
        boolean redacted = redacts(key);
        Optional<Resolved> winner = explanation.winner();
        out.writeStartObject();
        out.writeStringField("key", key.path());
        out.writeBooleanField("present", winner.isPresent());
        out.writeStringField("envVariable", explanation.envVariable());
        long revision = 0;
        boolean stored = false;
        boolean lower = false;
        if (winner.isPresent()) {
            Resolved resolved = winner.get();
            value(out, "value", resolved.value(), redacted);
            out.writeStringField("layer", resolved.origin().layer().label());
            out.writeStringField("origin", origin(resolved.origin().source(), resolved.origin().line()));
            SecretPolicy.reference(resolved.value()).ifPresent(name -> field(out, "secretReference", name));
        }
        out.writeArrayFieldStart("layers");
        for (Explanation.LayerValue layer : explanation.layers()) {
            if (layer.value().isEmpty()) {
                continue;
            }
            boolean wins = winner.isPresent() && winner.get().origin().layer() == layer.layer();
            stored |= layer.layer() == Layer.STORE;
            lower |= layer.layer() == Layer.SYSTEM || layer.layer() == Layer.DEFAULTS;
            out.writeStartObject();
            out.writeStringField("layer", layer.layer().label());
            out.writeStringField("origin", layer.layer() == Layer.ENV ? layer.source() : origin(layer.source(), layer.line()));
            out.writeBooleanField("wins", wins);
            Value value = wins ? winner.get().value() : layer.value().get();
            value(out, "value", value, redacted);
            out.writeEndObject();
        }
        out.writeEndArray();
        Optional<Entry> entry = winner.flatMap(Resolved::entry);
        if (entry.isEmpty() && stored) {
            entry = waterfall.store().get(key);
        }
        if (entry.isPresent()) {
            revision = entry.get().revision();
            out.writeStringField("updatedAt", entry.get().updatedAt().toString());
            out.writeStringField("updatedBy", entry.get().updatedBy().toString());
        }
        out.writeNumberField("revision", revision);
        out.writeBooleanField("stored", stored);
        out.writeBooleanField("envOverrides", winner.isPresent() && winner.get().origin().layer() == Layer.ENV);
        out.writeBooleanField("hasLower", lower);
        out.writeBooleanField("secret", redacted);
        Optional<String> schema = settingsSchema.flatMap(found -> found.describe(key));
        if (schema.isPresent()) {
            out.writeStringField("schema", schema.get());
        }
        out.writeEndObject();
    }

    /** One recorded change. */
    void record(JsonGenerator out, HistoryRecord record) throws IOException {
        boolean redacted = redacts(record.key());
        out.writeStartObject();
        out.writeNumberField("revision", record.revision());
        out.writeStringField("at", record.at().toString());
        out.writeStringField("by", record.by().toString());
        out.writeBooleanField("external", record.by().isExternal());
        out.writeStringField("key", record.key().path());
        if (record.oldValue().isPresent()) {
            value(out, "old", record.oldValue().get(), redacted);
        }
        if (record.newValue().isPresent()) {
            value(out, "new", record.newValue().get(), redacted);
        }
        out.writeEndObject();
    }

    /** {@code name: {"json": ..., "type": ...}} or {@code name: {"redacted": true, "type": ...}}. */
    static void value(JsonGenerator out, String name, Value value, boolean redacted) throws IOException {
        out.writeObjectFieldStart(name);
        out.writeStringField("type", value.type().label());
        if (redacted && SecretPolicy.reference(value).isEmpty()) {
            out.writeBooleanField("redacted", true);
        } else {
            out.writeStringField("json", value.toJson());
        }
        out.writeEndObject();
    }

    /** Who did something, as the page shows it. */
    static String actor(Actor actor) {
        return actor.toString();
    }

    private static String origin(String source, int line) {
        return line > 0 ? source + ":" + line : source;
    }

    private static void field(JsonGenerator out, String name, String text) {
        try {
            out.writeStringField(name, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
