package dev.waterfall.export;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The formats of a dump. Every format holds the same rows in the same order (sorted by key), with
 * the same six columns: {@code key}, {@code value} (compact JSON), {@code type} (the value type's
 * label), {@code revision}, {@code updated_at} (ISO-8601 UTC, to the microsecond) and {@code updated_by} (a JSON object
 * with {@code surface}, {@code user}, {@code host} and {@code pid}). All output is ASCII (anything
 * else is escaped as JSON {@code \\uXXXX}) with LF line ends.
 */
public enum DumpFormat {
    /**
     * RFC 4180 CSV with a header row: cells holding a comma, quote or line break are quoted, quotes
     * doubled. A cell that would begin with {@code = + - @}, a tab or a carriage return gets a
     * leading {@code '}, so a spreadsheet never runs it as a formula; no cell of the format can
     * begin with {@code '} otherwise, so an importer removes exactly that character again.
     */
    CSV("csv"),
    /** A JSON array of row objects, one row per line. */
    JSON("json"),
    /** One row object per line (newline-delimited JSON). */
    NDJSON("ndjson");

    private final String extension;

    DumpFormat(String extension) {
        this.extension = extension;
    }

    /** The file extension, without the dot: {@code csv}, {@code json}, {@code ndjson}. */
    public String extension() {
        return extension;
    }

    /**
     * The format named {@code name} ({@code csv}, {@code json}, {@code ndjson}, any case).
     *
     * @throws DumpException listing the formats if none has that name
     */
    public static DumpFormat of(String name) {
        for (DumpFormat format : values()) {
            if (format.extension.equalsIgnoreCase(name)) {
                return format;
            }
        }
        throw new DumpException("unknown dump format \"" + name + "\"; use one of "
                + Arrays.stream(values()).map(DumpFormat::extension).toList());
    }

    /** The format a file's extension names ({@code .jsonl} counts as NDJSON), if any. */
    public static Optional<DumpFormat> ofFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1);
        if (extension.equals("jsonl")) {
            return Optional.of(NDJSON);
        }
        return Arrays.stream(values()).filter(format -> format.extension.equals(extension)).findFirst();
    }
}
