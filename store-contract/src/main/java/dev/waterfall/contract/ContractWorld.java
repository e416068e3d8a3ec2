package dev.waterfall.contract;

import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Waterfall;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Opens Waterfall instances for tests in a world the test controls: no real environment, a home
 * inside the test's folder, a known identity, and a chosen clock. Closes them all at the end.
 */
public final class ContractWorld implements AutoCloseable {

    /** The identity tests write as. */
    public static final ProcessIdentity IDENTITY = new ProcessIdentity("tester", "testhost", 4242);

    /** A fixed instant for tests that check timestamps. */
    public static final Instant FIXED_INSTANT = Instant.parse("2026-11-26T07:00:00.123Z");

    private final Path home;
    private final List<Waterfall> opened = new ArrayList<>();

    /** A world whose home folder is {@code home}. */
    public ContractWorld(Path home) {
        this.home = home;
    }

    /** A Waterfall instance on {@code uri}, writing as surface {@code test}. */
    public Waterfall open(String uri) {
        return open(uri, builder -> { });
    }

    /** A Waterfall instance on {@code uri} with further configuration. */
    public Waterfall open(String uri, Consumer<Waterfall.Builder> configure) {
        Waterfall.Builder builder = Waterfall.builder("contract")
                .store(uri)
                .environment(Map.of())
                .home(home)
                .identity(IDENTITY)
                .surface("test");
        configure.accept(builder);
        Waterfall waterfall = builder.open();
        opened.add(waterfall);
        return waterfall;
    }

    /** A clock standing still at {@link #FIXED_INSTANT}. */
    public static Clock fixedClock() {
        return Clock.fixed(FIXED_INSTANT, ZoneOffset.UTC);
    }

    @Override
    public void close() {
        for (Waterfall waterfall : opened) {
            waterfall.close();
        }
        opened.clear();
    }
}
