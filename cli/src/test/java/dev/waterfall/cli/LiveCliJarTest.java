package dev.waterfall.cli;

import dev.waterfall.config.ConfigChange;
import dev.waterfall.config.Layer;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.config.binding.BindingException;
import dev.waterfall.config.Live;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A program's live values follow the packaged {@code waterfall} command as a writer in another
 * process: a watch reports each commit with the old and new origin, a live record keeps its last
 * valid value through a bad {@code set} and recovers on the next good one.
 */
@Tag("packaged")
class LiveCliJarTest {

    public record Server(String host, int port) { }

    @TempDir
    Path home;

    private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
        T item = queue.poll(60, TimeUnit.SECONDS);
        assertThat(item).as("nothing arrived within 60 s").isNotNull();
        return item;
    }

    private static void cli(Path home, String... args) throws Exception {
        Processes.Result result = Processes.runJar(home, args);
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void liveAndWatch_followTheCli_keepTheLastValidValue_andNameTheBadOne() throws Exception {
        Path file = home.resolve("config.toml");
        String store = "toml:" + file;
        try (Waterfall config = Waterfall.builder("waterfall").environment(Map.of()).home(home).store(store)
                .identity(new ProcessIdentity("tester", "host", 1)).defaults(Map.of("server.host", "localhost", "server.port", 8080)).open();
             Live<Server> server = config.live("server", Server.class)) {
            BlockingQueue<ConfigChange> changes = new LinkedBlockingQueue<>();
            BlockingQueue<Server> values = new LinkedBlockingQueue<>();
            BlockingQueue<WaterfallException> problems = new LinkedBlockingQueue<>();
            config.watch("server", changes::add);
            server.subscribe((old, next) -> values.add(next), problems::add);

            cli(home, "--store", store, "set", "server.port", "9090");
            ConfigChange.KeyChange change = next(changes).changes().get(0);
            assertThat(change.before().orElseThrow().origin().layer()).isEqualTo(Layer.DEFAULTS);
            assertThat(change.after().orElseThrow().value()).isEqualTo(Value.of(9090));
            assertThat(change.after().orElseThrow().origin().toString()).isEqualTo("store " + store + ":2");
            assertThat(next(values)).isEqualTo(new Server("localhost", 9090));

            cli(home, "--store", store, "set", "server.port", "\"80a\"");
            WaterfallException problem = next(problems);
            assertThat(problem).isInstanceOf(BindingException.class);
            assertThat(problem.getMessage()).contains("server.port", "\"80a\"", "store " + store + ":2");
            assertThat(server.get()).isEqualTo(new Server("localhost", 9090));

            cli(home, "--store", store, "unset", "server.port");
            assertThat(next(values)).isEqualTo(new Server("localhost", 8080));
            assertThat(server.error()).isEmpty();
        }
    }
}
