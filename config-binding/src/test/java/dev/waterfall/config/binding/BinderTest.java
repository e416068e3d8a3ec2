package dev.waterfall.config.binding;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.secrets.SecretFile;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Binding as an application meets it: the layers mixed inside one record, relaxed names, the whole
 * configuration at once, every problem in one exception, secrets, and the kinds of class databind builds.
 */
class BinderTest {

    public record Server(String host, @Min(1) @Max(65535) int port, int maxRetries, Duration timeout, Optional<String> banner) { }

    public record Database(String url, String password) { }

    public record App(String name, Server server, Database database, Map<String, Integer> limits) { }

    /** An immutable class with a creator, as written before records. */
    public static final class Pool {
        private final int size;
        private final Duration idle;

        @JsonCreator
        public Pool(@JsonProperty("size") int size, @JsonProperty("idle") Duration idle) {
            this.size = size;
            this.idle = idle;
        }

        public int size() {
            return size;
        }

        public Duration idle() {
            return idle;
        }
    }

    /** A bean: what a missing key does not set keeps its initial value. */
    public static final class Bean {
        private String mode = "fast";
        private int level = 3;

        public String getMode() {
            return mode;
        }

        public void setMode(String mode) {
            this.mode = mode;
        }

        public int getLevel() {
            return level;
        }

        public void setLevel(int level) {
            this.level = level;
        }
    }

    /** A record whose constructor checks more than the types say. */
    public record Window(int from, int to) {
        public Window {
            if (from > to) {
                throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
            }
        }
    }

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Path store() {
        return home.resolve("config.json");
    }

    private Path system() {
        return home.resolve("system.toml");
    }

    private Path defaults() {
        return home.resolve("defaults.json");
    }

    private Waterfall open(Map<String, String> env, Consumer<Waterfall.Builder> configure) throws Exception {
        if (!Files.exists(defaults())) {
            Files.writeString(defaults(), "{}\n");
        }
        Waterfall.Builder builder = Waterfall.builder("pipeline").environment(env).home(home).identity(new ProcessIdentity("tester", "host", 1))
                .store("json:" + store()).systemFile(system()).defaultsResource(defaults().toUri().toURL());
        configure.accept(builder);
        Waterfall config = builder.open();
        opened.add(config);
        return config;
    }

    @Test
    void eachLeafComesFromTheLayerThatWinsForIt_underAnyOfItsRelaxedNames() throws Exception {
        Files.writeString(defaults(), """
                {
                  "server": {"host": "localhost", "port": 80, "max-retries": 1, "timeout": "10s"}
                }
                """);
        Files.writeString(system(), """
                [server]
                max_retries = 5
                """);
        Waterfall config = open(Map.of("PIPELINE_SERVER_PORT", "8443", "PIPELINE_SERVER_TIMEOUT", "1m30s"), builder -> { });
        config.set("server.host", Value.of("db.example.com"));

        Server server = Binder.of(config).bind("server", Server.class);

        assertThat(server).isEqualTo(new Server("db.example.com", 8443, 5, Duration.ofSeconds(90), Optional.empty()));
    }

    @Test
    void theEnvironment_givesAComponentNoFileNames_underTheCamelOrTheSnakeSpelling() throws Exception {
        Waterfall config = open(Map.of("PIPELINE_SERVER_HOST", "h", "PIPELINE_SERVER_PORT", "1", "PIPELINE_SERVER_MAXRETRIES", "7",
                "PIPELINE_SERVER_TIMEOUT", "PT1S", "PIPELINE_SERVER_BANNER", "hi"), builder -> { });

        assertThat(Binder.of(config).bind("server", Server.class)).isEqualTo(new Server("h", 1, 7, Duration.ofSeconds(1), Optional.of("hi")));

        Waterfall snake = open(Map.of("PIPELINE_SERVER_HOST", "h", "PIPELINE_SERVER_PORT", "1", "PIPELINE_SERVER_MAX_RETRIES", "8",
                "PIPELINE_SERVER_TIMEOUT", "1s"), builder -> { });
        assertThat(Binder.of(snake).bind("server", Server.class).maxRetries()).isEqualTo(8);
    }

    @Test
    void bindingTheRoot_bindsTheWholeConfiguration() throws Exception {
        Files.writeString(store(), """
                {
                  "name": "pipeline",
                  "server": {"host": "h", "port": 2, "max_retries": 0, "timeout": "5s"},
                  "database": {"url": "jdbc:postgresql://db/app"},
                  "limits": {"rows": 100, "bytes": 2048}
                }
                """);
        Waterfall config = open(Map.of("PIPELINE_DATABASE_PASSWORD", "s3cret"), builder -> { });

        App app = Binder.of(config).bind("", App.class);

        assertThat(app).isEqualTo(new App("pipeline", new Server("h", 2, 0, Duration.ofSeconds(5), Optional.empty()),
                new Database("jdbc:postgresql://db/app", "s3cret"), Map.of("rows", 100, "bytes", 2048)));
    }

