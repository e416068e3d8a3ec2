package dev.waterfall.postgres;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.Key;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.StoreUri;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write whose connection breaks at its COMMIT (issue 19): the store settles the outcome by the
 * write's change id on the next connection, so the write is applied exactly once, whether the server
 * committed it or not. The break is made by a proxy in front of the shared test server.
 */
class PostgresCommitOutcomeTest {

    @TempDir
    Path dir;

    private ContractWorld world;
    private CuttingProxy proxy;
    private String namespace;
    private ConfigStore store;

    @BeforeEach
    void setUp() throws Exception {
        world = new ContractWorld(dir);
        PostgresTarget server = PostgresTarget.parse(StoreUri.parse(TestDatabase.url()),
                new dev.waterfall.config.spi.StoreContext("tests", ContractWorld.IDENTITY.actor("test"), java.time.Clock.systemUTC(),
                        System.getenv(), dir, new dev.waterfall.config.spi.Services()));
        proxy = new CuttingProxy(server.port());
        namespace = TestDatabase.uniqueNamespace("commit-outcome");
        String password = server.password().reveal().map(p -> "&password=" + java.net.URLEncoder.encode(p, java.nio.charset.StandardCharsets.UTF_8)).orElse("");
        store = world.open("postgresql://" + server.user() + "@127.0.0.1:" + proxy.port() + "/" + server.database()
                + "?sslmode=disable&namespace=" + namespace + password).store();
        store.set(Key.of("warm"), Value.of("schema migrated, pool ready"));
    }

    @AfterEach
    void tearDown() throws Exception {
        world.close();
        proxy.close();
        TestDatabase.dropNamespace(namespace);
    }

    @Test
    void compareAndSet_whoseCommitAnswerIsLost_afterTheServerCommitted_isAppliedOnce_andReturnsItsCommit() {
        Key counter = Key.of("counter");
        Entry first = store.set(counter, Value.of(1));
        proxy.arm(CuttingProxy.Cut.AFTER_COMMIT);

        Entry second = store.compareAndSet(counter, first.revision(), Value.of(2));

        assertThat(proxy.cuts()).as("the commit's answer was cut off").isEqualTo(1);
        assertThat(second.value()).isEqualTo(Value.of(2));
        assertThat(second.revision()).isEqualTo(first.revision() + 1);
        assertThat(store.get(counter)).map(Entry::value).contains(Value.of(2));
        assertThat(store.snapshot().revision()).as("no second revision").isEqualTo(first.revision() + 1);
        assertThat(store.history(HistoryQuery.of(counter).limit(10))).as("applied once").hasSize(2);
    }

    @Test
    void set_whoseCommitNeverReachedTheServer_isAppliedByTheRetry_once() {
        long before = store.snapshot().revision();
        proxy.arm(CuttingProxy.Cut.BEFORE_COMMIT);

        Entry written = store.set(Key.of("colour"), Value.of("blue"));

        assertThat(proxy.cuts()).isEqualTo(1);
        assertThat(written.revision()).isEqualTo(before + 1);
        assertThat(store.get(Key.of("colour"))).map(Entry::value).contains(Value.of("blue"));
        assertThat(store.history(HistoryQuery.of(Key.of("colour")).limit(10))).hasSize(1);
    }

    @Test
    void theChangeId_isRecordedInTheWritesTransaction() throws SQLException {
        long revision = store.set(Key.of("a"), Value.of(1)).revision();
        try (var connection = TestDatabase.connect();
             var select = connection.prepareStatement("SELECT count(*) FROM waterfall.changes WHERE namespace = ? AND revision = ?")) {
            select.setString(1, namespace);
            select.setLong(2, revision);
            try (var row = select.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isEqualTo(1);
            }
        }
    }

    @Test
    void aServerThatStaysAway_isAClearErrorThatSaysTheOutcomeIsUnknown() throws Exception {
        Entry first = store.set(Key.of("n"), Value.of(1));
        proxy.arm(CuttingProxy.Cut.AFTER_COMMIT_THEN_GONE); // the settling attempt finds no server

        assertThatThrownBy(() -> store.compareAndSet(Key.of("n"), first.revision(), Value.of(2)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("may or may not have been applied");
        assertThat(proxy.cuts()).isEqualTo(1);
    }
}
