package dev.waterfall.config.binding;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.Origin;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One place in the resolved subtree being bound: a key with the value that won for it and where
 * that value came from, or a table of keys below it. Tables and arrays inside a value (a TOML
 * inline table, a JSON array of objects, an environment variable holding {@code {"port":80}}) are
 * opened into sources of their own that keep the value's origin, so an error deep inside them
 * still names the file and line.
 */
final class Source {

    /** The key as messages name it: {@code server.max_retries}, {@code servers[2].port}; "" for the root. */
    final String key;
    /** The key as Waterfall knows it, when a layer holds it as a key of its own (not inside a value): to resolve a secret through. */
    Key realKey;
    /** The winning value, or null for a table of keys. */
    Value value;
    /** Where the value came from; for a table of keys, the origin of its highest-priority key. */
    Origin origin;
    /** The environment variable's text, when the value came from one: read it as the target type asks. */
    String envText;
    /** Whether the value is a secret that a {@code ${secret:NAME}} reference stood for. */
    boolean secret;
    private Map<String, Source> children;

    Source(String key, Key realKey, Value value, Origin origin) {
        this.key = key;
        this.realKey = realKey;
        this.value = value;
        this.origin = origin;
    }

    /** An empty place: a key no layer holds, under which the environment may still give values. */
    static Source empty(String key) {
        return new Source(key, null, null, null);
    }

    /** A value given by environment variable {@code variable}. */
    static Source ofEnvironment(String key, Key realKey, String variable, String text) {
        Source source = new Source(key, realKey, null, new Origin(Layer.ENV, variable, 0));
        source.envText = text;
        return source;
    }

    /**
     * The tree of {@code resolved}, every key at or under {@code prefix} ({@code ""} for all), as
     * {@link dev.waterfall.config.Waterfall#list(String)} returns them.
     */
    static Source tree(String prefix, List<Resolved> resolved) {
        Source root = empty(prefix);
        int depth = prefix.isEmpty() ? 0 : Key.of(prefix).segments().size();
        for (Resolved r : resolved) {
            List<String> segments = r.key().segments();
            Source at = root;
            for (int i = depth; i < segments.size(); i++) {
                at = at.childFor(segments.get(i));
            }
            at.realKey = r.key();
            at.value = r.value();
            at.origin = r.origin();
            at.envText = null;
            at.secret = r.secret().isPresent();
        }
        return root;
    }

    private Source childFor(String segment) {
        if (children == null) {
            children = new LinkedHashMap<>();
        }
        Source child = children.get(segment);
        if (child == null) {
            String childKey = key.isEmpty() ? segment : key + "." + segment;
            child = new Source(childKey, null, null, null);
            children.put(segment, child);
        }
        return child;
    }

    /** Whether a layer holds a value here or keys below. */
    boolean isPresent() {
        return value != null || envText != null || (children != null && !children.isEmpty());
    }

    /** Whether this is a table of keys, or a table value opened into one. */
    boolean isTable() {
        return value == null && envText == null ? children != null && !children.isEmpty() : value instanceof TableValue;
    }

    /**
     * The keys below: those of the layers, or the members of a table value, each keeping this
     * value's origin.
     */
    Map<String, Source> children() {
        if (value instanceof TableValue table && children == null) {
            Map<String, Source> members = new LinkedHashMap<>();
            table.members().forEach((name, member) -> {
                Source child = new Source(key.isEmpty() ? name : key + "." + name, null, member, origin);
                child.secret = secret;
                members.put(name, child);
            });
            children = members;
        }
        return children == null ? Collections.emptyMap() : children;
    }

    /** The items of an array value, each keeping this value's origin, named {@code key[i]}. */
    List<Source> items(ArrayValue array) {
        List<Source> items = new ArrayList<>(array.items().size());
        for (int i = 0; i < array.items().size(); i++) {
            Source item = new Source(key + "[" + i + "]", null, array.items().get(i), origin);
            item.secret = secret;
            items.add(item);
        }
        return items;
    }

    /** The origin of this value, or of the first key below it that has one. */
    Origin anyOrigin() {
        if (origin != null) {
            return origin;
        }
        for (Source child : children().values()) {
            Origin found = child.anyOrigin();
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
