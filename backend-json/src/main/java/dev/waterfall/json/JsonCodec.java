package dev.waterfall.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.DateTimeValue;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.engine.JsonValues;
import dev.waterfall.file.Document;
import dev.waterfall.file.DocumentCodec;
import dev.waterfall.file.Edit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON file format: one top-level object whose nested objects are key paths and whose other
 * values are leaves ({@code {"plant": {"default_name": "Rosemary"}}} holds
 * {@code plant.default_name}).
 *
 * <p>Reading is strict RFC 8259 in UTF-8 without a byte order mark; a file that breaks it is an
 * error with line and column. Writing pretty-prints the whole file, keeping the order of existing
 * members (new ones go at the end of their object), the file's indentation unit and its line
 * endings, and empty objects a person left. Date-times are stored as ISO-8601 strings; JSON has no
 * infinities or NaN, so those are refused.
 *
 * <p>Why this class is still long (about 800 lines): reading with line numbers, writing in the
 * file's own layout and splicing one changed value share the layout model; splitting it as the
 * TOML codec is split (reader, editor, splice) is the next step (docs/architecture.md).
 */
final class JsonCodec implements DocumentCodec {

    private static final int INLINE_ARRAY_WIDTH = 72;

    private final JsonFactory factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    @Override
    public String formatName() {
        return "JSON";
    }

    @Override
    public String extension() {
        return "json";
    }

    /** A leaf of the member tree: its key (so rendering need not rebuild it) and its value. Immutable. */
    record Leaf(Key key, Value value) {
    }

    /**
     * A JSON file: the member tree (for rewriting in order), its leaves, and either the line of
     * every leaf (a parsed file) or the rendered text of every object (a file this codec wrote),
     * from which lines are found and which the next edit reuses for the objects it does not touch.
     */
    static final class JsonDocument implements Document {
        /**
         * Members in file order; a value is either a nested {@code LinkedHashMap} (an object) or a
         * {@link Leaf}. Never modified once the document exists: an edit copies the maps on the
         * paths it changes and shares the rest.
         */
        final LinkedHashMap<String, Object> root;
        /** The leaves by key: a map of their own for a parsed file, a view of {@link #root} for a rendered one. */
        private final Map<Key, Value> values;
        /** Each leaf's line, for a parsed file; {@code null} for a rendered one. */
        private final Map<Key, Integer> lines;
        /** The rendered text of each object of {@link #root}, by identity; empty for a parsed file. */
        final Map<Object, Chunk> chunks;
        final String indent;
        final String newline;

        /** A parsed file: its leaves and their lines. */
        JsonDocument(LinkedHashMap<String, Object> root, Map<Key, Value> values, Map<Key, Integer> lines, String indent, String newline) {
            this(root, Collections.unmodifiableMap(values), lines, Map.of(), indent, newline);
        }

        /** A rendered file, with {@code leaves} leaves in its tree. */
        JsonDocument(LinkedHashMap<String, Object> root, Map<Object, Chunk> chunks, int leaves, String indent, String newline) {
            this(root, new TreeValues(root, leaves), null, chunks, indent, newline);
        }

        private JsonDocument(LinkedHashMap<String, Object> root, Map<Key, Value> values, Map<Key, Integer> lines,
                             Map<Object, Chunk> chunks, String indent, String newline) {
            this.root = root;
            this.values = values;
            this.lines = lines;
            this.chunks = chunks;
            this.indent = indent;
            this.newline = newline;
        }

        @Override
        public Map<Key, Value> values() {
            return values;
        }

        /**
         * Compares the two member trees, skipping every object they share: an object is never
         * modified once in a document, so a shared one holds the same leaves in both. What differs
         * is read from the trees themselves, not from the edits, so the kernel's check of a write
         * still catches an edit that went wrong.
         */
        @Override
        public Map<Key, Optional<Value>> changesFrom(Document previous) {
            if (!(previous instanceof JsonDocument before)) {
                return Document.super.changesFrom(previous);
            }
            Map<Key, Optional<Value>> changes = new HashMap<>();
            compare(before.root, root, changes);
            return changes;
        }

