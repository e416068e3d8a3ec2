package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import dev.waterfall.file.FileLocks;
import dev.waterfall.file.FileOps;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The world of an export test: Waterfall instances on real stores in the test's folder, writing
 * as a known identity at the times of a clock the test moves.
 */
final class ExportWorld implements AutoCloseable {

    static final ProcessIdentity IDENTITY = new ProcessIdentity("tester", "testhost", 4242);

    final Path dir;
    final TestClock clock = new TestClock("2026-11-26T07:00:00.123456Z");
    private final List<Waterfall> opened = new ArrayList<>();
    private final List<String> made = new ArrayList<>();

    ExportWorld(Path dir) {
        this.dir = dir;
    }

    /** A Waterfall instance on {@code uri}, writing as surface {@code surface}. */
    Waterfall open(String uri, String surface) {
        return open(uri, surface, SecretPolicy.refuseSecrets());
    }

    /** A Waterfall instance on {@code uri}, writing as surface {@code surface}, with this policy for plaintext secrets. */
    Waterfall open(String uri, String surface, SecretPolicy secrets) {
        Waterfall waterfall = Waterfall.builder("exporttest")
                .plaintextSecrets(secrets)
                .store(uri)
                .environment(Map.of())
                .home(dir)
                .identity(IDENTITY)
                .surface(surface)
                .clock(clock)
                .open();
        opened.add(waterfall);
        return waterfall;
    }

    /** The store at {@code uri}. */
    ConfigStore store(String uri) {
        return open(uri, "test").store();
    }

    /** A new, empty store of this kind named {@code name}; its PostgreSQL namespace is removed again on {@link #close()}. */
    ConfigStore newStore(StoreKind kind, String name) {
        return newStore(kind, name, SecretPolicy.refuseSecrets());
    }

    /** A new, empty store of this kind, with this policy for plaintext secrets. */
    ConfigStore newStore(StoreKind kind, String name, SecretPolicy secrets) {
        String uri = kind.newUri(dir, name);
        made.add(uri);
        return open(uri, "test", secrets).store();
    }

    /** The URI of the {@code index}-th store {@link #newStore} made. */
    String uri(int index) {
        return made.get(index);
    }

    /** An exporter on this world's clock, real files and its own lock table. */
    Exporter exporter() {
        return new Exporter(clock, FileOps.real(), new FileLocks());
    }

    /** The names of the files in {@code folder}, sorted; hidden ones included. */
    static List<String> names(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Waterfall waterfall : opened) {
            waterfall.close();
        }
        opened.clear();
        try {
            StoreKind.dropNamespaces(made);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing the test's PostgreSQL namespaces", e);
        }
        made.clear();
    }
}
