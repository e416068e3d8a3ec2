package dev.waterfall.export;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an export did.
 *
 * @param written whether a new dump was written; {@code false} when the export was skipped because
 *                the store had not changed since the newest dump
 * @param dump    the new dump, or the newest one when nothing was written
 * @param meta    its meta file
 * @param details what the meta file says
 * @param latest  {@code latest_export.<ext>}, which now is that dump
 * @param removed older dumps and meta files deleted by retention
 */
public record ExportResult(boolean written, Path dump, Path meta, ExportMeta details, Path latest, List<Path> removed) {
    public ExportResult {
        Objects.requireNonNull(dump, "dump");
        Objects.requireNonNull(meta, "meta");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(latest, "latest");
        removed = List.copyOf(removed);
    }
}
