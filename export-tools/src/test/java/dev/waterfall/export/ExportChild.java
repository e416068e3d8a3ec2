package dev.waterfall.export;

import dev.waterfall.config.Waterfall;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An exporting process for the real-process tests. Usage:
 * <pre>
 *   once     URI DIR FORMAT PAUSE_MS   export once; pause PAUSE_MS at each progress report (every 10,000 rows)
 *   schedule URI DIR FORMAT PAUSE_MS   export every second until SIGTERM, stopping like the CLI does
 * </pre>
 * Prints "progress N", "exported FILE", "unchanged", "failed MESSAGE" and "stopped" lines.
 */
public final class ExportChild {

    private ExportChild() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String mode = args[0];
        long pause = Long.parseLong(args[4]);
        try (Waterfall waterfall = Waterfall.builder("exportchild").store(args[1]).environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir"))).surface("export-child").open()) {
            ExportProgress progress = (done, total) -> {
                out.println("progress " + done);
                out.flush();
                if (done > 0 && done < total) {
                    try {
                        Thread.sleep(pause);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            };
            ExportRequest request = ExportRequest.to(Path.of(args[2]), DumpFormat.of(args[3])).withProgress(progress);
            Exporter exporter = Exporter.of(waterfall.context());
            if (mode.equals("once")) {
                out.println("exported " + exporter.export(waterfall.store(), request).dump());
                return;
            }
            ScheduledExport schedule = new ScheduledExport(exporter, waterfall.store(), request,
                    ExportSchedule.every(Duration.ofSeconds(1)), Clock.systemUTC(), ScheduledExport.Sleeper.REAL,
                    new ScheduledExport.Listener() {
                        @Override
                        public void exported(ExportResult result, Instant next) {
                            out.println(result.written() ? "exported " + result.dump() : "unchanged");
                            out.flush();
                        }

                        @Override
                        public void failed(RuntimeException failure, Instant next) {
                            out.println("failed " + failure.getMessage());
                            out.flush();
                        }

                        @Override
                        public void stopped() {
                            out.println("stopped");
                            out.flush();
                        }
                    });
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                schedule.stop();
                try {
                    schedule.awaitStopped(Duration.ofSeconds(30));
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            schedule.run();
        }
    }
}
