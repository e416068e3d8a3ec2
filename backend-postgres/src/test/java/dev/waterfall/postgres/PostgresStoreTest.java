package dev.waterfall.postgres;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreEvent;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.ChildWriter;
import dev.waterfall.contract.ContractWorld;
import dev.waterfall.contract.JavaProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The PostgreSQL store's watch, pools and messages on the shared test server. */
class PostgresStoreTest {

    @TempDir
    Path dir;

    private ContractWorld world;
    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void setUp() {
        world = new ContractWorld(dir);
    }

    @AfterEach
    void tearDown() throws SQLException {
        world.close();
        for (String namespace : namespaces) {
            TestDatabase.dropNamespace(namespace);
        }
    }

    private String newUri(String purpose) {
        String namespace = TestDatabase.uniqueNamespace(purpose);
        namespaces.add(namespace);
        return TestDatabase.uri(namespace);
    }

    private static Key key(String path) {
        return Key.of(path);
    }

    /** The promise for live watch across machines: another process's commit within 1 s. */
    @Test
    void watch_seesACommitOfAnotherProcessWithinOneSecond() throws Exception {
        String uri = newUri("watch");
        ConfigStore store = world.open(uri).store();
        store.set(key("warm"), Value.of("the schema and the pool are ready"));
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = store.watch(events::add)) {
            Process child = JavaProcess.start(ChildWriter.class, "set", uri, "plant.name", "\"Rosemary\"");
            BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            String line;
            while ((line = output.readLine()) != null && !line.equals("done")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the child committed; its output:\n" + seen).isEqualTo("done");

            StoreEvent event = events.poll(1, TimeUnit.SECONDS);

            assertThat(event).as("an event within 1 s of the other process's commit").isNotNull();
            assertThat(event.revision()).isEqualTo(2);
            assertThat(event.keys()).containsExactly(key("plant.name"));
            assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();
        }
    }

    @Test
    void watch_ofOneNamespace_reportsOnlyItsOwnCommits() throws Exception {
        String mine = newUri("watch-mine");
        String other = newUri("watch-other");
        ConfigStore store = world.open(mine).store();
        BlockingQueue<StoreEvent> events = new LinkedBlockingQueue<>();
        try (AutoCloseable watch = store.watch(events::add)) {
            world.open(other).store().set(key("theirs"), Value.of(1));
            world.open(mine).store().set(key("ours"), Value.of(1));

            StoreEvent first = events.poll(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.keys()).containsExactly(key("ours"));
        }
    }

    /** Only a write creates the schema: a reader may have no right to, and a read never changes a database. */
    @Test
    void reads_ofANewDatabase_findAnEmptyStore_andCreateNothing() {
        PostgresDatabaseFixture fixture = new PostgresDatabaseFixture();
        String uri = fixture.newDatabaseUri(dir);
        try {
            ConfigStore store = world.open(uri).store();
            assertThat(store.get(key("plant.name"))).isEmpty();
            assertThat(store.snapshot().size()).isZero();
            assertThat(store.history(dev.waterfall.config.HistoryQuery.all())).isEmpty();
            assertThat(fixture.schema(uri)).as("no schema, table or index").isEmpty();

            store.set(key("plant.name"), Value.of("Rosemary"));
            assertThat(fixture.schema(uri)).isNotEmpty();
            assertThat(world.open(uri).store().get(key("plant.name"))).map(entry -> entry.value()).contains(Value.of("Rosemary"));
        } finally {
            world.close();
            fixture.cleanUp(List.of(uri));
        }
    }

    @Test
    void stores_ofOneServerAndUser_shareOnePool_closedWithTheWaterfall() {
        Waterfall waterfall = world.open(newUri("pool-a"));
        ConfigStore a = waterfall.store();
        ConfigStore b = waterfall.openStore(dev.waterfall.config.StoreUri.parse(newUri("pool-b")));
        a.set(key("k"), Value.of("a"));
        b.set(key("k"), Value.of("b"));
        b.close(); // a store's close leaves the shared pool to the instance
        assertThat(a.get(key("k"))).map(entry -> entry.value()).contains(Value.of("a"));

        List<PostgresPools.Pool> pools = waterfall.context().services().get(PostgresPools.class, () -> new PostgresPools("unused")).pools();
        assertThat(pools).as("one pool for both namespaces").hasSize(1);
        waterfall.close();
        assertThat(pools.get(0).pooled().isClosed()).as("closed with the Waterfall instance").isTrue();
    }

    @Test
    void unreachableServer_isAClearErrorNamingHostAndPort_quickly() {
        Waterfall waterfall = world.open("postgresql://nobody:hunter2-secret@127.0.0.1:1/test?namespace=x&connect_timeout=2", builder -> { });
        ConfigStore store = waterfall.store();

        assertThat(store.location()).isEqualTo("postgresql://nobody@127.0.0.1:1/test?namespace=x");
        assertThatThrownBy(() -> store.get(key("a")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot read postgresql://nobody@127.0.0.1:1/test?namespace=x: ")
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> store.set(key("a"), Value.of(1)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("nothing was changed")
                .hasMessageNotContaining("hunter2");
        assertThat(waterfall.diagnose()).anySatisfy(finding -> assertThat(finding.message()).contains("127.0.0.1:1"));
    }

    @Test
    void storeVariable_selectsThePostgresStore_inTheApplicationsNamespaceByDefault() throws SQLException {
        String base = TestDatabase.url();
        namespaces.add("pg-env-app");
        try (Waterfall waterfall = Waterfall.builder("pg-env-app").environment(Map.of("PG_ENV_APP_STORE", base))
                .home(dir).open()) {
            waterfall.set("plant.default_name", Value.of("Rosemary"));
            assertThat(waterfall.store().location()).endsWith("?namespace=pg-env-app");
        }
        try (Waterfall again = Waterfall.builder("pg-env-app").environment(Map.of("PG_ENV_APP_STORE", TestDatabase.uri("pg-env-app")))
                .home(dir).open()) {
            assertThat(again.get("plant.default_name").orElseThrow().asText()).isEqualTo("Rosemary");
        }
    }
}
