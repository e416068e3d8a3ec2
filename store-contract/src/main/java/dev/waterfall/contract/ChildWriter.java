package dev.waterfall.contract;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.Waterfall;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A writer process for the multi-process tests. Usage:
 * <pre>
 *   distinct URI PREFIX COUNT   set PREFIX.k0 .. PREFIX.k(COUNT-1) to their index, one write each
 *   counter  URI KEY COUNT      increment KEY COUNT times with compare-and-set and retry
 *   loop     URI               set w.k(n) = n for n = number of w.* keys onwards, forever, printing "ack n" after each
 *   set      URI KEY JSON      set one key; exit 3 with the error on stderr if the store refuses
 *   external-counter FILE KEY COUNT
 *                              not Waterfall: increment the whole number after the top-level KEY in FILE
 *                              (JSON "KEY": N or TOML KEY = N) COUNT times by the lock protocol of docs/protocol.md
 * </pre>
 * Prints "ready" once the store is open and "done" at the end.
 */
public final class ChildWriter {

    private ChildWriter() {
    }

    /** The store at {@code uri} as a child process of a test sees it: no environment, its own pid, writing as {@code surface}. */
    static Waterfall openAsChild(String uri, String surface) {
        return Waterfall.builder("contract")
                .store(uri)
                .environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir")))
                .identity(new ProcessIdentity("child", "testhost", ProcessHandle.current().pid()))
                .surface(surface)
                .open();
    }

    /** Runs one of the modes above; {@code args} are the mode and its arguments. */
    public static void main(String[] args) {
        PrintStream out = System.out;
        String mode = args[0];
        String uri = args[1];
        if (mode.equals("external-counter")) {
            try {
                ExternalWriter.increment(Path.of(uri), args[2], Integer.parseInt(args[3]));
            } catch (java.io.IOException e) {
                System.err.println("error: " + e);
                System.exit(3);
            }
            out.println("done");
            return;
        }
        try (Waterfall waterfall = openAsChild(uri, "child-" + mode)) {
            ConfigStore store = waterfall.store();
            out.println("ready");
            out.flush();
            switch (mode) {
                case "distinct" -> {
                    int count = Integer.parseInt(args[3]);
                    for (int i = 0; i < count; i++) {
                        store.set(Key.of(args[2] + ".k" + i), Value.of(i));
                    }
                }
                case "counter" -> {
                    int count = Integer.parseInt(args[3]);
                    for (int i = 0; i < count; i++) {
                        ConfigStoreContract.increment(store, Key.of(args[2]));
                    }
                }
                case "loop" -> {
                    long n = store.snapshot().under(Key.of("w")).size();
                    while (true) {
                        store.set(Key.of("w.k" + n), Value.of(n));
                        out.println("ack " + n);
                        out.flush();
                        n++;
                    }
                }
                case "set" -> store.set(Key.of(args[2]), Value.parseJson(args[3]));
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
            out.println("done");
            out.flush();
        } catch (WaterfallException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(3);
        }
    }
}
