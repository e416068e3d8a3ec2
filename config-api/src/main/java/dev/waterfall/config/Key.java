package dev.waterfall.config;

import java.util.List;
import java.util.Objects;

/**
 * A configuration key: a dotted path of segments, such as {@code plant.default_name}.
 *
 * <p>The rule: one or more segments joined by {@code '.'}; a segment is one or more ASCII
 * letters, digits, {@code '_'} or {@code '-'}; at most {@value #MAX_LENGTH} characters in all.
 * The first segment may also be {@code %} and a profile's name: {@code %dev.server.port} is
 * {@code server.port} in profile {@code dev} (docs/references.md). Keys are case-sensitive. Files store a key as nested objects or tables; SQL stores keep the
 * dotted text. A key names a leaf: {@code plant} and {@code plant.name} cannot both hold values.
 *
 * <p>Keys compare by their text, so a sorted listing reads like the file.
 */
public final class Key implements Comparable<Key> {

    /** The longest key accepted, in characters. */
    public static final int MAX_LENGTH = 256;

    /** The rule, as error messages state it. */
    public static final String RULE = "a key is one or more segments of ASCII letters, digits, '_' or '-', "
            + "joined by '.' (e.g. plant.default_name), at most " + MAX_LENGTH + " characters";

    private final String path;
    private final List<String> segments;

    private Key(String path, List<String> segments) {
        this.path = path;
        this.segments = segments;
    }

    /**
     * The key with the given dotted text.
     *
     * @throws InvalidKeyException naming the key and the rule it breaks
     */
    public static Key of(String path) {
        Objects.requireNonNull(path, "key");
        String problem = problem(path);
        if (problem != null) {
            throw new InvalidKeyException(path, problem);
        }
        return new Key(path, List.of(path.split("\\.", -1)));
    }

    /**
     * The key made of these segments.
     *
     * @throws InvalidKeyException if a segment is empty, holds a dot or another character the rule forbids
     */
    public static Key ofSegments(List<String> segments) {
        if (segments.isEmpty()) {
            throw new InvalidKeyException("", "the key is empty");
        }
        for (String segment : segments) {
            if (segment.indexOf('.') >= 0) {
                throw new InvalidKeyException(String.join(".", segments), "segment \"" + dev.waterfall.config.spi.Echo.of(segment) + "\" contains a '.'");
            }
        }
        return of(String.join(".", segments));
    }

    /**
     * The key of one segment, such as {@code plant}.
     *
     * @throws InvalidKeyException if the segment breaks the rule (a dot included)
     */
    public static Key root(String segment) {
        checkSegment(segment.startsWith("%") && segment.length() > 1 ? segment.substring(1) : segment, segment);
        return new Key(segment, List.of(segment));
    }

    /**
     * The key one level below this one: {@code plant} and {@code default_name} make
     * {@code plant.default_name}. Only the new segment is checked, which makes walking a
     * document's tree cheap.
     *
     * @throws InvalidKeyException if the segment breaks the rule or the key grows too long
     */
    public Key child(String segment) {
        String childPath = path + "." + segment;
        checkSegment(segment, childPath);
        if (childPath.length() > MAX_LENGTH) {
            throw new InvalidKeyException(childPath, "it is " + childPath.length() + " characters long");
        }
        String[] childSegments = segments.toArray(new String[segments.size() + 1]);
        childSegments[segments.size()] = segment;
        return new Key(childPath, List.of(childSegments));
    }

    private static void checkSegment(String segment, String shownAs) {
        if (segment.isEmpty()) {
            throw new InvalidKeyException(shownAs, "it has an empty segment");
        }
        if (segment.length() > MAX_LENGTH) {
            throw new InvalidKeyException(shownAs, "it is " + shownAs.length() + " characters long");
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (!isSegmentChar(c)) {
                throw new InvalidKeyException(shownAs, c == '.' ? "segment \"" + dev.waterfall.config.spi.Echo.of(segment) + "\" contains a '.'"
                        : "character " + describe(c) + " in segment \"" + dev.waterfall.config.spi.Echo.of(segment) + "\" is not allowed");
            }
        }
    }

    /** Whether {@code path} is a valid key. */
    public static boolean isValid(String path) {
        return path != null && problem(path) == null;
    }

