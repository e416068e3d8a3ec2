package dev.waterfall.cli;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.engine.JsonValues;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Java library's side of the cross-language tests, as a process of its own (surface {@code app}):
 * <pre>
 *   distinct URI PREFIX COUNT   set PREFIX.k0 .. PREFIX.k(COUNT-1) to their index, one write each
 *   counter  URI KEY COUNT      increment KEY COUNT times with compare-and-set and retry
 *   setmany  URI FILE           set each "KEY&lt;TAB&gt;JSON" line of FILE, one write each
 * </pre>
 * Prints "ready" once the store is open and "done" at the end.
 */
public final class LibraryWriter {

    private LibraryWriter() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        try (Waterfall waterfall = Waterfall.builder("contract").store(args[1]).environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir"))).open()) {
            ConfigStore store = waterfall.store();
            System.out.println("ready");
            System.out.flush();
            switch (mode) {
                case "distinct" -> {
                    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                        store.set(Key.of(args[2] + ".k" + i), Value.of(i));
                    }
                }
                case "counter" -> {
                    for (int i = 0; i < Integer.parseInt(args[3]); i++) {
                        increment(store, Key.of(args[2]));
                    }
                }
                case "setmany" -> {
                    for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            int tab = line.indexOf('\t');
                            store.set(Key.of(line.substring(0, tab)), new JsonValues().parse(line.substring(tab + 1)));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
        System.out.println("done");
    }

    /** One compare-and-set increment, retried until it wins. */
    static void increment(ConfigStore store, Key key) {
        while (true) {
            Optional<Entry> entry = store.get(key);
            long current = entry.map(e -> Long.parseLong(((NumberValue) e.value()).literal())).orElse(0L);
            try {
                store.apply(List.of(Change.set(key, Value.of(current + 1)).ifRevision(entry.map(Entry::revision).orElse(Change.ABSENT))));
                return;
            } catch (RevisionConflictException e) {
                // another writer got there first: re-read and retry
            }
        }
    }

    /** The command line that runs this class in a fresh JVM with the test's class and module path. */
    static List<String> command(String... args) {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry);
                    }
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", String.join(File.pathSeparator, entries), LibraryWriter.class.getName()));
        command.addAll(List.of(args));
        return command;
    }
}
