package dev.waterfall.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store URI: {@code json:/home/me/.config/app/config.json}, {@code toml:~/app.toml},
 * {@code sqlite:/var/lib/app/app.db}, {@code postgresql://user@host:5432/db?namespace=app}.
 *
 * <p>The scheme picks the provider; the rest is the provider's to interpret. A text without a
 * scheme is a file path whose extension picks the scheme ({@code ./app.toml} means
 * {@code toml:./app.toml}); a Windows drive letter ({@code C:\...}) is not a scheme.
 * {@link #toString()} never shows a password.
 */
public final class StoreUri {

    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*):(.*)", Pattern.DOTALL);
    /** The password of {@code //user:password@host}: up to the last '@', so a '/' or '@' in it does not show the rest. */
    private static final Pattern PASSWORD = Pattern.compile("^(//[^/@:]*):[^@]*@");

    private final String scheme;
    private final String rest;

    private StoreUri(String scheme, String rest) {
        this.scheme = scheme;
        this.rest = rest;
    }

    /**
     * Parses a store URI or a bare file path.
     *
     * @throws InvalidValueException if the text is empty, or is a path whose extension names no format
     */
    public static StoreUri parse(String text) {
        Objects.requireNonNull(text, "store URI");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidValueException("the store URI is empty; give one such as json:/path/config.json or sqlite:/path/app.db");
        }
        Matcher matcher = SCHEME.matcher(trimmed);
        if (matcher.matches() && matcher.group(1).length() > 1) {
            return new StoreUri(matcher.group(1).toLowerCase(Locale.ROOT), matcher.group(2));
        }
        String name = trimmed.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || dot == name.length() - 1) {
            throw new InvalidValueException("\"" + dev.waterfall.config.spi.Echo.of(trimmed) + "\" has no scheme and no file extension to pick a store by; "
                    + "write it as json:PATH, toml:PATH, ndjson:PATH, sqlite:PATH or postgresql://host/db");
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String scheme = switch (extension) {
            case "db", "sqlite", "sqlite3" -> "sqlite";
            case "jsonl" -> "ndjson";
            default -> extension;
        };
        return new StoreUri(scheme, trimmed);
    }

    /** A URI of {@code scheme} with the given scheme-specific part. */
    public static StoreUri of(String scheme, String rest) {
        return new StoreUri(scheme.toLowerCase(Locale.ROOT), rest);
    }

    /** The scheme, lower-case, without the colon. */
    public String scheme() {
        return scheme;
    }

    /** Everything after {@code scheme:}. */
    public String rest() {
        return rest;
    }

    /** The full URI, password included: for connecting, never for printing. */
    public String unredacted() {
        return scheme + ":" + rest;
    }

    /** The URI with any password replaced by {@code ***}: safe to print and log. */
    @Override
    public String toString() {
        Matcher matcher = PASSWORD.matcher(rest);
        String shown = matcher.find() ? matcher.replaceFirst(Matcher.quoteReplacement(matcher.group(1)) + ":***@") : rest;
        shown = shown.replaceAll("(?i)([?&](?:ssl)?password=)[^&]*", "$1***");
        return dev.waterfall.config.spi.Echo.controls(scheme + ":" + shown);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoreUri uri && uri.scheme.equals(scheme) && uri.rest.equals(rest);
    }

    @Override
    public int hashCode() {
        return scheme.hashCode() * 31 + rest.hashCode();
    }
}
