package dev.waterfall.export;

import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dumps are plaintext files that people open, copy and back up, so keys that look like secrets are
 * withheld from them unless asked for (docs/secrets.md), on every kind of store: both the rows a
 * SQL store gives as bytes and the entries of a file store. An import of such a dump keeps the
 * target's own values of those keys.
 */
class SecretExportTest {

    @TempDir
    Path dir;

    private ExportWorld world;

    @BeforeEach
    void open() {
        world = new ExportWorld(dir);
    }

    @AfterEach
    void close() {
        world.close();
    }

    /** A new store of this kind that may hold secrets (the plaintext ones are allowed them here, as a user can). */
    private ConfigStore newStore(StoreKind kind, String name) {
        return world.newStore(kind, name, SecretPolicy.allowingAll());
    }

    private static void fill(ConfigStore store) {
        store.apply(List.of(
                Change.set(Key.of("db.password"), Value.of("hunter2")),
                Change.set(Key.of("db.host"), Value.of("db.example.com")),
                Change.set(Key.of("github.token"), Value.of("${secret:github}")),
                Change.set(Key.of("password_min_length"), Value.of(12)),
                Change.set(Key.of("stripe.API_KEY_"), Value.of("sk_live_51H")),
                Change.set(Key.of("ui.monkey"), Value.of("not a secret"))));
    }

