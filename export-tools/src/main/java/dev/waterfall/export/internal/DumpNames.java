package dev.waterfall.export.internal;

import dev.waterfall.config.StoreUri;
import dev.waterfall.export.DumpException;
import dev.waterfall.export.DumpFormat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of the files of an export: {@code <UTC yyyyMMdd'T'HHmmss'Z'>_<store>_export.<ext>},
 * its {@code <same>_meta.json} and {@code latest_export.<ext>}; and the store name, which must
 * keep every one of them inside the target folder.
 */
public final class DumpNames {

    /** The UTC time stamp that starts a dump's name: no colons, so it works on Windows. */
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** What a store name may hold: it becomes part of file names, so no separator, no dot-dot, no NUL. */
    private static final Pattern STORE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final String EXPORT = "_export";
    private static final String META = "_meta.json";
    private static final String LATEST = "latest_export";

    private final String store;
    private final DumpFormat format;
    private final Pattern dumpPattern;

    private DumpNames(String store, DumpFormat format) {
        this.store = store;
        this.format = format;
        this.dumpPattern = Pattern.compile("(\\d{8}T\\d{6}Z)_" + Pattern.quote(store) + EXPORT + "\\." + format.extension());
    }

    /**
     * The names for the dumps of store {@code name} in {@code format}.
     *
     * @throws DumpException if the name could lead out of the target folder or is otherwise unfit
     *         for a file name: a separator, {@code ..}, an absolute path, NUL, a leading dot
     */
    public static DumpNames of(String name, DumpFormat format) {
        if (name == null || !STORE_NAME.matcher(name).matches() || name.contains("..")) {
            String shown = name == null ? "null" : name.replace("\0", "\\0");
            throw new DumpException("invalid export name \"" + shown + "\": it becomes part of the dump's file name, so it must be 1 to 64 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit, without '..' (no '/', '\\', absolute "
                    + "paths or NUL: a dump is always written inside its target folder)");
        }
        return new DumpNames(name, format);
    }

    /**
     * The store name to put in dump names when none is given: the file name without its extension
     * for file and SQLite stores, the namespace or else the database for PostgreSQL; characters a
     * file name should not hold become {@code -}.
     */
    public static String storeNameOf(StoreUri uri) {
        String rest = uri.rest();
        String candidate;
        if (uri.scheme().startsWith("postgres")) {
            Matcher namespace = Pattern.compile("[?&]namespace=([^&]+)").matcher(rest);
            if (namespace.find()) {
                candidate = namespace.group(1);
            } else {
                String path = rest.replaceFirst("^//[^/]*", "");
                int query = path.indexOf('?');
                candidate = (query >= 0 ? path.substring(0, query) : path).replaceFirst("^/", "");
            }
        } else {
            int query = rest.indexOf('?');
            String path = (query >= 0 ? rest.substring(0, query) : rest).replace('\\', '/');
            candidate = path.substring(path.lastIndexOf('/') + 1);
            int dot = candidate.lastIndexOf('.');
            if (dot > 0) {
                candidate = candidate.substring(0, dot);
            }
        }
        String cleaned = candidate.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("\\.{2,}", ".").replaceFirst("^[._-]+", "");
        if (cleaned.length() > 64) {
            cleaned = cleaned.substring(0, 64);
        }
        return cleaned.isEmpty() ? uri.scheme().replaceAll("[^A-Za-z0-9]", "") : cleaned;
    }

    /** The store name. */
    public String store() {
        return store;
    }

    /** The dump's file name for an export started at {@code start}. */
    public String dump(Instant start) {
        return STAMP.format(start) + "_" + store + EXPORT + "." + format.extension();
    }

    /** The meta file's name for a dump. */
    public static String metaOf(String dumpName) {
        int dot = dumpName.lastIndexOf('.');
        return (dot > 0 ? dumpName.substring(0, dot) : dumpName) + META;
    }

    /** {@code latest_export.<ext>}. */
    public String latest() {
        return LATEST + "." + format.extension();
    }

    /** Whether {@code fileName} is a dump of this store and format. */
    public boolean isDump(String fileName) {
        return dumpPattern.matcher(fileName).matches();
    }

    /** Whether {@code fileName} is a temp file of one of this store's dumps, metas or the latest pointer. */
    public boolean isTemp(String fileName) {
        if (!fileName.startsWith(".") || !fileName.endsWith(".tmp")) {
            return false;
        }
        int end = fileName.lastIndexOf('.', fileName.length() - 5);
        if (end <= 1) {
            return false;
        }
        String target = fileName.substring(1, end);
        return isDump(target) || (target.endsWith(META) && isDump(dumpOfMeta(target))) || target.equals(latest());
    }

    private String dumpOfMeta(String metaName) {
        return metaName.substring(0, metaName.length() - META.length()) + "." + format.extension();
    }

    /** The file {@code name} in {@code directory}, checked to lie inside it. */
    public static Path inside(Path directory, String name) {
        Path folder = directory.toAbsolutePath().normalize();
        Path file = folder.resolve(name).normalize();
        if (!folder.equals(file.getParent())) {
            throw new DumpException("the file name " + name + " would leave the target folder " + folder + "; nothing was written");
        }
        return file;
    }

    /** The time stamp of a dump's name, if it is one of this store's dumps. */
    public Optional<String> stampOf(String fileName) {
        Matcher matcher = dumpPattern.matcher(fileName);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