    @Test
    void everyProblem_isInOneException_eachNamingKeyExpectationValueAndOrigin_andMissingKeysEveryPlaceLookedIn() throws Exception {
        Files.writeString(store(), """
                {
                  "server": {
                    "port": 0,
                    "timeout": "soon"
                  }
                }
                """);
        Files.writeString(system(), """
                [server]
                max-retries = "many"
                """);
        Waterfall config = open(Map.of("PIPELINE_SERVER_BANNER", "ok"), builder -> { });

        assertThatThrownBy(() -> Binder.of(config).bind("server", Server.class))
                .isInstanceOfSatisfying(BindingException.class, e -> {
                    assertThat(e.problems()).extracting(BindingProblem::toString).containsExactlyInAnyOrder(
                            "server.host: missing, expected a string; looked in PIPELINE_SERVER_HOST, store json:" + store() + ", system "
                                    + system() + ", defaults " + uncheckedUrl(defaults()),
                            "server.port: expected an integer from 1 to 65535, got 0 from store json:" + store() + ":3",
                            "server.max-retries: expected an integer from -2147483648 to 2147483647, got \"many\" from system " + system() + ":2",
                            "server.timeout: expected a duration such as 30s, 1h30m, 250ms or PT30S, got \"soon\" from store json:" + store() + ":4");
                    assertThat(e.getMessage()).startsWith("cannot bind server to Server: 4 problems");
                    e.problems().forEach(problem -> assertThat(e.getMessage()).contains(problem.toString()));
                });
    }

    private static String uncheckedUrl(Path file) {
        try {
            return file.toUri().toURL().toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSecretReference_bindsToTheSecret_andSecretsAreRedactedInProblems() throws Exception {
        SecretFile secrets = SecretFile.open(home.resolve("secrets.enc.json"), "a passphrase long enough".toCharArray());
        secrets.set("db", "hunter2");
        Waterfall config = open(Map.of(), builder -> builder.secrets(secrets));
        config.set("database.url", Value.of("jdbc:sqlite:app.db"));
        config.set("database.password", Value.of("${secret:db}"));

        assertThat(Binder.of(config).bind("database", Database.class)).isEqualTo(new Database("jdbc:sqlite:app.db", "hunter2"));

        record Token(int apiToken) { }
        Waterfall env = open(Map.of("PIPELINE_AUTH_API_TOKEN", "abc-123-do-not-print"), builder -> builder.secrets(secrets));
        assertThatThrownBy(() -> Binder.of(env).bind("auth", TokenHolder.class))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("auth.apiToken: expected an integer from -2147483648 to 2147483647, got <redacted> from PIPELINE_AUTH_API_TOKEN")
                .message().doesNotContain("abc-123");

        config.set("database.password", Value.of("${secret:nowhere}"));
        assertThatThrownBy(() -> Binder.of(config).bind("database", Database.class))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("database.password: expected a string, got ${secret:nowhere} from store json:" + store())
                .hasMessageContaining("which is not in");
    }

    public record TokenHolder(int apiToken) { }

    @Test
    void creatorClassesAndBeans_bind_aBeanKeepingWhatNoLayerSets() throws Exception {
        Files.writeString(store(), """
                {"pool": {"size": 4, "idle": "5m"}, "bean": {"level": 9}}
                """);
        Binder binder = Binder.of(open(Map.of(), builder -> { }));

        Pool pool = binder.bind("pool", Pool.class);
        Bean bean = binder.bind("bean", Bean.class);

        assertThat(pool.size()).isEqualTo(4);
        assertThat(pool.idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(bean.getLevel()).isEqualTo(9);
        assertThat(bean.getMode()).isEqualTo("fast");
    }

    @Test
    void aConstructorsRefusal_isAProblemNamingTheKey() throws Exception {
        Files.writeString(store(), """
                {"window": {"from": 9, "to": 1}}
                """);
        Binder binder = Binder.of(open(Map.of(), builder -> { }));

        assertThatThrownBy(() -> binder.bind("window", Window.class))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("window: expected values that Window accepts, got a refusal: from (9) is after to (1) from store json:" + store());
    }

    @Test
    void genericTypes_bindThroughATypeReferenceOrAJavaType() throws Exception {
        Files.writeString(store(), """
                {"replicas": {"a": {"host": "x", "port": 1, "max-retries": 2, "timeout": "1s"}}, "ports": [1, 2]}
                """);
        Binder binder = Binder.of(open(Map.of("PIPELINE_REPLICAS_A_PORT", "3"), builder -> { }));

        Map<String, Server> replicas = binder.bind("replicas", new TypeReference<Map<String, Server>>() { });
        List<Integer> ports = binder.bind("ports", binder.typeFactory().constructCollectionType(List.class, Integer.class));
        int port = binder.bind("replicas.a.port", int.class);

        assertThat(replicas).containsExactly(Map.entry("a", new Server("x", 3, 2, Duration.ofSeconds(1), Optional.empty())));
        assertThat(ports).containsExactly(1, 2);
        assertThat(port).isEqualTo(3);
        assertThatThrownBy(() -> binder.bind("nothing.here", int.class))
                .isInstanceOf(BindingException.class)
                .hasMessageContaining("nothing.here: missing, expected an integer from -2147483648 to 2147483647; looked in PIPELINE_NOTHING_HERE, store json:");
    }
}
