package dev.waterfall.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Key;
import dev.waterfall.config.engine.JsonValues;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata snapshot {@code <file>.meta.json}: per key the revision, time and author of its last
 * change plus a fingerprint of its value, the store revision, and the SHA-256 of the data file as of
 * that revision. It is a compaction of the history (the history's commit lines carry the same facts
 * write by write), rewritten only every so many writes, so a reader loads it plus the short
 * history tail after {@code historyOffset}.
 *
 * <pre>{@code
 * {"format":1,"revision":57,"dataSha256":"…","historyFile":"(dev=803,ino=1234)","historyOffset":40960,
 *  "actors":[{"surface":"cli","user":"u","host":"h","pid":7}],
 *  "entries":{"plant.name":[12,"2026-11-26T07:00:00.123Z",0,"a1b2c3d4e5f6a7b8"]}}
 * }</pre>
 * The actor index {@code -1} means {@link Actor#EXTERNAL}. The history position is a hint: when the
 * history file is not the one named, the whole history is scanned for records after
 * {@code revision}.
 *
 * @param revision      the store revision
 * @param dataSha256    the SHA-256 of the data file at that revision; empty when none
 * @param entries       per key metadata
 * @param historyFile   the identity of the history file the offset belongs to, or empty
 * @param historyOffset where in that history file the records after this snapshot begin
 */
public record Meta(long revision, String dataSha256, Map<Key, KeyMeta> entries, String historyFile, long historyOffset) {

    /** The only format version written so far. */
    public static final int FORMAT = 1;

    /** Metadata of a store that has never been written. */
    public static final Meta EMPTY = new Meta(0, "", Map.of(), "", 0);

    /**
     * @param revision  the store revision of the key's last change
     * @param updatedAt when
     * @param updatedBy who
     * @param valueHash the value's fingerprint ({@link Hashes#valueHash})
     */
    public record KeyMeta(long revision, Instant updatedAt, Actor updatedBy, String valueHash) {
    }

    public Meta {
        entries = Collections.unmodifiableMap(new HashMap<>(entries));
    }

    /**
     * Parses a sidecar.
     *
     * @throws IOException if it is not a sidecar of a known format
     */
    public static Meta parse(byte[] content, JsonFactory factory) throws IOException {
        long revision = -1;
        String dataSha = "";
        String historyFile = "";
        long historyOffset = 0;
        List<Actor> actors = new ArrayList<>();
        Map<Key, KeyMeta> entries = new HashMap<>();
        List<Object[]> raw = new ArrayList<>();
        try (JsonParser parser = factory.createParser(content)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "format" -> {
                        if (parser.getIntValue() != FORMAT) {
                            throw new IOException("metadata format " + parser.getText() + " is newer than this Waterfall understands");
                        }
                    }
                    case "revision" -> revision = parser.getLongValue();
                    case "dataSha256" -> dataSha = parser.getText();
                    case "historyFile" -> historyFile = parser.getText();
                    case "historyOffset" -> historyOffset = parser.getLongValue();
                    case "actors" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            actors.add(readActor(parser));
                        }
                    }
                    case "entries" -> {
                        expect(value, JsonToken.START_OBJECT);
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String key = parser.currentName();
                            expect(parser.nextToken(), JsonToken.START_ARRAY);
                            parser.nextToken();
                            long keyRevision = parser.getLongValue();
                            parser.nextToken();
                            String at = parser.getText();
                            parser.nextToken();
                            int actor = parser.getIntValue();
                            parser.nextToken();
                            String hash = parser.getText();
                            expect(parser.nextToken(), JsonToken.END_ARRAY);
                            raw.add(new Object[] {key, keyRevision, at, actor, hash});
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed metadata: " + e.getMessage(), e);
        }
        if (revision < 0) {
            throw new IOException("metadata without a revision");
        }
        if (revision > dev.waterfall.config.Entry.MAX_REVISION) {
            throw new IOException("metadata at revision " + revision + ", above the highest Waterfall assigns (it was not written by Waterfall)");
        }
        try {
            for (Object[] entry : raw) {
                if (!dev.waterfall.config.engine.Revisions.inRange((Long) entry[1]) || (Long) entry[1] > revision) {
                    throw new IOException("metadata of " + entry[0] + " at revision " + entry[1] + ", outside 1.." + revision);
                }
                int actorIndex = (Integer) entry[3];
                Actor actor = actorIndex < 0 ? Actor.EXTERNAL : actors.get(actorIndex);
                entries.put(Key.of((String) entry[0]), new KeyMeta((Long) entry[1], Instant.parse((String) entry[2]), actor, (String) entry[4]));
            }
        } catch (RuntimeException e) {
            throw new IOException("malformed metadata: " + e.getMessage(), e);
        }
        return new Meta(revision, dataSha, entries, historyFile, historyOffset);
    }

    /** Reads an actor object; the parser is at its START_OBJECT and ends at its END_OBJECT. */
    static Actor readActor(JsonParser parser) throws IOException {
        String surface = "";
        String user = "";
        String host = "";
        long pid = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "surface" -> surface = parser.getText();
                case "user" -> user = parser.getText();
                case "host" -> host = parser.getText();
                case "pid" -> pid = parser.getLongValue();
                default -> parser.skipChildren();
            }
        }
        return new Actor(surface, user, host, pid);
    }

    /** Appends an actor as a JSON object. */
    static void writeActor(Actor actor, StringBuilder out) {
        out.append("{\"surface\":");
        JsonValues.appendString(actor.surface(), false, out);
        out.append(",\"user\":");
        JsonValues.appendString(actor.user(), false, out);
        out.append(",\"host\":");
        JsonValues.appendString(actor.host(), false, out);
        out.append(",\"pid\":").append(actor.pid()).append('}');
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    /** This metadata as sidecar bytes. */
    public byte[] render() {
        Map<Actor, Integer> actorIndex = new LinkedHashMap<>();
        StringBuilder entriesJson = new StringBuilder(entries.size() * 64);
        boolean first = true;
        for (Map.Entry<Key, KeyMeta> entry : new java.util.TreeMap<>(entries).entrySet()) {
            KeyMeta meta = entry.getValue();
            int actor = meta.updatedBy().isExternal() ? -1 : actorIndex.computeIfAbsent(meta.updatedBy(), a -> actorIndex.size());
            entriesJson.append(first ? "\n " : ",\n ");
            first = false;
            JsonValues.appendString(entry.getKey().path(), false, entriesJson);
            entriesJson.append(":[").append(meta.revision()).append(",\"").append(meta.updatedAt()).append("\",")
                    .append(actor).append(",\"").append(meta.valueHash()).append("\"]");
        }
        StringBuilder out = new StringBuilder(entriesJson.length() + 256);
        out.append("{\"format\":").append(FORMAT).append(",\"revision\":").append(revision)
                .append(",\"dataSha256\":\"").append(dataSha256).append("\",\"historyFile\":");
        JsonValues.appendString(historyFile, false, out);
        out.append(",\"historyOffset\":").append(historyOffset).append(",\n\"actors\":[");
        boolean firstActor = true;
        for (Actor actor : actorIndex.keySet()) {
            if (!firstActor) {
                out.append(',');
            }
            firstActor = false;
            writeActor(actor, out);
        }
        out.append("],\n\"entries\":{").append(entriesJson).append("\n}}\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
