package dev.waterfall.jdbc;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.StoreUri;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code ?namespace=NAME} of SQL store URIs, read and written the same way by every backend:
 * percent-encoded UTF-8 as RFC 3986 has it ({@code %20} is a space, {@code +} is a plus sign). A
 * namespace is any text of 1 to 200 characters without control characters; it is only ever bound as
 * a statement parameter, never written into SQL.
 */
public final class Namespaces {

    /** The longest namespace accepted, in characters. */
    public static final int MAX_LENGTH = 200;

    private Namespaces() {
    }

    /**
     * The namespace a URI's {@code namespace=} parameter value names.
     *
     * @throws InvalidValueException naming the URI if the value is not a valid namespace
     */
    public static String decode(StoreUri uri, String encoded) {
        String namespace;
        try {
            namespace = URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("store " + uri + ": the namespace is not correctly percent-encoded: each '%' must be "
                    + "followed by two hex digits (write a '%' itself as %25)");
        }
        return check(uri, namespace);
    }

    /**
     * Checks a namespace.
     *
     * @throws InvalidValueException naming the URI if it is empty, too long or holds control characters
     */
    public static String check(StoreUri uri, String namespace) {
        if (namespace.isEmpty() || namespace.length() > MAX_LENGTH || namespace.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("store " + uri + ": a namespace is 1 to " + MAX_LENGTH
                    + " characters without control characters");
        }
        return namespace;
    }

    /** The namespace as a URI writes it, percent-encoded. */
    public static String encode(String namespace) {
        return URLEncoder.encode(namespace, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