    /**
     * Whether the bytes {@code text[start, end)} are a valid key's text, for readers of millions of
     * rows that should not make a {@code String} of each to ask. A key is ASCII, so its bytes in
     * UTF-8 are its characters: a byte beyond ASCII makes the answer false.
     */
    public static boolean isValid(byte[] text, int start, int end) {
        if (end <= start || end - start > MAX_LENGTH || text[start] == '.' || text[end - 1] == '.') {
            return false;
        }
        if (text[start] == '%') {
            if (end - start < 2 || text[start + 1] == '.') {
                return false;
            }
            start++;
        }
        for (int i = start; i < end; i++) {
            byte b = text[i];
            if (b == '.' ? text[i - 1] == '.' : !isSegmentChar((char) b)) { // a negative byte is no segment character
                return false;
            }
        }
        return true;
    }

    private static String problem(String path) {
        if (path.isEmpty()) {
            return "the key is empty";
        }
        if (path.length() > MAX_LENGTH) {
            return "it is " + path.length() + " characters long";
        }
        int segmentStart = 0;
        int from = 0;
        if (path.charAt(0) == '%') {
            if (path.length() == 1 || path.charAt(1) == '.') {
                return "'%' is not followed by a profile's name";
            }
            segmentStart = 1;
            from = 1;
        }
        for (int i = from; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.') {
                if (i == segmentStart) {
                    return i == 0 ? "it starts with '.'" : "it has an empty segment at position " + (i + 1);
                }
                segmentStart = i + 1;
            } else if (!isSegmentChar(c)) {
                return "character " + describe(c) + " at position " + (i + 1) + " is not allowed";
            }
        }
        if (segmentStart == path.length()) {
            return "it ends with '.'";
        }
        return null;
    }

    private static boolean isSegmentChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String describe(char c) {
        if (c >= 0x20 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format("U+%04X", (int) c);
    }

    /** Whether {@code name} is a valid profile name: one segment of ASCII letters, digits, '_' or '-'. */
    public static boolean isProfileName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isSegmentChar(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The profile this key belongs to, {@code dev} for {@code %dev.server.port}; empty for a key of no profile. */
    public java.util.Optional<String> profile() {
        return path.charAt(0) == '%' && segments.size() > 1 ? java.util.Optional.of(segments.get(0).substring(1)) : java.util.Optional.empty();
    }

    /** The key without its profile segment: {@code server.port} for {@code %dev.server.port}; this key when it has none. */
    public Key withoutProfile() {
        return profile().isPresent() ? new Key(path.substring(segments.get(0).length() + 1), segments.subList(1, segments.size())) : this;
    }

    /**
     * This key in profile {@code profile}: {@code %dev.server.port} for {@code server.port} and {@code dev}.
     *
     * @throws InvalidKeyException if the profile's name is invalid, the key has a profile already, or the result is too long
     */
    public Key inProfile(String profile) {
        if (!isProfileName(profile)) {
            throw new InvalidKeyException("%" + profile + "." + path, "invalid profile name \"" + dev.waterfall.config.spi.Echo.of(profile)
                    + "\": use ASCII letters, digits, '_' or '-'");
        }
        if (this.profile().isPresent()) {
            throw new InvalidKeyException("%" + profile + "." + path, "the key " + path + " is in a profile already");
        }
        return of("%" + profile + "." + path);
    }

    /** The dotted text of this key. */
    public String path() {
        return path;
    }

    /** The segments of this key, outermost first. */
    public List<String> segments() {
        return segments;
    }

    /** The last segment. */
    public String name() {
        return segments.get(segments.size() - 1);
    }

    /** Whether this key is a strict prefix of {@code other}: {@code plant} is an ancestor of {@code plant.name}. */
    public boolean isAncestorOf(Key other) {
        return other.path.length() > path.length()
                && other.path.startsWith(path)
                && other.path.charAt(path.length()) == '.';
    }

    /** Whether this key is {@code prefix} or lies under it. */
    public boolean isWithin(Key prefix) {
        return equals(prefix) || prefix.isAncestorOf(this);
    }

    @Override
    public int compareTo(Key other) {
        return path.compareTo(other.path);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Key key && key.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode();
    }

    @Override
    public String toString() {
        return path;
    }
}
