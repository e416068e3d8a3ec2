package dev.waterfall.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.Actor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.spi.JsonValues;
import dev.waterfall.file.AtomicFile;
import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The history sidecar {@code <file>.history.ndjson}: one JSON object per line and per changed key,
 * appended under the store's lock after each write's commit point.
 *
 * <pre>{@code
 * {"rev":58,"at":"2026-11-26T07:00:00.123Z","by":{"surface":"cli","user":"u","host":"h","pid":7},"key":"port","old":8080,"new":9090}
 * }</pre>
 * {@code old} or {@code new} is missing when the key was absent before or after; {@code "by":"external"}
 * marks a change found rather than made; {@code oldType}/{@code newType} restore a date-time or
 * non-finite number. A line that does not parse (a torn last line after a power cut) is skipped
 * with a warning: the history is a record, the data file is the truth.
 */
public final class HistoryLog {

    private static final System.Logger LOG = System.getLogger(HistoryLog.class.getName());

    private final Path file;
    private final FileOps ops;
    private final JsonFactory factory;

    public HistoryLog(Path file, FileOps ops, JsonFactory factory) {
        this.file = file;
        this.ops = ops;
        this.factory = factory;
    }

    /** The history file. */
    public Path file() {
        return file;
    }

    /** Appends records, one line each. */
    public void append(List<HistoryRecord> records) throws IOException {
        if (records.isEmpty()) {
            return;
        }
        StringBuilder out = new StringBuilder(records.size() * 160);
        for (HistoryRecord record : records) {
            render(record, out);
            out.append('\n');
        }
        ops.append(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    static void render(HistoryRecord record, StringBuilder out) {
        out.append("{\"rev\":").append(record.revision()).append(",\"at\":\"").append(record.at()).append("\",\"by\":");
        if (record.by().isExternal()) {
            out.append("\"external\"");
        } else {
            Meta.writeActor(record.by(), out);
        }
        out.append(",\"key\":");
        JsonValues.appendString(record.key().path(), false, out);
        value("old", record.oldValue(), out);
        value("new", record.newValue(), out);
        out.append('}');
    }

    private static void value(String name, Optional<Value> value, StringBuilder out) {
        if (value.isEmpty()) {
            return;
        }
        out.append(",\"").append(name).append("\":");
        JsonValues.write(value.get(), false, out);
        String tag = JsonValues.typeTag(value.get());
        if (tag != null) {
            out.append(",\"").append(name).append("Type\":\"").append(tag).append('"');
        }
    }

    /** The records matching {@code query}, newest first. */
    public List<HistoryRecord> read(HistoryQuery query) throws IOException {
        Deque<HistoryRecord> newest = new ArrayDeque<>();
        for (HistoryRecord record : readAll()) {
            if (query.matches(record.key())) {
                newest.addFirst(record);
                if (newest.size() > query.limit()) {
                    newest.removeLast();
                }
            }
        }
        return List.copyOf(newest);
    }

    /** Every readable record, oldest first. */
    public List<HistoryRecord> readAll() throws IOException {
        byte[] content;
        try {
            content = ops.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<HistoryRecord> records = new ArrayList<>();
        int start = 0;
        int lineNumber = 0;
        for (int i = 0; i <= content.length; i++) {
            if (i == content.length || content[i] == '\n') {
                lineNumber++;
                if (i > start) {
                    try {
                        records.add(parse(content, start, i - start));
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, file + ":" + lineNumber + ": skipping a history line that does not parse: " + e.getMessage());
                    }
                }
                start = i + 1;
            }
        }
        return records;
    }

    private HistoryRecord parse(byte[] content, int offset, int length) throws IOException {
        long revision = -1;
        Instant at = null;
        Actor by = null;
        Key key = null;
        Value oldValue = null;
        Value newValue = null;
        String oldType = null;
        String newType = null;
        try (JsonParser parser = factory.createParser(content, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "rev" -> revision = parser.getLongValue();
                    case "at" -> at = Instant.parse(parser.getText());
                    case "by" -> by = token == JsonToken.START_OBJECT ? Meta.readActor(parser) : Actor.EXTERNAL;
                    case "key" -> key = Key.of(parser.getText());
                    case "old" -> oldValue = JsonValues.readCurrent(parser);
                    case "new" -> newValue = JsonValues.readCurrent(parser);
                    case "oldType" -> oldType = parser.getText();
                    case "newType" -> newType = parser.getText();
                    default -> parser.skipChildren();
                }
            }
        }
        if (revision < 0 || at == null || by == null || key == null) {
            throw new IOException("a history record needs rev, at, by and key");
        }
        return new HistoryRecord(revision, at, by, key,
                Optional.ofNullable(oldValue == null ? null : JsonValues.retype(oldValue, oldType)),
                Optional.ofNullable(newValue == null ? null : JsonValues.retype(newValue, newType)));
    }

    /**
     * Keeps the history under {@code maxBytes} by dropping its oldest half once it grows past it.
     * Call only while holding the store's lock.
     */
    public void trim(long maxBytes) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return;
        }
        if (size <= maxBytes) {
            return;
        }
        byte[] content = ops.readAllBytes(file);
        int cut = content.length / 2;
        while (cut < content.length && content[cut] != '\n') {
            cut++;
        }
        byte[] kept = java.util.Arrays.copyOfRange(content, Math.min(cut + 1, content.length), content.length);
        AtomicFile.replace(ops, file, kept);
        LOG.log(Level.INFO, "trimmed " + file + " from " + size + " to " + kept.length + " bytes (oldest records dropped)");
    }
}
