package dev.waterfall.ndjson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.InvalidKeyException;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.engine.Revisions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lines of an NDJSON store's change log, read and written. Each line is one JSON object:
 *
 * <pre>
 * {"rev":7,"at":"2026-11-26T19:50:01.123Z","by":{"surface":"cli","user":"ana","host":"desk","pid":4242},
 *  "changes":[{"key":"server.port","value":8080},{"key":"old.flag","unset":true}]}
 * {"rev":9,"at":"…","by":{…},"snapshot":[{"key":"a","value":1,"rev":3,"at":"…","by":{…}}, …]}
 * </pre>
 *
 * A {@code changes} line is one commit: its changes apply in order, at store revision {@code rev}.
 * A {@code snapshot} line (written by compaction and by {@code loadCopy}) replaces the whole state
 * with its entries, each with its own revision, time and author. A value that JSON alone cannot say
 * (a date-time, {@code inf}, {@code nan}) carries its {@linkplain dev.waterfall.config.ValueType#label()
 * type label} in {@code "type"}. {@code "by"} may be left out (an external change). Members the
 * format does not know are skipped, so later versions may add some.
 *
 * <p>Thread-safe.
 */
final class LogFormat {

    /** One line of the log. */
    sealed interface Line permits Changes, Base {
        long revision();

        Instant at();

        Actor by();
    }

    /** A commit: {@code changes} in order, at store revision {@code revision}. */
    record Changes(long revision, Instant at, Actor by, List<KeyChange> changes) implements Line {
    }

    /** A snapshot of every entry, the store then being at {@code revision}. */
    record Base(long revision, Instant at, Actor by, List<Entry> entries) implements Line {
    }

    /** One key's change in a commit: its new value, or empty for an unset. */
    record KeyChange(Key key, Optional<Value> value) {
    }

    private final JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    // ---------------------------------------------------------------- writing

    /** The line of a commit, ending in a newline. */
    byte[] changes(long revision, Instant at, Actor by, List<KeyChange> changes) {
        StringBuilder out = head(revision, at, by).append(",\"changes\":[");
        boolean first = true;
        for (KeyChange change : changes) {
            out.append(first ? "" : ",").append("{\"key\":");
            first = false;
            JsonValues.appendString(change.key().path(), false, out);
            if (change.value().isPresent()) {
                value(change.value().get(), out);
            } else {
                out.append(",\"unset\":true");
            }
            out.append('}');
        }
        return end(out.append(']'));
    }

    /** The line of a snapshot of {@code entries}, ending in a newline. */
    byte[] base(long revision, Instant at, Actor by, List<Entry> entries) {
        StringBuilder out = head(revision, at, by).append(",\"snapshot\":[");
        boolean first = true;
        for (Entry entry : entries) {
            out.append(first ? "" : ",").append("{\"key\":");
            first = false;
            JsonValues.appendString(entry.key().path(), false, out);
            value(entry.value(), out);
            out.append(",\"rev\":").append(entry.revision()).append(",\"at\":\"").append(entry.updatedAt()).append('"');
            actor(entry.updatedBy(), out);
            out.append('}');
        }
        return end(out.append(']'));
    }

    private static StringBuilder head(long revision, Instant at, Actor by) {
        StringBuilder out = new StringBuilder(128).append("{\"rev\":").append(revision).append(",\"at\":\"").append(at).append('"');
        actor(by, out);
        return out;
    }

    private static void actor(Actor by, StringBuilder out) {
        if (by.isExternal()) {
            return; // the default when "by" is left out
        }
        out.append(",\"by\":{\"surface\":");
        JsonValues.appendString(by.surface(), false, out);
        out.append(",\"user\":");
        JsonValues.appendString(by.user(), false, out);
        out.append(",\"host\":");
        JsonValues.appendString(by.host(), false, out);
        out.append(",\"pid\":").append(by.pid()).append('}');
    }

    private static void value(Value value, StringBuilder out) {
        out.append(",\"value\":");
        JsonValues.write(value, false, out);
        String type = JsonValues.typeTag(value);
        if (type != null) {
            out.append(",\"type\":\"").append(type).append('"');
        }
    }

