package dev.waterfall.export;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A scheduled export of a PostgreSQL store while its server goes down and comes back. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PostgresRestartTest {

    @TempDir
    Path dir;

    private PrivatePostgres server;
    private ExportWorld world;

    @BeforeEach
    void start() throws Exception {
        server = PrivatePostgres.start();
        world = new ExportWorld(dir);
    }

    @AfterEach
    void stop() throws Exception {
        world.close();
        server.close();
    }

    @Test
    void scheduledExport_serverRestartedBetweenRuns_reportsTheOutageAndCarriesOn() {
        ConfigStore store = world.store(server.uri("scheduled"));
        store.set(Key.of("a"), Value.of(1));
        Path out = dir.resolve("exports");
        List<String> events = new ArrayList<>();
        ScheduledExport[] self = new ScheduledExport[1];
        int[] sleeps = {0};
        ScheduledExport.Sleeper sleeper = duration -> {
            world.clock.advance(duration);
            try {
                switch (++sleeps[0]) {
                    case 1 -> server.stopServer(); // the second run finds it down
                    case 3 -> {
                        server.startServer();   // the fourth finds it back, with the pool's connections dead
                        world.store(server.uri("scheduled")).set(Key.of("a"), Value.of(2));
                    }
                    case 4 -> self[0].stop();
                    default -> { }
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        self[0] = new ScheduledExport(world.exporter(), store, ExportRequest.to(out, DumpFormat.CSV), ExportSchedule.every(Duration.ofMinutes(15)),
                world.clock, sleeper, new ScheduledExport.Listener() {
                    @Override
                    public void exported(ExportResult result, Instant next) {
                        events.add((result.written() ? "wrote revision " : "unchanged at revision ") + result.details().storeRevision());
                    }

                    @Override
                    public void failed(RuntimeException failure, Instant next) {
                        events.add("failed: " + failure.getClass().getSimpleName() + " " + failure.getMessage());
                    }
                });

        self[0].run();

        assertThat(events).hasSize(4);
        assertThat(events.get(0)).isEqualTo("wrote revision 1");
        for (String failure : events.subList(1, 3)) {
            assertThat(failure).startsWith("failed: " + StoreUnavailableException.class.getSimpleName()).contains("127.0.0.1:");
        }
        assertThat(events.get(3)).isEqualTo("wrote revision 2");
        assertThat(ExportWorld.read(out.resolve("latest_export.csv"))).contains("\na,2,number,2,");
        assertThat(ExportWorld.names(out)).noneMatch(name -> name.endsWith(".tmp"));
    }
}
