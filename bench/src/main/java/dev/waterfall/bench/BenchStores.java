package dev.waterfall.bench;

import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Waterfall;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** What every benchmark's set-up and tear-down do alike: open a store as this process, and remove the scratch folder. */
final class BenchStores {

    private BenchStores() {
    }

    /** The store at {@code uri}, written as user and host "bench" by this process, with {@code home} as its home folder. */
    static Waterfall open(String uri, Path home, Map<String, String> environment) {
        return Waterfall.builder("bench")
                .store(uri)
                .environment(environment)
                .home(home)
                .identity(new ProcessIdentity("bench", "bench", ProcessHandle.current().pid()))
                .open();
    }

    /** As {@link #open(String, Path, Map)} with no environment variables. */
    static Waterfall open(String uri, Path home) {
        return open(uri, home, Map.of());
    }

    /** Deletes {@code folder} and everything in it. */
    static void deleteFolder(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
