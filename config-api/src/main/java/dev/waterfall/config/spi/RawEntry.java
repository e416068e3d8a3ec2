package dev.waterfall.config.spi;

import dev.waterfall.config.ValueType;

/**
 * One entry of a store as the text its columns hold, already in canonical form, for tools that
 * copy entries as text (exports) and so need not decode them into {@link dev.waterfall.config.Entry}
 * objects and encode them again.
 *
 * <p>Each field is exactly what the typed entry would give: {@code key} is a valid
 * {@link dev.waterfall.config.Key#path()}; {@code valueJson} is {@link JsonValues#write
 * JsonValues.write(value, false)}; {@code type} is the value's type; {@code updatedAt} is
 * {@link CanonicalText#instant(long, int)} of the entry's time (ISO-8601 UTC, cut to the
 * microsecond); the last four are the {@link dev.waterfall.config.Actor}'s fields.
 *
 * @param key        the key's dotted text
 * @param valueJson  the value as compact JSON, non-ASCII characters as they are
 * @param type       the value's type
 * @param revision   the revision of the entry's last change
 * @param updatedAt  when it changed, as canonical text
 * @param surface    who changed it: the surface
 * @param user       the user
 * @param host       the host
 * @param pid        the process id, 0 when unknown
 */
public record RawEntry(String key, String valueJson, ValueType type, long revision, String updatedAt,
                       String surface, String user, String host, long pid) {
}
