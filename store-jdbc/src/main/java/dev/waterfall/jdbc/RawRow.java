package dev.waterfall.jdbc;

/**
 * One row of the entries table as a dialect reads it for {@link SqlStore#rawCursor()}: the columns'
 * text, not yet checked. The store checks the key and the value and makes the
 * {@link dev.waterfall.config.spi.RawEntry}.
 *
 * @param key       the {@code key} column
 * @param value     the {@code value} column (JSON text)
 * @param typeLabel the {@code type} column, {@code null} when JSON alone says the type
 * @param revision  the {@code revision} column
 * @param updatedAt the {@code updated_at} column as canonical text ({@link dev.waterfall.config.spi.CanonicalText#instant(long, int)})
 * @param surface   the {@code updated_by_surface} column
 * @param user      the {@code updated_by_user} column
 * @param host      the {@code updated_by_host} column
 * @param pid       the {@code updated_by_pid} column
 */
public record RawRow(String key, String value, String typeLabel, long revision, String updatedAt, String surface, String user,
                     String host, long pid) {
}
