package dev.waterfall.file;

import dev.waterfall.config.Actor;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.config.spi.Services;
import dev.waterfall.config.spi.StoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The history and metadata sidecars over many writes: compaction into the snapshot, rotation of
 * the history file, and readers (in the same and in a fresh instance) that keep every revision.
 */
class HistoryRotationTest {

    @TempDir
    Path dir;

    private final List<Services> services = new ArrayList<>();

    @AfterEach
    void close() {
        services.forEach(Services::close);
    }

    private FileStore open(long historyMaxBytes) {
        Services shared = new Services();
        services.add(shared);
        StoreContext context = new StoreContext("kernel", new Actor("test", "u", "h", 1), Clock.systemUTC(), Map.of(), dir, shared);
        return FileStore.open(dir.resolve("data.lines"), new LinesCodec(), context, new FileStore.Options(3, Duration.ofSeconds(30), historyMaxBytes));
    }

    @Test
    void manyWrites_compactTheMetadata_andRotateTheHistory_losingNoRevision() throws Exception {
        FileStore writer = open(16 * 1024);
        List<Entry> written = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            written.add(writer.set(Key.of("k" + (i % 40)), Value.of(i)));
        }

        assertThat(dir.resolve("data.lines.meta.json")).as("compacted after 256 records").exists();
        assertThat(dir.resolve("data.lines.history.1.ndjson")).as("rotated past 16 KiB").exists();
        assertThat(Files.size(dir.resolve("data.lines.history.ndjson"))).isLessThan(16 * 1024 + 4096);

        FileStore fresh = open(16 * 1024);
        for (int k = 0; k < 40; k++) {
            Key key = Key.of("k" + k);
            Entry last = written.get(560 + k);
            assertThat(fresh.get(key)).as(key.path()).contains(last.withLine(fresh.get(key).orElseThrow().line()));
        }
        assertThat(fresh.snapshot().revision()).isEqualTo(600);
        assertThat(fresh.set(Key.of("k0"), Value.of("next")).revision()).isEqualTo(601);
        assertThat(writer.get(Key.of("k0")).orElseThrow().revision()).as("the first instance sees it too").isEqualTo(601);
    }

    @Test
    void history_readsAcrossTheRotation_newestFirst() {
        FileStore store = open(8 * 1024);
        for (int i = 0; i < 200; i++) {
            store.set(Key.of("counter"), Value.of(i));
        }

        List<HistoryRecord> records = store.history(HistoryQuery.of(Key.of("counter")).limit(1000));

        assertThat(records.get(0).newValue()).contains(Value.of(199));
        assertThat(records).extracting(HistoryRecord::revision).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        assertThat(records.size()).as("the current and the rotated file, not all 200").isBetween(20, 199);
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).newValue()).isEqualTo(records.get(i - 1).oldValue());
        }
    }
}