        @SuppressWarnings("unchecked")
        private static void compare(Map<String, Object> before, Map<String, Object> after, Map<Key, Optional<Value>> changes) {
            if (before == after) {
                return;
            }
            for (Map.Entry<String, Object> member : after.entrySet()) {
                Object old = before == null ? null : before.get(member.getKey());
                if (member.getValue() instanceof Leaf leaf) {
                    if (!(old instanceof Leaf oldLeaf) || !oldLeaf.value().equals(leaf.value())) {
                        gone(old, changes);
                        changes.put(leaf.key(), Optional.of(leaf.value()));
                    }
                } else if (old instanceof Leaf) {
                    gone(old, changes);
                    compare(null, (Map<String, Object>) member.getValue(), changes);
                } else {
                    compare((Map<String, Object>) old, (Map<String, Object>) member.getValue(), changes);
                }
            }
            if (before != null) {
                for (Map.Entry<String, Object> member : before.entrySet()) {
                    if (!after.containsKey(member.getKey())) {
                        gone(member.getValue(), changes);
                    }
                }
            }
        }

        /** Notes every leaf of a member that is no longer there (a leaf, an object or nothing). */
        private static void gone(Object member, Map<Key, Optional<Value>> changes) {
            if (member instanceof Leaf leaf) {
                changes.put(leaf.key(), Optional.empty());
            } else if (member instanceof Map<?, ?> object) {
                for (Object child : object.values()) {
                    gone(child, changes);
                }
            }
        }

        @Override
        public int line(Key key) {
            if (lines != null) {
                return lines.getOrDefault(key, 0);
            }
            if (!values().containsKey(key)) {
                return 0;
            }
            // Down the key's path: each object's text knows the line of each of its members.
            int line = 1;
            Object node = root;
            for (String segment : key.segments()) {
                Chunk chunk = chunks.get(node);
                Integer offset = chunk == null ? null : chunk.memberLines.get(segment);
                if (offset == null) {
                    return 0;
                }
                line += offset;
                node = ((Map<?, ?>) node).get(segment);
            }
            return line;
        }
    }

    /**
     * The leaves of a member tree as a read-only map, looked up along each key's path: a rendered
     * document needs no map of its own, so a write does not copy one.
     */
    static final class TreeValues extends AbstractMap<Key, Value> {
        private final Map<String, Object> root;
        private final int size;

        TreeValues(Map<String, Object> root, int size) {
            this.root = root;
            this.size = size;
        }

        @Override
        public Value get(Object key) {
            if (!(key instanceof Key path)) {
                return null;
            }
            Object node = root;
            for (String segment : path.segments()) {
                if (!(node instanceof Map<?, ?> object)) {
                    return null;
                }
                node = object.get(segment);
            }
            return node instanceof Leaf leaf ? leaf.value() : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Set<Map.Entry<Key, Value>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<Key, Value>> iterator() {
                    return new LeafIterator(root);
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }
    }

    /** The leaves of a member tree in file order, depth first. */
    private static final class LeafIterator implements Iterator<Map.Entry<Key, Value>> {
        private final Deque<Iterator<Object>> path = new ArrayDeque<>();
        private Leaf next;

        LeafIterator(Map<String, Object> root) {
            path.push(root.values().iterator());
            advance();
        }

        @SuppressWarnings("unchecked")
        private void advance() {
            next = null;
            while (!path.isEmpty()) {
                Iterator<Object> members = path.peek();
                if (!members.hasNext()) {
                    path.pop();
                    continue;
                }
                Object member = members.next();
                if (member instanceof Leaf leaf) {
                    next = leaf;
                    return;
                }
                path.push(((Map<String, Object>) member).values().iterator());
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Map.Entry<Key, Value> next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Map.Entry<Key, Value> entry = new AbstractMap.SimpleImmutableEntry<>(next.key(), next.value());
            advance();
            return entry;
        }
    }

    /**
     * The pretty-printed text of one object at its depth, from its '{' to its '}': UTF-8 segments
     * ({@code byte[]}) interleaved with the chunks of nested objects, which are shared, not copied,
     * between the documents of successive edits. Immutable.
     */
    static final class Chunk {
        final Object[] parts;
        final int length;
        final int lineBreaks;
        /** Member name to the number of line breaks between the '{' and the member's name. */
        final Map<String, Integer> memberLines;
        /** The nested objects (the maps themselves), in the order of their chunks in {@link #parts}. */
        final Object[] children;
        /** How many leaves the object holds, nested ones included. */
        final int leaves;

