package dev.waterfall.file.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.Actor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The history sidecar {@code <file>.history.ndjson}: one JSON object per line, appended under the
 * store's lock after each write's commit point. A write appends one record per changed key and then
 * one commit line with the SHA-256 of the file it produced:
 *
 * <pre>{@code
 * {"rev":58,"at":"2026-11-26T07:00:00.123Z","by":{"surface":"cli","user":"u","host":"h","pid":7},"key":"port","old":8080,"new":9090}
 * {"commit":58,"at":"2026-11-26T07:00:00.123Z","sha256":"9f2c…"}
 * }</pre>
 * {@code old} or {@code new} is missing when the key was absent before or after; {@code "by":"external"}
 * marks a change found rather than made; {@code oldType}/{@code newType} restore a date-time or
 * non-finite number. A line that does not parse (a torn last line after a power cut) is skipped
 * with a warning: the history is a record, the data file is the truth. When the file grows past
 * its limit it is rotated to {@code <file>.history.1.ndjson} (the previous one is dropped).
 */
public final class HistoryLog {

    /**
     * This class's logger, looked up only when there is something to log: the first lookup in a JVM
     * loads the logger finder (a service look-up and the security properties), which a command
     * such as {@code waterfall get} that logs nothing would otherwise pay at start-up.
     */
    private static System.Logger log() {
        return System.getLogger(HistoryLog.class.getName());
    }

    private final Path file;
    private final Path rotated;
    private final FileOps ops;
    private final JsonFactory factory;

    /** A commit line: the write of {@code revision} produced a file with this SHA-256. */
    public record CommitLine(long revision, Instant at, String dataSha256) {
    }

    /** Lines read from some offset on: records and commit lines in file order, and the offset after them. */
    public record Chunk(List<Object> lines, long end) {
    }

    public HistoryLog(Path file, FileOps ops, JsonFactory factory) {
        this.file = file;
        String name = file.getFileName().toString();
        String base = name.endsWith(".ndjson") ? name.substring(0, name.length() - ".ndjson".length()) : name;
        this.rotated = file.resolveSibling(base + ".1.ndjson");
        this.ops = ops;
        this.factory = factory;
    }

    /** The history file. */
    public Path file() {
        return file;
    }

    /**
     * Appends a write's records and its commit line. Call only while holding the store's lock. A
     * torn last line (a writer killed mid-append) is cut off first, or the first new record would
     * be glued to it and lost.
     */
    public void append(List<HistoryRecord> records, CommitLine commit) throws IOException {
        dropTornTail();
        StringBuilder out = new StringBuilder(records.size() * 160 + 120);
        for (HistoryRecord record : records) {
            render(record, out);
            out.append('\n');
        }
        out.append("{\"commit\":").append(commit.revision()).append(",\"at\":\"").append(commit.at())
                .append("\",\"sha256\":\"").append(commit.dataSha256()).append("\"}\n");
        ops.append(file, out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void dropTornTail() throws IOException {
        long complete;
        long size;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            complete = size;
            ByteBuffer one = ByteBuffer.allocate(4096);
            while (complete > 0) {
                one.clear();
                long from = Math.max(0, complete - one.capacity());
                one.limit((int) (complete - from));
                while (one.hasRemaining() && channel.read(one, from + one.position()) > 0) {
                    // fill the window
                }
                int i = one.position() - 1;
                while (i >= 0 && one.get(i) != '\n') {
                    i--;
                }
                if (i >= 0) {
                    complete = from + i + 1;
                    break;
                }
                complete = from;
            }
        } catch (NoSuchFileException e) {
            return;
        }
        if (complete < size) {
            ops.truncate(file, complete);
            log().log(Level.WARNING, file + ": dropped a torn last line (" + (size - complete) + " bytes) left by a writer that died mid-append");
        }
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

    /** The records matching {@code query}, newest first, from the rotated and the current file. */
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

    /** Every readable record, oldest first, from the rotated and the current file. */
    public List<HistoryRecord> readAll() throws IOException {
        List<HistoryRecord> records = new ArrayList<>();
        for (Path path : List.of(rotated, file)) {
            byte[] content;
            try {
                content = ops.readAllBytes(path);
            } catch (NoSuchFileException e) {
                continue;
            }
            for (Object line : parseLines(path, content, 0, content.length).lines()) {
                if (line instanceof HistoryRecord record) {
                    records.add(record);
                }
            }
        }
        return records;
    }

    /**
     * Reads the complete lines of the current file from {@code offset} on; a last line without its
     * newline (being appended, or torn) is left for later.
     */
    public Chunk readFrom(long offset) throws IOException {
        byte[] content;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size <= offset) {
                return new Chunk(List.of(), offset);
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) > 0) {
                // keep reading until the size seen above
            }
            content = buffer.array();
        } catch (NoSuchFileException e) {
            return new Chunk(List.of(), offset);
        }
        int complete = content.length;
        while (complete > 0 && content[complete - 1] != '\n') {
            complete--;
        }
        Chunk parsed = parseLines(file, content, 0, complete);
        return new Chunk(parsed.lines(), offset + complete);
    }

    private Chunk parseLines(Path path, byte[] content, int from, int to) {
        List<Object> lines = new ArrayList<>();
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || content[i] == '\n') {
                if (i > start) {
                    try {
                        lines.add(parse(content, start, i - start));
                    } catch (IOException | RuntimeException e) {
                        log().log(Level.WARNING, path + ": skipping a history line that does not parse: " + e.getMessage());
                    }
                }
                start = i + 1;
            }
        }
        return new Chunk(lines, to);
    }

    private Object parse(byte[] content, int offset, int length) throws IOException {
        long revision = -1;
        long commit = -1;
        String sha = null;
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
                    case "commit" -> commit = parser.getLongValue();
                    case "sha256" -> sha = parser.getText();
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
        if (revision > dev.waterfall.config.Entry.MAX_REVISION || commit > dev.waterfall.config.Entry.MAX_REVISION) {
            throw new IOException("revision " + Math.max(revision, commit) + " is above the highest Waterfall assigns");
        }
        if (commit >= 0) {
            if (sha == null || at == null) {
                throw new IOException("a commit line needs at and sha256");
            }
            return new CommitLine(commit, at, sha);
        }
        if (revision < 0 || at == null || by == null || key == null) {
            throw new IOException("a history record needs rev, at, by and key");
        }
        return new HistoryRecord(revision, at, by, key,
                Optional.ofNullable(oldValue == null ? null : JsonValues.retype(oldValue, oldType)),
                Optional.ofNullable(newValue == null ? null : JsonValues.retype(newValue, newType)));
    }

    /** The current file's size, or -1 if it does not exist. */
    public long size() throws IOException {
        return Stamp.of(file).size();
    }

    /**
     * Moves the current file to {@code <file>.history.1.ndjson}, replacing the previous one. Call
     * only while holding the store's lock, after a metadata snapshot covers every record.
     */
    public void rotate() throws IOException {
        ops.moveAtomically(file, rotated);
        log().log(Level.INFO, "rotated " + file + " to " + rotated.getFileName());
    }
}
