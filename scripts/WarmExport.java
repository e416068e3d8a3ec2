import dev.waterfall.config.Waterfall;
import dev.waterfall.export.DumpFormat;
import dev.waterfall.export.ExportRequest;
import dev.waterfall.export.Exporter;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Exports one store to CSV again and again in one JVM and prints each export's time: how fast an
 * export is once the JIT has compiled it, next to the cold `./waterfall export` that
 * scripts/bench-export times. Run from the repository root after `./waterfall --version` built the jar:
 *
 *   java -XX:+UseSerialGC -Xmx256m -Dorg.sqlite.lib.path=cli/target/native -cp cli/target/waterfall.jar \
 *       scripts/WarmExport.java STORE_URI [RUNS]
 */
public class WarmExport {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        Path folder = Files.createTempDirectory("warm-export");
        try (Waterfall waterfall = Waterfall.builder("waterfall").store(args[0]).open()) {
            Exporter exporter = Exporter.of(waterfall.context());
            for (int run = 1; run <= runs; run++) {
                long start = System.nanoTime();
                exporter.export(waterfall.store(), ExportRequest.to(folder, DumpFormat.CSV).withKeep(1));
                System.out.printf("export %d: %d ms%n", run, (System.nanoTime() - start) / 1_000_000);
            }
        }
    }
}