    private ExportResult export(ConfigStore store, ExportRequest request) {
        world.clock.advance(Duration.ofSeconds(1));
        return world.exporter().export(store, request.withStoreName("app"));
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void export_withholdsKeysThatLookLikeSecrets_andNamesThemInTheMeta(StoreKind kind) throws IOException {
        ConfigStore store = newStore(kind, "source");
        fill(store);

        ExportResult result = export(store, ExportRequest.to(dir.resolve("out"), DumpFormat.CSV));

        String dump = ExportWorld.read(result.dump());
        assertThat(dump).doesNotContain("hunter2").doesNotContain("sk_live").doesNotContain("db.password").doesNotContain("API_KEY");
        assertThat(dump.lines().map(line -> line.substring(0, line.indexOf(','))).toList())
                .as("a reference to the secrets file is no secret, and names that only mention one are none")
                .containsExactly("key", "db.host", "github.token", "password_min_length", "ui.monkey");
        assertThat(dump).contains("\"\"${secret:github}\"\"");
        assertThat(result.details().rows()).isEqualTo(4);
        assertThat(result.details().secretsIncluded()).isFalse();
        assertThat(result.details().withheldKeys()).containsExactly("db.password", "stripe.API_KEY_");
        String meta = ExportWorld.read(result.meta());
        assertThat(meta).contains("\"secrets\": \"withheld\"", "\"withheld_keys\": [\"db.password\",\"stripe.API_KEY_\"]")
                .doesNotContain("hunter2");
        assertThat(ExportMeta.read(result.meta())).isEqualTo(result.details());
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void export_withSecretsIncluded_writesEveryKey(StoreKind kind) {
        ConfigStore store = newStore(kind, "source");
        fill(store);

        ExportResult result = export(store, ExportRequest.to(dir.resolve("out"), DumpFormat.NDJSON).withSecretsIncluded(true));

        assertThat(ExportWorld.read(result.dump())).contains("\"db.password\"", "hunter2", "sk_live_51H");
        assertThat(result.details().rows()).isEqualTo(6);
        assertThat(result.details().secretsIncluded()).isTrue();
        assertThat(result.details().withheldKeys()).isEmpty();
        assertThat(ExportWorld.read(result.meta())).contains("\"secrets\": \"included\"").doesNotContain("withheld_keys");
        assertThat(ExportMeta.read(result.meta())).isEqualTo(result.details());
    }

    @Test
    void skipUnchanged_writesAgain_whenSecretsAreAskedForThatTheNewestDumpWithheld() {
        ConfigStore store = newStore(StoreKind.SQLITE, "source");
        fill(store);
        ExportRequest withheld = ExportRequest.to(dir.resolve("out"), DumpFormat.CSV).withSkipUnchanged(true);

        ExportResult first = export(store, withheld);
        ExportResult again = export(store, withheld);
        ExportResult included = export(store, withheld.withSecretsIncluded(true));
        ExportResult includedAgain = export(store, withheld.withSecretsIncluded(true));

        assertThat(first.written()).isTrue();
        assertThat(again.written()).as("same store revision, same secrets").isFalse();
        assertThat(included.written()).as("the newest dump lacks what is asked for now").isTrue();
        assertThat(ExportWorld.read(included.latest())).contains("hunter2");
        assertThat(includedAgain.written()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void importWithReplace_ofADumpThatWithheldSecrets_keepsTheTargetsOwnValuesOfThem(StoreKind kind) {
        ConfigStore source = newStore(kind, "source");
        fill(source);
        ExportResult dump = export(source, ExportRequest.to(dir.resolve("out"), DumpFormat.JSON));
        ConfigStore target = newStore(kind, "target");
        target.apply(List.of(
                Change.set(Key.of("db.password"), Value.of("the target's own")),
                Change.set(Key.of("old.setting"), Value.of(true))));

        CopyResult result = Migration.importDump(dump.dump(), target, CopyOptions.DEFAULTS.withMode(CopyMode.REPLACE));

        assertThat(result.verified()).as(result.verification().toString()).isTrue();
        assertThat(result.plan().withheldKept()).isEqualTo(1);
        assertThat(result.plan().targetOnly()).as("old.setting, removed by --replace").isEqualTo(1);
        assertThat(result.plan().describe()).anyMatch(line -> line.contains("keep 1 that the dump withheld as secrets"));
        assertThat(result.dumpMeta().orElseThrow().withheldKeys()).containsExactly("db.password", "stripe.API_KEY_");
        assertThat(target.get(Key.of("db.password")).orElseThrow().value()).isEqualTo(Value.of("the target's own"));
        assertThat(target.get(Key.of("old.setting"))).isEmpty();
        assertThat(target.get(Key.of("stripe.API_KEY_"))).as("a withheld key the target lacked stays missing").isEmpty();
        assertThat(target.get(Key.of("github.token")).orElseThrow().value()).isEqualTo(Value.of("${secret:github}"));
    }

    @Test
    void importIntoANewStore_ofADumpThatWithheldSecrets_copiesTheRest_andSaysWhatIsMissing() {
        ConfigStore source = newStore(StoreKind.JSON, "source");
        fill(source);
        ExportResult dump = export(source, ExportRequest.to(dir.resolve("out"), DumpFormat.CSV));
        ConfigStore target = newStore(StoreKind.SQLITE, "target");

        CopyResult result = Migration.importDump(dump.latest(), target, CopyOptions.DEFAULTS);

        assertThat(result.verified()).isTrue();
        assertThat(result.plan().method()).isEqualTo(CopyPlan.Method.COPY_WITH_METADATA);
        assertThat(result.dumpMeta().orElseThrow().withheldKeys()).containsExactly("db.password", "stripe.API_KEY_");
        assertThat(target.get(Key.of("db.password"))).isEmpty();
        assertThat(target.get(Key.of("db.host")).orElseThrow().value()).isEqualTo(Value.of("db.example.com"));
    }

    @Test
    void aMetaFileFromBeforeSecretsWereWithheld_readsAsIncludingThem() throws IOException {
        ConfigStore store = newStore(StoreKind.SQLITE, "source");
        fill(store);
        ExportResult result = export(store, ExportRequest.to(dir.resolve("out"), DumpFormat.CSV).withSecretsIncluded(true));
        String meta = ExportWorld.read(result.meta());
        Files.writeString(result.meta(), meta.replace(",\n  \"secrets\": \"included\"", ""));

        ExportMeta read = ExportMeta.read(result.meta());

        assertThat(read.secretsIncluded()).isTrue();
        assertThat(read.withheldKeys()).isEmpty();
        assertThat(read.rows()).isEqualTo(6);
    }

    @Test
    void aMetaFileThatContradictsItself_isAnError() throws IOException {
        ConfigStore store = newStore(StoreKind.SQLITE, "source");
        fill(store);
        ExportResult result = export(store, ExportRequest.to(dir.resolve("out"), DumpFormat.CSV));
        String meta = ExportWorld.read(result.meta());
        Files.writeString(result.meta(), meta.replace("\"secrets\": \"withheld\"", "\"secrets\": \"included\""));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExportMeta.read(result.meta()))
                .isInstanceOf(DumpException.class)
                .hasMessageContaining(result.meta().toString())
                .hasMessageContaining("\"secrets\" is \"included\" with 2 withheld keys");
    }
}
