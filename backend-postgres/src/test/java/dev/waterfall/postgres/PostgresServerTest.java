package dev.waterfall.postgres;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL store against a server of the test's own (password authentication, stopped and
 * started by the test): credentials from {@code PGPASSWORD} and {@code .pgpass}, a password that never
 * shows, and a pool and a watch that recover after a server restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresServerTest {

    private static final String PASSWORD = "pw:with 'quotes' & \\ colons-S3cret";

    private TemporaryCluster cluster;

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();
    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (logged) {
                logged.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    void startCluster() throws Exception {
        cluster = TemporaryCluster.start(PASSWORD);
    }

    @AfterAll
    void stopCluster() throws Exception {
        cluster.close();
    }

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void closeAll() {
        Logger.getLogger("").removeHandler(capture);
        opened.forEach(Waterfall::close);
    }

    private Waterfall open(String uri, Map<String, String> environment) {
        Waterfall waterfall = Waterfall.builder("server-test").store(uri).environment(environment).home(home)
                .identity(ContractWorld.IDENTITY).surface("test").open();
        opened.add(waterfall);
        return waterfall;
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void serverStoppedAndStarted_errorsNameHostAndPort_thenThePoolAndTheWatchRecover() throws Exception {
        Waterfall waterfall = open(cluster.uri("restart"), Map.of("PGPASSWORD", PASSWORD));
        ConfigStore store = waterfall.store();
        store.set(key("before"), Value.of("the restart"));
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        AutoCloseable watch = store.watch(events::add);

        cluster.stopServer();
        String server = "127.0.0.1:" + cluster.port();
        assertThatThrownBy(() -> store.get(key("before")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(server)
                .hasMessageContaining("is the server running")
                .satisfies(e -> assertNoPassword(e));
        assertThatThrownBy(() -> store.set(key("during"), Value.of(1)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(server)
                .hasMessageContaining("nothing was changed")
                .satisfies(e -> assertNoPassword(e));

        cluster.startServer();
        Optional<Entry> after = Optional.empty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (after.isEmpty() && System.nanoTime() < deadline) {
            try {
                after = store.get(key("before"));
            } catch (StoreUnavailableException e) {
                Thread.sleep(200);
            }
        }
        assertThat(after).as("the same store reads again once the server is back").map(Entry::value).contains(Value.of("the restart"));
        assertThat(store.get(key("during"))).isEmpty();
        events.clear();
        open(cluster.uri("restart"), Map.of("PGPASSWORD", PASSWORD)).store().set(key("after"), Value.of("the restart"));
        StoreEvent seen = events.poll(30, TimeUnit.SECONDS);
        assertThat(seen).as("the watch reconnected and sees a new commit").isNotNull();
        watch.close();
        assertNoPasswordLogged();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void watch_startedWhileTheServerIsDown_reportsCommitsOnceItIsUp() throws Exception {
        open(cluster.uri("late-watch"), Map.of("PGPASSWORD", PASSWORD)).store().set(key("first"), Value.of(1));
        ConfigStore store = open(cluster.uri("late-watch"), Map.of("PGPASSWORD", PASSWORD)).store();
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        cluster.stopServer();
        try (AutoCloseable watch = store.watch(events::add)) {
            cluster.startServer();
            ConfigStore writer = open(cluster.uri("late-watch"), Map.of("PGPASSWORD", PASSWORD)).store();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean written = false;
            while (!written && System.nanoTime() < deadline) {
                try {
                    writer.set(key("second"), Value.of(2));
                    written = true;
                } catch (StoreUnavailableException e) {
                    Thread.sleep(200);
                }
            }
            assertThat(written).as("the server is back").isTrue();

            StoreEvent event = events.poll(30, TimeUnit.SECONDS);
            assertThat(event).as("the watch connected late and reported the commit").isNotNull();
            assertThat(event.revision()).isEqualTo(2);
        } finally {
            if (!serverAnswers()) {
                cluster.startServer();
            }
        }
    }

    private boolean serverAnswers() {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", cluster.port())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void credentials_fromThePasswordFileInTheHome_authenticate() throws Exception {
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "# host:port:database:user:password\n"
                + "otherhost:*:*:*:wrong\n"
                + "127.0.0.1:" + cluster.port() + ":*:" + TemporaryCluster.USER + ":" + PASSWORD.replace("\\", "\\\\").replace(":", "\\:") + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        ConfigStore store = open(cluster.uri("pgpass"), Map.of()).store();
        store.set(key("via"), Value.of(".pgpass"));

        assertThat(store.get(key("via"))).map(Entry::value).contains(Value.of(".pgpass"));
        assertThat(store.location()).isEqualTo("postgresql://waterfall@127.0.0.1:" + cluster.port() + "/postgres?namespace=pgpass");
    }

    @Test
    void wrongPassword_isAClearErrorThatNeverShowsThePassword() {
        String wrong = "not-the-Password-42";
        Waterfall waterfall = open("postgresql://waterfall:" + wrong + "@127.0.0.1:" + cluster.port() + "/postgres?namespace=wrong", Map.of());

        assertThat(waterfall.store().location()).doesNotContain(wrong);
        assertThat(waterfall.storeUri().toString()).doesNotContain(wrong);
        assertThat(waterfall.store().toString()).doesNotContain(wrong);
        assertThatThrownBy(() -> waterfall.store().get(key("a")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + cluster.port())
                .hasMessageContaining("check the user and the password")
                .satisfies(e -> assertThat(allMessages(e)).doesNotContain(wrong));
        assertThat(waterfall.diagnose()).allSatisfy(finding -> assertThat(finding.toString()).doesNotContain(wrong));
        synchronized (logged) {
            assertThat(logged).allSatisfy(record -> assertThat(String.valueOf(record.getMessage()) + record.getThrown()).doesNotContain(wrong));
        }
    }

    private void assertNoPassword(Throwable e) {
        assertThat(allMessages(e)).doesNotContain(PASSWORD);
    }

    private void assertNoPasswordLogged() {
        synchronized (logged) {
            assertThat(logged).allSatisfy(record -> {
                assertThat(String.valueOf(record.getMessage())).doesNotContain(PASSWORD);
                if (record.getThrown() != null) {
                    assertThat(allMessages(record.getThrown())).doesNotContain(PASSWORD);
                }
            });
        }
    }

    private static String allMessages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            all.append(cause).append('\n');
            for (Throwable suppressed : cause.getSuppressed()) {
                all.append(allMessages(suppressed));
            }
        }
        return all.toString();
    }
}
