package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A Java-library writer of the failover trials ({@link PostgresFailoverTrials}), as a process of its
 * own: until the stop file exists, sets {@code NAME.kI} to I and increments {@code counter} by
 * compare-and-set, one write each, and prints a line for every outcome:
 * <pre>
 *   ack NAME.kI MILLIS          the set returned: acknowledged
 *   inc VALUE MILLIS            the increment to VALUE returned: acknowledged
 *   fail WHAT MILLIS MESSAGE    the write failed (a clear error; not acknowledged)
 * </pre>
 * Arguments: URI NAME STOP-FILE.
 */
public final class FailoverWriter {

    private FailoverWriter() {
    }

    public static void main(String[] args) throws Exception {
        String uri = args[0];
        String name = args[1];
        Path stop = Path.of(args[2]);
        Key counter = Key.of("counter");
        try (Waterfall waterfall = Waterfall.builder("trial").store(uri).environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir"))).open()) {
            ConfigStore store = waterfall.store();
            for (int i = 1; !Files.exists(stop); i++) {
                String key = name + ".k" + i;
                try {
                    store.set(Key.of(key), Value.of(i));
                    say("ack " + key + " " + System.currentTimeMillis());
                } catch (WaterfallException e) {
                    say("fail " + key + " " + System.currentTimeMillis() + " " + e.getMessage());
                }
                try {
                    while (true) {
                        Optional<Entry> current = store.get(counter);
                        long value = current.map(entry -> ((NumberValue) entry.value()).longValueExact()).orElse(0L);
                        try {
                            store.compareAndSet(counter, current.map(Entry::revision).orElse(0L), Value.of(value + 1));
                            say("inc " + (value + 1) + " " + System.currentTimeMillis());
                            break;
                        } catch (RevisionConflictException e) {
                            // another writer was first: read again
                        }
                    }
                } catch (WaterfallException e) {
                    say("fail counter " + System.currentTimeMillis() + " " + e.getMessage());
                }
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
