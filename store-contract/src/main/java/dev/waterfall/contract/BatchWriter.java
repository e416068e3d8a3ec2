package dev.waterfall.contract;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A writer process for the database stores' multi-process tests. Usage:
 * <pre>
 *   batches  URI PREFIX SIZE          forever: set PREFIX.b(n).k0 .. k(SIZE-1) to n in one batch, printing "ack n"
 *                                     after each (n continues after the batches already there)
 *   together URI GO PREFIX COUNT      wait until the file GO exists, then set PREFIX.k0 .. k(COUNT-1), one write each
 * </pre>
 * Prints "ready" once the store is open and "done" at the end.
 */
public final class BatchWriter {

    private BatchWriter() {
    }

    /** Runs one of the modes above; {@code args} are the mode and its arguments. */
    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        String mode = args[0];
        String uri = args[1];
        try (Waterfall waterfall = ChildWriter.openAsChild(uri, "child-" + mode)) {
            ConfigStore store = waterfall.store();
            out.println("ready");
            out.flush();
            switch (mode) {
                case "batches" -> {
                    String prefix = args[2];
                    int size = Integer.parseInt(args[3]);
                    long n = store.snapshot().under(Key.of(prefix)).size() / size;
                    while (true) {
                        List<Change> batch = new ArrayList<>(size);
                        for (int k = 0; k < size; k++) {
                            batch.add(Change.set(Key.of(prefix + ".b" + n + ".k" + k), Value.of(n)));
                        }
                        store.apply(batch);
                        out.println("ack " + n);
                        out.flush();
                        n++;
                    }
                }
                case "together" -> {
                    Path go = Path.of(args[2]);
                    while (!Files.exists(go)) {
                        Thread.sleep(1);
                    }
                    int count = Integer.parseInt(args[4]);
                    for (int i = 0; i < count; i++) {
                        store.set(Key.of(args[3] + ".k" + i), Value.of(i));
                    }
                }
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
