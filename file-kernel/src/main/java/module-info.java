/**
 * The durable-file kernel: the one implementation of Waterfall's file protocol (lock file,
 * read-before-write merge, atomic durable replacement, backups, metadata, history) that the JSON,
 * TOML and NDJSON stores and the export tools build on. A file store is this kernel plus a
 * {@link dev.waterfall.file.DocumentCodec}.
 */
module dev.waterfall.file {
    requires transitive dev.waterfall.config;
    requires com.fasterxml.jackson.core;

    exports dev.waterfall.file;
}