        Chunk(Object[] parts, int length, int lineBreaks, Map<String, Integer> memberLines, Object[] children, int leaves) {
            this.leaves = leaves;
            this.parts = parts;
            this.length = length;
            this.lineBreaks = lineBreaks;
            this.memberLines = memberLines;
            this.children = children;
        }

        /** Registers this chunk and those nested in it under their objects. */
        void registerIn(Map<Object, Chunk> chunks, Object object) {
            chunks.put(object, this);
            int child = 0;
            for (Object part : parts) {
                if (part instanceof Chunk nested) {
                    nested.registerIn(chunks, children[child++]);
                }
            }
        }

        /** Copies the text into {@code out} from {@code at}; returns the offset after it. */
        int copyTo(byte[] out, int at) {
            for (Object part : parts) {
                if (part instanceof byte[] bytes) {
                    System.arraycopy(bytes, 0, out, at, bytes.length);
                    at += bytes.length;
                } else {
                    at = ((Chunk) part).copyTo(out, at);
                }
            }
            return at;
        }
    }

    // ------------------------------------------------------------------ parse

    @Override
    public JsonDocument parse(byte[] content, String source) {
        if (content.length == 0) {
            throw new StoreBrokenException(source, 1, 1, "the file is empty; a JSON store is an object: write {} into it or delete the file");
        }
        if (content.length >= 3 && (content[0] & 0xff) == 0xEF && (content[1] & 0xff) == 0xBB && (content[2] & 0xff) == 0xBF) {
            throw new StoreBrokenException(source, 1, 1, "the file starts with a UTF-8 byte order mark (EF BB BF), which JSON does not allow; "
                    + "save it as UTF-8 without BOM");
        }
        if (content.length >= 2 && ((content[0] & 0xff) == 0xFE && (content[1] & 0xff) == 0xFF
                || (content[0] & 0xff) == 0xFF && (content[1] & 0xff) == 0xFE)) {
            throw new StoreBrokenException(source, 1, 1, "the file is UTF-16; JSON files must be UTF-8: save it as UTF-8 without BOM");
        }
        String text = decodeUtf8(content, source);
        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        Map<Key, Value> values = new LinkedHashMap<>();
        Map<Key, Integer> lines = new HashMap<>();
        JsonParser opened = null;
        try (JsonParser parser = factory.createParser(text)) {
            opened = parser;
            JsonToken first = parser.nextToken();
            if (first == null) {
                int lastLine = text.lastIndexOf('\n') + 1;
                throw new StoreBrokenException(source, (int) text.chars().filter(c -> c == '\n').count() + 1, text.length() - lastLine + 1,
                        "the file holds only whitespace; a JSON store is an object: write {} into it or delete the file");
            }
            if (first != JsonToken.START_OBJECT) {
                throw new StoreBrokenException(source, lineOf(parser), columnOf(parser),
                        "the top level must be a JSON object ({...}), not " + describe(first));
            }
            readObject(parser, root, null, values, lines, source);
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw new StoreBrokenException(source, lineOf(parser), columnOf(parser),
                        "unexpected " + describe(trailing) + " after the end of the top-level object; remove it");
            }
        } catch (JsonProcessingException e) {
            // A limit of Jackson's (a number too long, nesting too deep) comes without a location: the
            // parser's is where it stopped.
            JsonLocation at = e.getLocation() != null ? e.getLocation() : opened == null ? null : opened.currentLocation();
            String member = currentName(opened);
            boolean secret = member != null && looksSecretMember(member);
            // Jackson quotes the text it stumbled on ("Unrecognized token 'hunter2'"): not for a secret's value.
            throw new StoreBrokenException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    "not valid JSON: " + (secret ? "the value of member \"" + member + "\" is not a valid JSON value (it is not shown: "
                            + "the name looks like a secret's; text needs double quotes)" : clarify(e.getOriginalMessage())), e);
        } catch (InvalidValueException e) {
            JsonLocation at = opened == null ? null : opened.currentTokenLocation();
            throw new StoreBrokenException(source, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), e.getMessage(), e);
        } catch (IOException e) {
            throw new StoreBrokenException(source, 0, 0, "cannot read: " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        return new JsonDocument(root, values, lines, detectIndent(text), text.contains("\r\n") ? "\r\n" : "\n");
    }

    /** Whether a member's name, any text (a quoted key segment: {@code "api key"}), names a secret. */
    private static boolean looksSecretMember(String member) {
        try {
            return dev.waterfall.config.SecretPolicy.looksSecret(Key.root(member));
        } catch (dev.waterfall.config.InvalidKeyException e) {
            return false;
        }
    }

    private void readObject(JsonParser parser, LinkedHashMap<String, Object> into, Key parent, Map<Key, Value> values,
                            Map<Key, Integer> lines, String source) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            int line = lineOf(parser);
            Key key;
            try {
                key = parent == null ? Key.root(name) : parent.child(name);
            } catch (dev.waterfall.config.InvalidKeyException e) {
                throw new StoreBrokenException(source, line, columnOf(parser), "member \"" + dev.waterfall.config.spi.Echo.of(name) + "\""
                        + (parent == null ? "" : " in " + dev.waterfall.config.spi.Echo.of(parent.toString())) + " cannot be a Waterfall key: "
                        + e.getMessage().substring(e.getMessage().indexOf(": ") + 2) + "; rename it");
            }
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_OBJECT) {
                LinkedHashMap<String, Object> child = new LinkedHashMap<>();
                into.put(name, child);
                readObject(parser, child, key, values, lines, source);
            } else {
                Value value = JsonValues.readCurrent(parser);
                into.put(name, new Leaf(key, value));
                values.put(key, value);
                lines.put(key, line);
            }
        }
    }

    /** The member the parser was in, or null. */
    private static String currentName(JsonParser parser) {
        try {
            return parser == null ? null : parser.currentName();
        } catch (IOException e) {
            return null;
        }
    }

    private static int lineOf(JsonParser parser) {
        return parser.currentTokenLocation().getLineNr();
    }

    private static int columnOf(JsonParser parser) {
        return parser.currentTokenLocation().getColumnNr();
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case START_OBJECT -> "a second object";
            default -> token.asString() == null ? token.name() : "'" + token.asString() + "'";
        };
    }

    /** Jackson's messages, with a hint for the mistakes people make by hand. */
    private static String clarify(String message) {
        // Jackson's own words, without its internals: "(1000, from `StreamReadConstraints.getMaxNumberLength()`)"
        // names a setting of the library, not of the file, and " at [Source: REDACTED ...]" says nothing.
        String first = dev.waterfall.config.spi.Echo.parserMessage(message);
        if (first.contains("was expecting double-quote to start field name")) {
            return first + " (a trailing comma before '}', or a member name without quotes?)";
        }
        if (first.contains("expected a value") || first.contains("Unexpected character (']'")) {
            return first + " (a trailing comma before ']'?)";
        }
        if (first.contains("end-of-input")) {
            return first + " (the file is truncated or a bracket is missing)";
        }
        if (first.contains("Duplicate field")) {
            return first + " (a member appears twice in one object; keep one)";
        }
        if (first.contains("ALLOW_COMMENTS") || first.contains("comment")) {
            return "comments are not allowed in JSON; remove them (or use a TOML store, which keeps comments)";
        }
        return first;
    }

    private static String decodeUtf8(byte[] content, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CharBuffer out = CharBuffer.allocate(content.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (content[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = new String(content, lineStart, offset - lineStart, StandardCharsets.UTF_8).length() + 1;
            throw new StoreBrokenException(source, line, column, String.format(
                    "invalid UTF-8 (byte 0x%02X at offset %d); the file must be UTF-8: re-save it as UTF-8", content[offset] & 0xff, offset));
        }
        try {
            decoder.flush(out);
        } catch (RuntimeException e) {
            throw new StoreBrokenException(source, 0, 0, "invalid UTF-8: " + e.getMessage());
        }
        out.flip();
        return out.toString();
    }

    /** The indentation unit of the first indented line (a tab, or up to eight spaces); two spaces if none. */
    private static String detectIndent(String text) {
        int lineStart = 0;
        while (lineStart < text.length()) {
            int end = text.indexOf('\n', lineStart);
            if (end < 0) {
                end = text.length();
            }
            if (lineStart < end && text.charAt(lineStart) == '\t') {
                return "\t";
            }
            int spaces = 0;
            while (lineStart + spaces < end && text.charAt(lineStart + spaces) == ' ') {
                spaces++;
            }
            if (spaces > 0 && lineStart + spaces < end && text.charAt(lineStart + spaces) != '\r') {
                return " ".repeat(Math.min(spaces, 8));
            }
            lineStart = end + 1;
        }
        return "  ";
    }

    // ------------------------------------------------------------------ write

    @Override
    public Value normalize(Value value) {
        if (value instanceof DateTimeValue dateTime) {
            return new StringValue(dateTime.text());
        }
        if (value instanceof NumberValue number && !number.isFinite()) {
            throw new InvalidValueException("JSON has no " + number.literal() + "; store it as a string, or use a TOML store");
        }
        if (value instanceof ArrayValue array) {
            List<Value> items = new ArrayList<>(array.items().size());
            boolean changed = false;
            for (Value item : array.items()) {
                Value normalized = normalize(item);
                changed |= normalized != item;
                items.add(normalized);
            }
            return changed ? new ArrayValue(items) : value;
        }
        if (value instanceof TableValue table) {
            Map<String, Value> members = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                Value normalized = normalize(member.getValue());
                changed |= normalized != member.getValue();
                members.put(member.getKey(), normalized);
            }
            return changed ? new TableValue(members) : value;
        }
        return value;
    }

    @Override
    public byte[] edit(Document current, List<Edit> edits) {
        return editWithDocument(current, edits).bytes();
    }

    /**
     * Renders the edited member tree and returns the document of that same tree, so the kernel need
     * not parse the file it is about to write (JsonFileFormatTest proves rendering and parsing agree
     * on random documents). Objects the edits did not touch are the same objects as in the current
     * document, and their text is reused from it: a set renders the objects on its key's path only.
     */
    @Override
    public Edited editWithDocument(Document current, List<Edit> edits) {
        JsonDocument document = (JsonDocument) current;
        LinkedHashMap<String, Object> root = document == null ? new LinkedHashMap<>() : new LinkedHashMap<>(document.root);
        Set<Object> copied = Collections.newSetFromMap(new IdentityHashMap<>());
        copied.add(root);
        for (Edit edit : edits) {
            List<String> segments = edit.key().segments();
            if (edit.isRemove()) {
                remove(root, segments, 0, copied);
            } else {
                put(root, edit.key(), edit.value().get(), copied);
            }
        }
        String indent = document == null ? "  " : document.indent;
        String newline = document == null ? "\n" : document.newline;
        Renderer renderer = new Renderer(indent, newline, document == null ? Map.of() : document.chunks);
        Chunk text = renderer.render(root, 0);
        byte[] ending = newline.getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[text.length + ending.length];
        System.arraycopy(ending, 0, bytes, text.copyTo(bytes, 0), ending.length);

        return new Edited(bytes, new JsonDocument(root, renderer.chunks, text.leaves, indent, newline));
    }

    /** The child object {@code name} of {@code parent}, copied (once per edit) so the old document stays as it was. */
    @SuppressWarnings("unchecked")
    private static LinkedHashMap<String, Object> writableChild(LinkedHashMap<String, Object> parent, String name, Set<Object> copied) {
        Object child = parent.get(name);
        LinkedHashMap<String, Object> writable;
        if (child instanceof LinkedHashMap<?, ?> object) {
            if (copied.contains(object)) {
                return (LinkedHashMap<String, Object>) object;
            }
            writable = new LinkedHashMap<>((LinkedHashMap<String, Object>) object);
        } else {
            // Absent, or a leaf the kernel has already checked is being replaced in this batch.
            writable = new LinkedHashMap<>();
        }
        parent.put(name, writable);
        copied.add(writable);
        return writable;
    }

    private static void put(LinkedHashMap<String, Object> root, Key key, Value value, Set<Object> copied) {
        List<String> segments = key.segments();
        LinkedHashMap<String, Object> object = root;
        for (int i = 0; i < segments.size() - 1; i++) {
            object = writableChild(object, segments.get(i), copied);
        }
        object.put(segments.get(segments.size() - 1), new Leaf(key, value));
    }

    /** Removes a leaf and the objects that only held it. Returns whether {@code object} is now empty. */
    private static boolean remove(LinkedHashMap<String, Object> object, List<String> segments, int depth, Set<Object> copied) {
        String name = segments.get(depth);
        Object child = object.get(name);
        if (child == null) {
            return false;
        }
        if (depth == segments.size() - 1) {
            object.remove(name);
            return object.isEmpty();
        }
        if (child instanceof LinkedHashMap && remove(writableChild(object, name, copied), segments, depth + 1, copied)) {
            object.remove(name);
            return object.isEmpty();
        }
        return false;
    }

    /**
     * Pretty-prints a member tree into {@link Chunk}s, reusing the chunk of every object that the
     * previous document already rendered (an unchanged object is the same object at the same depth,
     * with the same indentation and line endings, so its text is the same).
     */
    private static final class Renderer {
        private final String indent;
        private final String newline;
        private final Map<Object, Chunk> previous;
        final Map<Object, Chunk> chunks = new IdentityHashMap<>();

        // The object being rendered: finished parts, the open segment, and its line breaks so far.
        private List<Object> parts;
        private List<Object> children;
        private StringBuilder out;
        private int length;
        private int lineBreaks;

        Renderer(String indent, String newline, Map<Object, Chunk> previous) {
            this.indent = indent;
            this.newline = newline;
            this.previous = previous;
        }

        @SuppressWarnings("unchecked")
        Chunk render(Map<String, Object> object, int depth) {
            Chunk reused = previous.get(object);
            if (reused != null) {
                reused.registerIn(chunks, object);
                return reused;
            }
            List<Object> outerParts = parts;
            List<Object> outerChildren = children;
            StringBuilder outerOut = out;
            int outerLength = length;
            int outerBreaks = lineBreaks;
            parts = new ArrayList<>(4);
            children = new ArrayList<>(2);
            out = new StringBuilder(64 * object.size() + 16);
            length = 0;
            lineBreaks = 0;
            Map<String, Integer> memberLines = new HashMap<>(Math.max(4, (int) (object.size() / 0.75f) + 1));
            int leaves = 0;

            if (object.isEmpty()) {
                out.append("{}");
            } else {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> member : object.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    newline(depth + 1);
                    memberLines.put(member.getKey(), lineBreaks);
                    JsonValues.appendString(member.getKey(), false, out);
                    out.append(": ");
                    Object value = member.getValue();
                    if (value instanceof Leaf leaf) {
                        writeValue(leaf.value(), depth + 1);
                        leaves++;
                    } else {
                        flush();
                        Chunk child = render((Map<String, Object>) value, depth + 1);
                        parts.add(child);
                        children.add(value);
                        leaves += child.leaves;
                        length += child.length;
                        lineBreaks += child.lineBreaks;
                    }
                }
                newline(depth);
                out.append('}');
            }
            flush();
            Chunk chunk = new Chunk(parts.toArray(), length, lineBreaks, memberLines, children.toArray(), leaves);
            chunks.put(object, chunk);

            parts = outerParts;
            children = outerChildren;
            out = outerOut;
            length = outerLength;
            lineBreaks = outerBreaks;
            return chunk;
        }

        /** Ends the open segment. */
        private void flush() {
            if (out.length() > 0) {
                byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
                parts.add(bytes);
                length += bytes.length;
                out.setLength(0);
            }
        }

        private void newline(int depth) {
            out.append(newline);
            lineBreaks++;
            for (int i = 0; i < depth; i++) {
                out.append(indent);
            }
        }

        private void writeTable(TableValue table, int depth) {
            if (table.members().isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Value> member : table.members().entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                JsonValues.appendString(member.getKey(), false, out);
                out.append(": ");
                writeValue(member.getValue(), depth + 1);
            }
            newline(depth);
            out.append('}');
        }

        private void writeValue(Value value, int depth) {
            if (value instanceof TableValue table) {
                writeTable(table, depth);
            } else if (value instanceof ArrayValue array) {
                if (array.items().isEmpty()) {
                    out.append("[]");
                    return;
                }
                String inline = inlineArray(array);
                if (inline != null) {
                    out.append(inline);
                    return;
                }
                out.append('[');
                boolean first = true;
                for (Value item : array.items()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    newline(depth + 1);
                    writeValue(item, depth + 1);
                }
                newline(depth);
                out.append(']');
            } else {
                JsonValues.write(value, false, out);
            }
        }
    }

    /** A short array of scalars on one line, as a person would write it, or {@code null}. */
    private static String inlineArray(ArrayValue array) {
        StringBuilder line = new StringBuilder("[");
        for (Value item : array.items()) {
            if (item instanceof ArrayValue || item instanceof TableValue) {
                return null;
            }
            if (line.length() > 1) {
                line.append(", ");
            }
            JsonValues.write(item, false, line);
            if (line.length() > INLINE_ARRAY_WIDTH) {
                return null;
            }
        }
        return line.append(']').toString();
    }
}
