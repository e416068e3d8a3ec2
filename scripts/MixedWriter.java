import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;

import java.nio.file.Path;
import java.util.Map;

/**
 * One Java-library writer for scripts/bench-clients: sets PREFIX.k0 .. PREFIX.k(COUNT-1) of the store
 * URI, one durable write each, as the cross-language tests' writers do.
 *
 * <pre>
 * java -cp cli/target/waterfall.jar scripts/MixedWriter.java json:/tmp/s.json java0 250
 * </pre>
 */
public class MixedWriter {

    public static void main(String[] args) {
        try (Waterfall waterfall = Waterfall.builder("bench").store(args[0]).environment(Map.of())
                .home(Path.of(System.getProperty("java.io.tmpdir"))).surface("bench").open()) {
            int count = Integer.parseInt(args[2]);
            for (int i = 0; i < count; i++) {
                waterfall.store().set(Key.of(args[1] + ".k" + i), Value.of(i));
            }
        }
    }
}
