package dev.waterfall.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A configuration key: a dotted path of segments, such as {@code plant.default_name}.
 *
 * <p>The rule: one or more segments joined by {@code '.'}. A segment is bare (one or more ASCII
 * letters, digits, {@code '_'} or {@code '-'}) or quoted, as TOML writes keys: any other text in
 * double quotes with TOML's escapes ({@code target."cfg(unix)".dependencies}, {@code "x.y"},
 * {@code "~"}, {@code ""}) or in single quotes without escapes ({@code target.'cfg(unix)'}). The
 * text is at most {@value #MAX_LENGTH} characters. Keys are case-sensitive. A key has one written
 * form, its {@link #path()}: bare segments where they can be, the others double-quoted
 * ({@code 'a b'} is written {@code "a b"}, {@code "port"} is {@code port}); stores, history and
 * dumps hold that text. Files store a key as nested objects or tables; SQL stores keep the text.
 * A key names a leaf: {@code plant} and {@code plant.name} cannot both hold values. Only keys of
 * bare segments have an environment variable ({@link #isBare()}).
 *
 * <p>Profiles: a first segment of {@code %} and a profile's name is written bare, never quoted:
 * {@code %dev.server.port} is {@code server.port} in profile {@code dev} (docs/references.md). A key
 * is its segments, and files hold a profile's keys under a member named {@code %dev} (TOML can only
 * write it quoted, {@code "%dev".server.port}), so the quoted spelling {@code "%dev".server.port}
 * reads as the same profile key; a {@code %} segment anywhere else, or a {@code %} not followed by a
 * bare name ({@code "%"}, {@code "%a b"}), is an ordinary quoted segment.
 *
 * <p>Keys compare by their text, code point by code point (as UTF-8 bytes compare), so a sorted
 * listing reads like the file.
 */
public final class Key implements Comparable<Key> {

    /** The longest key accepted, in characters of its written form. */
    public static final int MAX_LENGTH = 256;

    /** The rule, as error messages state it. */
    public static final String RULE = "a key is one or more segments joined by '.' (e.g. plant.default_name); a segment is ASCII "
            + "letters, digits, '_' or '-', or any other text in quotes as TOML writes keys (target.\"cfg(unix)\".dependencies), "
            + "at most " + MAX_LENGTH + " characters";

    private final String path;
    private final List<String> segments;

    private Key(String path, List<String> segments) {
        this.path = path;
        this.segments = segments;
    }

    /**
     * The key with the given text: segments joined by {@code '.'}, each bare or quoted
     * ({@code target.'cfg(unix)'.dependencies}); see the class comment.
     *
     * @throws InvalidKeyException naming the key and the rule it breaks
     */
    public static Key of(String path) {
        Objects.requireNonNull(path, "key");
        if (path.length() > MAX_LENGTH * 4) { // longer than any spelling of a key of MAX_LENGTH
            throw new InvalidKeyException(path, "it is " + path.length() + " characters long");
        }
        KeySyntax.Parsed parsed = KeySyntax.parse(path);
        if (parsed.problem() != null) {
            throw new InvalidKeyException(path, parsed.problem());
        }
        return make(parsed.segments(), path);
    }

    private static Key make(List<String> segments, String shownAs) {
        String text = KeySyntax.join(segments);
        if (text.length() > MAX_LENGTH) {
            throw new InvalidKeyException(shownAs, "it is " + text.length() + " characters long");
        }
        return new Key(text, List.copyOf(segments));
    }

    /**
     * The key made of these segments, each taken as it is (the segment {@code x.y} is one segment,
     * written {@code "x.y"} in quotes).
     *
     * @throws InvalidKeyException if there are no segments, a segment holds a lone surrogate, or the key is too long
     */
    public static Key ofSegments(List<String> segments) {
        if (segments.isEmpty()) {
            throw new InvalidKeyException("", "the key is empty");
        }
        for (String segment : segments) {
            String problem = KeySyntax.segmentProblem(Objects.requireNonNull(segment, "segment"));
            if (problem != null) {
                throw new InvalidKeyException(KeySyntax.join(segments), problem);
            }
        }
        return make(segments, KeySyntax.join(segments));
    }

    /**
     * The key of one segment, taken as it is: {@code plant}, or {@code "x.y"} for the segment {@code x.y}.
     *
     * @throws InvalidKeyException if the segment holds a lone surrogate or is too long
     */
    public static Key root(String segment) {
        return ofSegments(List.of(segment));
    }

    /**
     * The key one level below this one: {@code plant} and {@code default_name} make
     * {@code plant.default_name}; the segment is taken as it is (quoted in the text when it is not
     * bare). Only the new segment is checked, which makes walking a document's tree cheap.
     *
     * @throws InvalidKeyException if the segment holds a lone surrogate or the key grows too long
     */
    public Key child(String segment) {
        StringBuilder text = new StringBuilder(path.length() + segment.length() + 3).append(path).append('.');
        if (KeySyntax.isBare(segment)) {
            text.append(segment);
        } else {
            String problem = KeySyntax.segmentProblem(segment);
            if (problem != null) {
                throw new InvalidKeyException(path + "." + KeySyntax.format(segment), problem);
            }
            KeySyntax.appendSegment(segment, text);
        }
        String childPath = text.toString();
        if (childPath.length() > MAX_LENGTH) {
            throw new InvalidKeyException(childPath, "it is " + childPath.length() + " characters long");
        }
        String[] childSegments = segments.toArray(new String[segments.size() + 1]);
        childSegments[segments.size()] = segment;
        return new Key(childPath, List.of(childSegments));
    }

    /** Whether {@code path} is a valid key's text (in any of its spellings, {@code 'a b'} as well as {@code "a b"}). */
    public static boolean isValid(String path) {
        if (path == null || path.length() > MAX_LENGTH * 4) {
            return false;
        }
        KeySyntax.Parsed parsed = KeySyntax.parse(path);
        return parsed.problem() == null && KeySyntax.join(parsed.segments()).length() <= MAX_LENGTH;
    }

    /**
     * Whether the bytes {@code text[start, end)} are the UTF-8 of a valid key's written form (its
     * {@link #path()}), for readers of millions of rows that should not make a {@code String} of
     * each to ask. A key of bare segments is answered byte by byte.
     */
    public static boolean isValid(byte[] text, int start, int end) {
        return KeySyntax.isCanonical(text, start, end);
    }

    /**
     * Whether {@code text} is a key written as Waterfall writes it: valid, and equal to its
     * {@link #path()} ({@code a."b c"}, not {@code a.'b c'}; {@code a.b}, not {@code a."b"}).
     */
    public static boolean isWritten(String text) {
        return text != null && KeySyntax.isCanonical(text);
    }

    /** The written form of one segment: itself when bare, else double-quoted with TOML's escapes ({@code "cfg(unix)"}). */
    public static String segmentText(String segment) {
        return KeySyntax.format(segment);
    }

    /**
     * Whether every segment is bare ({@code server.port}, not {@code target."cfg(unix)"}). Only such
     * keys have an environment variable: a variable's name cannot say where a quoted segment ends.
     */
    public boolean isBare() {
        return path.indexOf('"') < 0;
    }

    /** The keys above this one, outermost first: {@code a} and {@code a."b.c"} for {@code a."b.c".d}. */
    public List<Key> ancestors() {
        List<Key> ancestors = new ArrayList<>(segments.size() - 1);
        Key at = null;
        for (int i = 0; i < segments.size() - 1; i++) {
            at = at == null ? root(segments.get(0)) : at.child(segments.get(i));
            ancestors.add(at);
        }
        return ancestors;
    }

    /** Whether {@code name} is a valid profile name: one segment of ASCII letters, digits, '_' or '-'. */
    public static boolean isProfileName(String name) {
        return name != null && name.length() < MAX_LENGTH && KeySyntax.isBare(name);
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

    /** The written text of this key: segments joined by {@code '.'}, quoted where they are not bare. */
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
        return KeySyntax.compare(path, other.path);
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
