package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.export.internal.DigestingOutputStream;
import dev.waterfall.export.internal.DumpNames;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Copies entries into a store: from a dump ({@link #importDump}) or from another store
 * ({@link #migrate}). Both go the same way:
 * <ol>
 *   <li><b>Plan.</b> Source and target are compared key by key ({@link CopyPlan}). A target that
 *       holds other entries is refused unless the mode is {@link CopyMode#MERGE} or
 *       {@link CopyMode#REPLACE}; a target that already holds exactly the source's entries needs
 *       nothing, so running the same import or migration twice is harmless. A dry run stops here.</li>
 *   <li><b>Write.</b> Into a store never written that takes copies (file and SQL stores), every entry
 *       keeps its revision, time and author and the target's revision becomes the source's, with the
 *       source store's history where both keep one: the copy is indistinguishable from the original,
 *       and an export of it is byte for byte the export of the original. Otherwise one atomic batch
 *       of ordinary writes copies keys, values and types, each write conditional on the target key
 *       being as planned (a concurrent writer makes it fail whole, not half).</li>
 *   <li><b>Verify.</b> Both sides are read back and compared entry by entry ({@link Verification}).</li>
 * </ol>
 *
 * <p>A store that cannot hold a value (non-finite numbers in a JSON file) refuses the whole write. A
 * JSON file keeps a date-time as its ISO-8601 string, which the verification reports as a difference.
 */
public final class Migration {

    private static final Pattern DUMP_NAME = Pattern.compile("\\d{8}T\\d{6}Z_.+_export\\.(csv|json|ndjson)");

    private Migration() {
    }

    /**
     * Copies every entry of {@code from} into {@code to}.
     *
     * @throws TargetNotEmptyException   if {@code to} holds other entries and the mode is {@link CopyMode#NEW_ONLY}
     * @throws WaterfallException        if source and target are the same store, or a store refuses (nothing written)
     */
    public static CopyResult migrate(ConfigStore from, ConfigStore to, CopyOptions options) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.location().equals(to.location())) {
            throw new WaterfallException("source and target are the same store, " + from.location() + "; nothing to migrate");
        }
        return Copier.copy(new StoreSource(from), to, options.mode(), options.dryRun(), options.progress(), Optional.empty());
    }

    /**
     * Loads a dump (any format; the extension names it) into {@code target}. The whole dump is
     * checked first: every row, the order of keys, and, when its meta file is found (beside it, or,
     * for {@code latest_export.<ext>}, the meta whose SHA-256 matches), its row count and SHA-256.
     * The target's revision becomes the meta's store revision (the highest row revision without a meta).
     *
     * @throws DumpException             if the dump is malformed or does not match its meta (nothing written)
     * @throws TargetNotEmptyException   if the target holds other entries and the mode is {@link CopyMode#NEW_ONLY}
     */
    public static CopyResult importDump(Path dump, ConfigStore target, CopyOptions options) {
        DumpFormat format = DumpFormat.ofFile(dump).orElseThrow(() -> new DumpException("cannot tell the format of " + dump
                + " from its name; dumps end in .csv, .json or .ndjson (give the format explicitly otherwise)"));
        return importDump(dump, format, target, options);
    }

    /** Loads a dump of the given format into {@code target}; see {@link #importDump(Path, ConfigStore, CopyOptions)}. */
    public static CopyResult importDump(Path dump, DumpFormat format, ConfigStore target, CopyOptions options) {
        Objects.requireNonNull(target, "target");
        DumpSource source;
        try {
            source = DumpSource.check(dump, format);
        } catch (DumpException e) {
            throw new DumpException(e.getMessage() + "; nothing was imported", e);
        }
        return Copier.copy(source, target, options.mode(), options.dryRun(), options.progress(), source.meta);
    }

    /** A store as a copy's source. */
    private record StoreSource(ConfigStore store) implements Copier.Source {
        @Override
        public String description() {
            return store.location();
        }

        @Override
        public EntryCursor open() {
            return store.cursor();
        }

        @Override
        public List<HistoryRecord> history(long revision) {
            List<HistoryRecord> newestFirst = store.history(new HistoryQuery(Optional.empty(), Integer.MAX_VALUE));
            List<HistoryRecord> oldestFirst = new ArrayList<>(newestFirst.size());
            for (HistoryRecord record : newestFirst) {
                if (record.revision() <= revision) {
                    oldestFirst.add(record);
                }
            }
            Collections.reverse(oldestFirst);
            return oldestFirst;
        }
    }

    /** A checked dump as a copy's source. */
    private static final class DumpSource implements Copier.Source {
        private final Path file;
        private final DumpFormat format;
        private final long rows;
        private final long revision;
        private final Optional<ExportMeta> meta;

        private DumpSource(Path file, DumpFormat format, long rows, long revision, Optional<ExportMeta> meta) {
            this.file = file;
            this.format = format;
            this.rows = rows;
            this.revision = revision;
            this.meta = meta;
        }

        /** Reads the whole dump once: every row checked, counted and hashed; then finds and checks its meta. */
        static DumpSource check(Path file, DumpFormat format) {
            MessageDigest digest = DigestingOutputStream.sha256();
            long rows = 0;
            long highest = 0;
            try {
                dev.waterfall.config.engine.BoundedFiles.checkRegular(file, Long.MAX_VALUE); // not a FIFO, a device or a folder
            } catch (IOException e) {
                throw new DumpException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
            }
            try (InputStream raw = new DigestInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 18), digest);
                 DumpReader reader = DumpReader.open(file, format, raw)) {
                while (reader.hasNext()) {
                    Entry entry = reader.next();
                    rows++;
                    highest = Math.max(highest, entry.revision());
                }
                raw.transferTo(java.io.OutputStream.nullOutputStream()); // hash to the last byte, whatever the parser left unread
            } catch (IOException e) {
                throw new DumpException("cannot read " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Optional<ExportMeta> meta = findMeta(file, sha);
            if (meta.isPresent()) {
                ExportMeta found = meta.get();
                if (!found.sha256().equals(sha) || found.rows() != rows || found.format() != format) {
                    throw new DumpException(file + " does not match its meta file (" + found.file() + ": " + found.rows() + " rows, sha256 "
                            + found.sha256() + "; the file has " + rows + " rows, sha256 " + sha + "): it was changed or cut off after the export");
                }
                if (found.storeRevision() < highest) {
                    throw new DumpException(file + " holds revision " + highest + ", beyond the store revision " + found.storeRevision()
                            + " its meta file records");
                }
            }
            long revision = meta.map(ExportMeta::storeRevision).orElse(highest);
            return new DumpSource(file, format, rows, revision, meta);
        }

        /**
         * The meta beside a dated dump; for any other name, the meta in the same folder whose
         * SHA-256 matches, or else the meta of the dated dump that is the same file (a
         * {@code latest_export} is a hard link to one: cut in place, both are cut, and that meta
         * then tells). A {@code latest_export.<ext>} whose meta is found neither way is refused:
         * the exporter points it only at a complete dump whose meta is written, so one without is
         * not that dump any more (a cut at a row boundary would otherwise import as complete;
         * issue 15, item 5).
         */
        private static Optional<ExportMeta> findMeta(Path file, String sha) {
            Path folder = file.toAbsolutePath().getParent();
            String name = file.getFileName().toString();
            if (DUMP_NAME.matcher(name).matches()) {
                Path metaFile = folder.resolve(DumpNames.metaOf(name));
                return Files.isRegularFile(metaFile) ? Optional.of(ExportMeta.read(metaFile)) : Optional.empty();
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path candidate : files.filter(f -> f.getFileName().toString().endsWith("_export_meta.json")).sorted().toList()) {
                    try {
                        ExportMeta meta = ExportMeta.read(candidate);
                        if (meta.sha256().equals(sha)) {
                            return Optional.of(meta);
                        }
                    } catch (DumpException e) {
                        // not a meta file of ours: look further
                    }
                }
            } catch (IOException e) {
                return Optional.empty();
            }
            try (Stream<Path> files = Files.list(folder)) {
                for (Path candidate : files.filter(f -> DUMP_NAME.matcher(f.getFileName().toString()).matches()).sorted().toList()) {
                    Path metaFile = folder.resolve(DumpNames.metaOf(candidate.getFileName().toString()));
                    if (Files.isSameFile(candidate, file) && Files.isRegularFile(metaFile)) {
                        return Optional.of(ExportMeta.read(metaFile));
                    }
                }
            } catch (IOException e) {
                // looked as far as we could; refused below if it is a latest_export
            }
            if (name.startsWith("latest_export.")) {
                throw new DumpException(file + ": no meta file in " + folder + " matches it (by SHA-256, or as the dump it points at); "
                        + "a latest_export is always a complete dump with its meta beside it, so this one was changed or cut off "
                        + "after the export; import the dated dump whose meta matches instead");
            }
            return Optional.empty();
        }

        @Override
        public String description() {
            return file.toString();
        }

        @Override
        public EntryCursor open() {
            DumpReader reader = DumpReader.open(file, format);
            return new EntryCursor() {
                @Override
                public long revision() {
                    return revision;
                }

                @Override
                public long size() {
                    return rows;
                }

                @Override
                public boolean hasNext() {
                    return reader.hasNext();
                }

                @Override
                public Entry next() {
                    return reader.next();
                }

                @Override
                public void close() {
                    reader.close();
                }
            };
        }

        @Override
        public List<HistoryRecord> history(long upTo) {
            return List.of();
        }
    }
}