    private static byte[] end(StringBuilder out) {
        return out.append("}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reading

    /**
     * Parses the line {@code text[start, end)} (without its newline).
     *
     * @param number the line's 1-based number, for errors
     * @param source the file, for errors
     * @throws StoreBrokenException naming the file, line and column if the line is not a log record
     */
    Line parse(byte[] text, int start, int end, int number, String source) {
        JsonParser opened = null;
        try (JsonParser parser = factory.createParser(text, start, end - start)) {
            opened = parser;
            Reader reader = new Reader(parser, number, source);
            Line line = reader.line();
            if (parser.nextToken() != null) {
                throw reader.broken("text after the record; each line holds one JSON object");
            }
            return line;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String message = dev.waterfall.config.spi.Echo.parserMessage(e.getOriginalMessage());
            throw new StoreBrokenException(source, number, at == null ? 0 : at.getColumnNr(),
                    "not a JSON object (" + message + ")" + REPAIR, e);
        } catch (IOException e) {
            JsonLocation at = opened == null ? null : opened.currentLocation();
            throw new StoreBrokenException(source, number, at == null || at.getColumnNr() < 1 ? 1 : at.getColumnNr(),
                    "unreadable line: " + e.getMessage() + REPAIR, e);
        }
    }

    /**
     * The 1-based column (in bytes, as the parser counts) of {@code needle}'s first occurrence in
     * the line {@code text[start, end)}, or 1 (the record) when it is not there as written: for
     * errors about a whole record's member, found after the line parsed.
     */
    static int columnOf(byte[] text, int start, int end, String needle) {
        byte[] wanted = needle.getBytes(StandardCharsets.UTF_8);
        for (int i = start; i + wanted.length <= end; i++) {
            if (java.util.Arrays.equals(text, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i - start + 1;
            }
        }
        return 1;
    }

    /** {@link #columnOf} of the member {@code "key":"<key>"} as this format writes it. */
    static int keyColumn(byte[] text, int start, int end, Key key) {
        StringBuilder written = new StringBuilder();
        JsonValues.appendString(key.path(), false, written);
        return columnOf(text, start, end, written.toString());
    }

    /** What a broken line's message says to do. */
    static final String REPAIR = "; fix or remove that line by hand (Waterfall never drops a record itself)";

    /** Reads one line's object, with the parser, its line number and file at hand for errors. */
    private static final class Reader {
        private final JsonParser parser;
        private final int number;
        private final String source;

        Reader(JsonParser parser, int number, String source) {
            this.parser = parser;
            this.number = number;
            this.source = source;
        }

        StoreBrokenException broken(String problem) {
            return new StoreBrokenException(source, number, parser.currentTokenLocation().getColumnNr(), problem + REPAIR);
        }

        Line line() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw broken("a record is a JSON object");
            }
            long revision = -1;
            Instant at = null;
            Actor by = Actor.EXTERNAL;
            List<KeyChange> changes = null;
            List<Entry> snapshot = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                switch (name) {
                    case "rev" -> revision = revision();
                    case "at" -> at = instant();
                    case "by" -> by = actor();
                    case "changes" -> changes = changes();
                    case "snapshot" -> snapshot = snapshot();
                    default -> parser.skipChildren();
                }
            }
            if (revision < 0) {
                throw broken("the record has no \"rev\" (its store revision, a whole number from 1)");
            }
            if (at == null) {
                throw broken("the record has no \"at\" (its UTC time, e.g. \"2026-11-26T19:50:01Z\")");
            }
            if ((changes == null) == (snapshot == null)) {
                throw broken("a record holds either \"changes\" or \"snapshot\"");
            }
            if (changes != null) {
                return new Changes(revision, at, by, changes);
            }
            for (Entry entry : snapshot) {
                if (entry.revision() > revision) {
                    throw broken("the snapshot's entry " + entry.key() + " has revision " + entry.revision() + ", above the snapshot's " + revision);
                }
            }
            return new Base(revision, at, by, snapshot);
        }

        private long revision() throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                    && parser.getNumberType() != JsonParser.NumberType.LONG || !Revisions.inRange(parser.getLongValue())) {
                throw broken("\"rev\" must be a whole number from 1 to " + Entry.MAX_REVISION + " (2^53-1), not " + parser.getText());
            }
            return parser.getLongValue();
        }

        private Instant instant() throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw broken("\"at\" must be a UTC time as text, e.g. \"2026-11-26T19:50:01Z\"");
            }
            try {
                return Instant.parse(parser.getText());
            } catch (DateTimeParseException e) {
                throw broken("\"at\" must be a UTC time such as \"2026-11-26T19:50:01Z\", not \"" + parser.getText() + "\"");
            }
        }

        private Actor actor() throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw broken("\"by\" must be an object: {\"surface\":…,\"user\":…,\"host\":…,\"pid\":…}");
            }
            String surface = null;
            String user = null;
            String host = null;
            long pid = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "surface", "user", "host" -> {
                        if (token != JsonToken.VALUE_STRING) {
                            throw broken("\"by\"." + name + " must be text");
                        }
                        String text = parser.getText();
                        switch (name) {
                            case "surface" -> surface = text;
                            case "user" -> user = text;
                            default -> host = text;
                        }
                    }
                    case "pid" -> {
                        if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                            throw broken("\"by\".pid must be a whole number");
                        }
                        pid = parser.getLongValue();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (surface == null || user == null || host == null || pid < 0) {
                throw broken("\"by\" needs \"surface\", \"user\", \"host\" and \"pid\"");
            }
            return new Actor(surface, user, host, pid);
        }

        private List<KeyChange> changes() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw broken("\"changes\" must be an array of {\"key\":…,\"value\":…} or {\"key\":…,\"unset\":true}");
            }
            List<KeyChange> changes = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Member member = member(false);
                if (member.unset == (member.value != null)) {
                    throw broken("the change of " + member.key + " needs either \"value\" or \"unset\":true");
                }
                changes.add(new KeyChange(member.key, Optional.ofNullable(member.value)));
            }
            if (changes.isEmpty()) {
                throw broken("\"changes\" is empty; a record changes at least one key");
            }
            return changes;
        }

        private List<Entry> snapshot() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw broken("\"snapshot\" must be an array of entries");
            }
            List<Entry> entries = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                Member member = member(true);
                if (member.value == null || member.revision < 1 || member.at == null) {
                    throw broken("the snapshot's entry " + member.key + " needs \"value\", \"rev\" and \"at\"");
                }
                entries.add(new Entry(member.key, member.value, member.revision, member.at, member.by, number));
            }
            return entries;
        }

        /** The fields of a change or a snapshot entry. */
        private static final class Member {
            Key key;
            Value value;
            boolean unset;
            long revision;
            Instant at;
            Actor by = Actor.EXTERNAL;
        }

        private Member member(boolean entry) throws IOException {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw broken(entry ? "a snapshot entry is an object" : "a change is an object");
            }
            Member member = new Member();
            String type = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "key" -> {
                        if (token != JsonToken.VALUE_STRING) {
                            throw broken("\"key\" must be text");
                        }
                        try {
                            member.key = Key.of(parser.getText());
                        } catch (InvalidKeyException e) {
                            throw broken(e.getMessage());
                        }
                    }
                    case "value" -> {
                        try {
                            member.value = JsonValues.readCurrent(parser);
                        } catch (InvalidValueException e) {
                            throw broken(e.getMessage());
                        }
                    }
                    case "type" -> {
                        if (token != JsonToken.VALUE_STRING) {
                            throw broken("\"type\" must be a type label such as \"datetime\"");
                        }
                        type = parser.getText();
                    }
                    case "unset" -> {
                        if (token != JsonToken.VALUE_TRUE || entry) {
                            throw broken(entry ? "a snapshot entry cannot be unset" : "\"unset\" can only be true");
                        }
                        member.unset = true;
                    }
                    case "rev" -> {
                        if (!entry) {
                            parser.skipChildren();
                        } else {
                            member.revision = revision();
                        }
                    }
                    case "at" -> {
                        if (!entry) {
                            parser.skipChildren();
                        } else {
                            member.at = instant();
                        }
                    }
                    case "by" -> {
                        if (!entry) {
                            parser.skipChildren();
                        } else {
                            member.by = actor();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (member.key == null) {
                throw broken(entry ? "a snapshot entry has no \"key\"" : "a change has no \"key\"");
            }
            if (member.value != null && type != null) {
                try {
                    member.value = JsonValues.retype(member.value, type);
                } catch (InvalidValueException e) { // a value that does not fit its label, or a label no type has
                    throw broken("the value of " + member.key + ": " + e.getMessage());
                }
            }
            return member;
        }
    }
}
