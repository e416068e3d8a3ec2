package dev.waterfall.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.export.internal.RowWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code <dump>_meta.json} says about a dump: enough to check it and to know what it is a dump
 * of, without reading it.
 *
 * <pre>{@code
 * {
 *   "schema_version": 1,
 *   "tool": "waterfall",
 *   "tool_version": "0.1.0",
 *   "file": "20261126T070000Z_config_export.csv",
 *   "format": "csv",
 *   "columns": ["key","value","type","revision","updated_at","updated_by"],
 *   "rows": 120,
 *   "secrets": "withheld",
 *   "withheld_keys": ["db.password"],
 *   "bytes": 15360,
 *   "sha256": "9f86d08...",
 *   "source": "postgresql://app@db:5432/prod?namespace=app",
 *   "store_name": "app",
 *   "store_revision": 4711,
 *   "started_at": "2026-11-26T07:00:00.123Z",
 *   "finished_at": "2026-11-26T07:00:01.456Z",
 *   "duration_ms": 1333
 * }
 * }</pre>
 *
 * @param schemaVersion the row shape's version ({@link #SCHEMA_VERSION}); a reader refuses a newer one
 * @param toolVersion   the version of Waterfall that wrote the dump
 * @param file          the dump's file name
 * @param format        its format
 * @param rows          how many rows it holds
 * @param bytes         its size
 * @param sha256        the SHA-256 of its bytes, lower-case hex
 * @param source        the store it is a dump of, as printed (never with a password)
 * @param storeName     the store name in the file name
 * @param storeRevision the store revision the rows are as of
 * @param startedAt     when the export began (the time in the file name, to the second)
 * @param finishedAt    when the dump was complete
 * @param secretsIncluded whether keys that look like secrets were written with their values
 *                      ({@link ExportRequest#includeSecrets()}); true for a meta file written before
 *                      Waterfall withheld them, which does not say
 * @param withheldKeys  the keys left out of the dump because they look like secrets, in key order;
 *                      empty when secrets were included
 */
public record ExportMeta(int schemaVersion, String toolVersion, String file, DumpFormat format, long rows, long bytes,
                         String sha256, String source, String storeName, long storeRevision, Instant startedAt, Instant finishedAt,
                         boolean secretsIncluded, List<String> withheldKeys) {

    /** The version of the row shape this library writes and reads. */
    public static final int SCHEMA_VERSION = 1;

    private static final String INCLUDED = "included";
    private static final String WITHHELD = "withheld";

    public ExportMeta {
        Objects.requireNonNull(toolVersion, "toolVersion");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(storeName, "storeName");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        withheldKeys = List.copyOf(withheldKeys);
        if (secretsIncluded && !withheldKeys.isEmpty()) {
            throw new IllegalArgumentException("a dump with secrets included withholds no key, not " + withheldKeys);
        }
    }

    /** How long the export took. */
    public Duration duration() {
        return Duration.between(startedAt, finishedAt);
    }

    /** This meta as the file's bytes: pretty-printed, ASCII, LF. */
    public byte[] render() {
        StringBuilder out = new StringBuilder(512);
        out.append("{\n  \"schema_version\": ").append(schemaVersion)
                .append(",\n  \"tool\": \"waterfall\"")
                .append(",\n  \"tool_version\": ");
        JsonValues.appendString(toolVersion, true, out);
        out.append(",\n  \"file\": ");
        JsonValues.appendString(file, true, out);
        out.append(",\n  \"format\": \"").append(format.extension()).append('"');
        out.append(",\n  \"columns\": [");
        for (int i = 0; i < RowWriter.COLUMNS.length; i++) {
            out.append(i == 0 ? "\"" : ",\"").append(RowWriter.COLUMNS[i]).append('"');
        }
        out.append("],\n  \"rows\": ").append(rows)
                .append(",\n  \"secrets\": \"").append(secretsIncluded ? INCLUDED : WITHHELD).append('"');
        if (!secretsIncluded) {
            out.append(",\n  \"withheld_keys\": [");
            for (int i = 0; i < withheldKeys.size(); i++) {
                out.append(i == 0 ? "" : ",");
                JsonValues.appendString(withheldKeys.get(i), true, out);
            }
            out.append(']');
        }
        out.append(",\n  \"bytes\": ").append(bytes)
                .append(",\n  \"sha256\": \"").append(sha256).append('"')
                .append(",\n  \"source\": ");
        JsonValues.appendString(source, true, out);
        out.append(",\n  \"store_name\": ");
        JsonValues.appendString(storeName, true, out);
        out.append(",\n  \"store_revision\": ").append(storeRevision)
                .append(",\n  \"started_at\": \"").append(startedAt).append('"')
                .append(",\n  \"finished_at\": \"").append(finishedAt).append('"')
                .append(",\n  \"duration_ms\": ").append(duration().toMillis())
                .append("\n}\n");
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Reads a meta file.
     *
     * @throws DumpException naming the file if it cannot be read, is not a meta file, or is of a newer schema
     */
    public static ExportMeta read(Path metaFile) {
        byte[] content;
        try {
            content = dev.waterfall.config.engine.BoundedFiles.readAllBytes(metaFile, 1 << 20);
        } catch (IOException e) {
            throw new DumpException("cannot read " + metaFile + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        int schema = -1;
        String tool = null;
        String file = null;
        DumpFormat format = null;
        long rows = -1;
        long bytes = -1;
        String sha = null;
        String source = null;
        String storeName = null;
        long revision = -1;
        Instant started = null;
        Instant finished = null;
        String secrets = INCLUDED;
        List<String> withheld = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(content)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DumpException(metaFile + " is not an export meta file (not a JSON object)");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "schema_version" -> schema = parser.getIntValue();
                    case "tool_version" -> tool = parser.getText();
                    case "file" -> file = parser.getText();
                    case "format" -> format = DumpFormat.of(parser.getText());
                    case "rows" -> rows = parser.getLongValue();
                    case "bytes" -> bytes = parser.getLongValue();
                    case "sha256" -> sha = parser.getText();
                    case "source" -> source = parser.getText();
                    case "store_name" -> storeName = parser.getText();
                    case "store_revision" -> revision = parser.getLongValue();
                    case "started_at" -> started = Instant.parse(parser.getText());
                    case "finished_at" -> finished = Instant.parse(parser.getText());
                    case "secrets" -> secrets = parser.getText();
                    case "withheld_keys" -> {
                        if (parser.currentToken() != JsonToken.START_ARRAY) {
                            throw new DumpException(metaFile + ": withheld_keys is not a list of keys");
                        }
                        while (parser.nextToken() == JsonToken.VALUE_STRING) {
                            withheld.add(parser.getText());
                        }
                        if (parser.currentToken() != JsonToken.END_ARRAY) {
                            throw new DumpException(metaFile + ": withheld_keys is not a list of keys");
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException | DateTimeParseException e) {
            throw new DumpException(metaFile + " is not a readable export meta file: " + e.getMessage(), e);
        }
        if (schema > SCHEMA_VERSION) {
            throw new DumpException(metaFile + " describes a dump of schema version " + schema + ", newer than this Waterfall reads ("
                    + SCHEMA_VERSION + "); use a newer Waterfall");
        }
        if (schema < 1 || tool == null || file == null || format == null || rows < 0 || bytes < 0 || sha == null || source == null
                || storeName == null || revision < 0 || started == null || finished == null) {
            throw new DumpException(metaFile + " is not a complete export meta file");
        }
        if (!secrets.equals(INCLUDED) && !secrets.equals(WITHHELD) || secrets.equals(INCLUDED) && !withheld.isEmpty()) {
            throw new DumpException(metaFile + " is not a readable export meta file: \"secrets\" is \"" + secrets + "\" with "
                    + withheld.size() + " withheld keys; a meta file says \"" + INCLUDED + "\", or \"" + WITHHELD + "\" with the keys");
        }
        return new ExportMeta(schema, tool, file, format, rows, bytes, sha, source, storeName, revision, started, finished,
                secrets.equals(INCLUDED), withheld);
    }
}
