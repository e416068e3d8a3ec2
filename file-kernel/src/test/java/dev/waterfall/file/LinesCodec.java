package dev.waterfall.file;

import dev.waterfall.config.Key;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.Value;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately small real format for testing the kernel on its own: one {@code key=json} per
 * line. Kernel behaviour (history, rotation, compaction) does not depend on the format.
 */
final class LinesCodec implements DocumentCodec {

    record LinesDocument(Map<Key, Value> values, Map<Key, Integer> lines) implements Document {
        @Override
        public int line(Key key) {
            return lines.getOrDefault(key, 0);
        }
    }

    @Override
    public String formatName() {
        return "lines";
    }

    @Override
    public String extension() {
        return "lines";
    }

    @Override
    public Document parse(byte[] content, String source) {
        Map<Key, Value> values = new LinkedHashMap<>();
        Map<Key, Integer> lines = new HashMap<>();
        String[] rows = new String(content, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].isEmpty()) {
                continue;
            }
            int equals = rows[i].indexOf('=');
            if (equals < 1) {
                throw new StoreBrokenException(source, i + 1, 1, "expected key=value");
            }
            Key key = Key.of(rows[i].substring(0, equals));
            values.put(key, Value.parseJson(rows[i].substring(equals + 1)));
            lines.put(key, i + 1);
        }
        return new LinesDocument(values, lines);
    }

    @Override
    public byte[] edit(Document current, List<Edit> edits) {
        Map<Key, Value> values = new LinkedHashMap<>(current == null ? Map.of() : current.values());
        for (Edit edit : edits) {
            if (edit.isRemove()) {
                values.remove(edit.key());
            } else {
                values.put(edit.key(), edit.value().get());
            }
        }
        StringBuilder out = new StringBuilder();
        values.forEach((key, value) -> out.append(key).append('=').append(value.toJson()).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
