package dev.waterfall.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.ValueType;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.config.engine.Revisions;
import dev.waterfall.export.internal.Csv;
import dev.waterfall.export.internal.CsvParser;
import dev.waterfall.export.internal.RowWriter;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Reads the rows of a dump, in any of the three formats, as entries (with line 0), checking as it
 * goes: every row has the six columns, every key is valid and after the previous one (a dump is
 * sorted, each key once), every value is JSON of its stated type, revisions are positive, times are
 * ISO-8601 instants, authors are complete. A CSV cell's formula guard ({@code '}) is removed again.
 *
 * <pre>{@code
 * try (DumpReader rows = DumpReader.open(Path.of("latest_export.csv"))) {
 *     rows.forEachRemaining(entry -> System.out.println(entry.key() + " = " + entry.value()));
 * }
 * }</pre>
 *
 * <p>Streams: memory use does not grow with the dump. Not thread-safe.
 */
public final class DumpReader implements Iterator<Entry>, AutoCloseable {

    private final Path file;
    private final DumpFormat format;
    private final InputStream in;
    private final CsvParser csv;
    private final JsonParser json;
    private final JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();
    private Entry next;
    private Key previous;
    private long rows;
    private long lastLine;
    private boolean finished;

    private DumpReader(Path file, DumpFormat format, InputStream in) throws IOException {
        this.file = file;
        this.format = format;
        this.in = in;
        if (format == DumpFormat.CSV) {
            this.csv = new CsvParser(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
            this.json = null;
        } else {
            this.csv = null;
            this.json = factory.createParser(in);
        }
    }

    /**
     * Opens a dump; its extension ({@code .csv}, {@code .json}, {@code .ndjson} or {@code .jsonl})
     * names the format.
     *
     * @throws DumpException if the file cannot be opened or its extension names no format
     */
    public static DumpReader open(Path file) {
        DumpFormat format = DumpFormat.ofFile(file).orElseThrow(() -> new DumpException("cannot tell the format of " + file
                + " from its name; dumps end in .csv, .json or .ndjson (give the format explicitly otherwise)"));
        return open(file, format);
    }

    /**
     * Opens a dump of the given format.
     *
     * @throws DumpException if the file cannot be opened or does not start like a dump of that format
     */
    public static DumpReader open(Path file, DumpFormat format) {
        try {
            dev.waterfall.config.engine.BoundedFiles.checkRegular(file, Long.MAX_VALUE); // a FIFO would wait forever, /dev/zero never end
            return open(file, format, new BufferedInputStream(Files.newInputStream(file), 256 * 1024));
        } catch (IOException e) {
            throw new DumpException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
    }

    /**
     * Reads a dump of the given format from a stream (closed with this reader); {@code file} names it
     * in messages.
     */
    static DumpReader open(Path file, DumpFormat format, InputStream in) throws IOException {
        DumpReader reader = new DumpReader(file, format, in);
        try {
            reader.start();
        } catch (RuntimeException | IOException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    /** The dump's format. */
    public DumpFormat format() {
        return format;
    }

    /** Rows read so far. */
    public long rows() {
        return rows;
    }

    private void start() throws IOException {
        try {
            if (format == DumpFormat.CSV) {
                List<String> header = csv.next();
                if (header == null || !header.equals(Arrays.asList(RowWriter.COLUMNS))) {
                    throw error(1, "the first line must be the header " + String.join(",", RowWriter.COLUMNS)
                            + (header == null ? ", but the file is empty" : ", not " + String.join(",", header)));
                }
            } else if (format == DumpFormat.JSON) {
                JsonToken first = json.nextToken();
                if (first != JsonToken.START_ARRAY) {
                    throw error(json.currentTokenLocation().getLineNr(), "a JSON dump is an array of rows, but it starts with "
                            + (first == null ? "nothing (the file is empty)" : json.getText()));
                }
            }
        } catch (CsvParser.CsvSyntaxException e) {
            throw error(e.line(), e.getMessage());
        } catch (JsonParseException e) {
            throw error(e.getLocation() == null ? 0 : e.getLocation().getLineNr(), "not valid JSON: " + dev.waterfall.config.spi.Echo.parserMessage(e.getOriginalMessage()));
        }
    }

    /**
     * @throws DumpException naming the file and line if the next row is malformed
     */
    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            try {
                next = format == DumpFormat.CSV ? readCsv() : readJson();
            } catch (CsvParser.CsvSyntaxException e) {
                throw error(e.line(), e.getMessage());
            } catch (JsonParseException e) {
                throw error(e.getLocation() == null ? lastLine : e.getLocation().getLineNr(), "not valid JSON: " + dev.waterfall.config.spi.Echo.parserMessage(e.getOriginalMessage()));
            } catch (IOException e) {
                throw new DumpException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
            }
            if (next == null) {
                finished = true;
            }
        }
        return next != null;
    }

    @Override
    public Entry next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + file);
        }
        Entry entry = next;
        next = null;
        return entry;
    }

    private Entry readCsv() throws IOException {
        List<String> cells = csv.next();
        if (cells == null) {
            return null;
        }
        long line = csv.recordLine();
        if (cells.size() != RowWriter.COLUMNS.length) {
            throw error(line, "a row has " + RowWriter.COLUMNS.length + " cells (" + String.join(",", RowWriter.COLUMNS)
                    + "), this one has " + cells.size());
        }
        String[] unguarded = new String[cells.size()];
        for (int i = 0; i < unguarded.length; i++) {
            unguarded[i] = Csv.unguard(cells.get(i));
        }
        Actor actor;
        try (JsonParser parser = factory.createParser(unguarded[5])) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw error(line, "updated_by must be a JSON object such as {\"surface\":\"cli\",\"user\":\"u\",\"host\":\"h\",\"pid\":1}");
            }
            actor = readActor(parser, line);
            if (parser.nextToken() != null) {
                throw error(line, "unexpected text after the updated_by object");
            }
        } catch (JsonParseException e) {
            throw error(line, "updated_by is not valid JSON: " + dev.waterfall.config.spi.Echo.parserMessage(e.getOriginalMessage()));
        }
        return entry(line, unguarded[0], parseValue(line, unguarded[1]), unguarded[2], parseRevision(line, unguarded[3]), unguarded[4], actor);
    }

    private Entry readJson() throws IOException {
        JsonToken token = json.nextToken();
        if (format == DumpFormat.JSON) {
            if (token == JsonToken.END_ARRAY) {
                if (json.nextToken() != null) {
                    throw error(json.currentTokenLocation().getLineNr(), "unexpected " + json.getText() + " after the array of rows");
                }
                return null;
            }
            if (token == null) {
                throw error(lastLine, "the array of rows is never closed (a cut-off file?)");
            }
        } else if (token == null) {
            return null;
        }
        long line = json.currentTokenLocation().getLineNr();
        if (token != JsonToken.START_OBJECT) {
            throw error(line, "expected a row object {\"key\":...}, found " + json.getText());
        }
        if (format == DumpFormat.NDJSON && line == lastLine) {
            throw error(line, "two rows on one line; an NDJSON dump holds one row per line");
        }
        lastLine = line;
        String key = null;
        Value value = null;
        String type = null;
        long revision = -1;
        String updatedAt = null;
        Actor actor = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken valueToken = json.nextToken();
            switch (field) {
                case "key" -> key = text(valueToken, field, line);
                case "value" -> {
                    try {
                        value = JsonValues.readCurrent(json);
                    } catch (WaterfallException e) {
                        throw error(line, "value: " + e.getMessage());
                    }
                }
                case "type" -> type = text(valueToken, field, line);
                case "revision" -> {
                    if (valueToken != JsonToken.VALUE_NUMBER_INT) {
                        throw error(line, "revision must be a whole number");
                    }
                    revision = parseRevision(line, json.getText());
                }
                case "updated_at" -> updatedAt = text(valueToken, field, line);
                case "updated_by" -> {
                    if (valueToken != JsonToken.START_OBJECT) {
                        throw error(line, "updated_by must be an object {\"surface\":...,\"user\":...,\"host\":...,\"pid\":...}");
                    }
                    actor = readActor(json, line);
                }
                default -> throw error(line, "unknown column \"" + field + "\"; a row has " + String.join(", ", RowWriter.COLUMNS));
            }
        }
        if (key == null || value == null || type == null || revision < 0 || updatedAt == null || actor == null) {
            throw error(line, "a row needs all of " + String.join(", ", RowWriter.COLUMNS));
        }
        return entry(line, key, value, type, revision, updatedAt, actor);
    }

    private String text(JsonToken token, String field, long line) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw error(line, field + " must be a string");
        }
        return json.getText();
    }

    private Actor readActor(JsonParser parser, long line) throws IOException {
        String surface = null;
        String user = null;
        String host = null;
        long pid = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (field) {
                case "surface", "user", "host" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        throw error(line, "updated_by." + field + " must be a string");
                    }
                    switch (field) {
                        case "surface" -> surface = parser.getText();
                        case "user" -> user = parser.getText();
                        default -> host = parser.getText();
                    }
                }
                case "pid" -> {
                    if (token != JsonToken.VALUE_NUMBER_INT || parser.getLongValue() < 0) {
                        throw error(line, "updated_by.pid must be a whole number, 0 when unknown");
                    }
                    pid = parser.getLongValue();
                }
                default -> throw error(line, "unknown member updated_by." + field + "; it has surface, user, host and pid");
            }
        }
        if (surface == null || user == null || host == null || pid < 0) {
            throw error(line, "updated_by needs surface, user, host and pid");
        }
        return new Actor(surface, user, host, pid);
    }

    private Value parseValue(long line, String json) {
        try {
            return Value.parseJson(json);
        } catch (WaterfallException e) {
            throw error(line, "value: " + e.getMessage());
        }
    }

    private long parseRevision(long line, String text) {
        try {
            long revision = Long.parseLong(text);
            if (Revisions.inRange(revision)) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(line, "revision must be a whole number from 1 to " + dev.waterfall.config.Entry.MAX_REVISION + " (2^53-1), not " + text);
    }

    private Entry entry(long line, String keyText, Value raw, String type, long revision, String updatedAt, Actor actor) {
        Key key;
        try {
            key = Key.of(keyText);
        } catch (WaterfallException e) {
            throw error(line, e.getMessage());
        }
        if (previous != null && key.compareTo(previous) <= 0) {
            throw error(line, "key " + key + (key.equals(previous) ? " appears twice" : " comes after " + previous)
                    + "; a dump is sorted by key, each key once");
        }
        Value value;
        try {
            value = JsonValues.retype(raw, type);
        } catch (WaterfallException e) {
            throw error(line, "key " + key + ": " + e.getMessage());
        }
        if (value.type() == ValueType.TABLE) {
            throw error(line, "key " + key + " holds a table; a row holds a leaf value (tables appear only inside arrays)");
        }
        Instant at;
        try {
            at = Instant.parse(updatedAt);
        } catch (DateTimeParseException e) {
            throw error(line, "updated_at must be an ISO-8601 UTC time such as 2026-11-26T07:00:00.123Z, not " + updatedAt);
        }
        previous = key;
        rows++;
        return new Entry(key, value, revision, at, actor, 0);
    }

    private DumpException error(long line, String message) {
        return new DumpException(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    @Override
    public void close() {
        try {
            if (json != null) {
                json.close();
            }
            in.close();
        } catch (IOException e) {
            // reading is over; nothing to lose
        }
    }
}
