package dev.waterfall.json;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Key;
import dev.waterfall.config.Value;
import dev.waterfall.contract.ContractWorld;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stamp (inode, size, modification time) can name two contents: a replaced file's inode number
 * is reused by the next temp file, and two writes within one tick of the file system's clock can
 * leave the same size and time. Here the same stamp is made on purpose: the file is rewritten in
 * place (same inode) with content of the same length, and its time set back. A write under the
 * lock must build on the bytes that are there, not on the parse its stamp points to.
 */
class StaleStampTest {

    @TempDir
    Path folder;

    private ContractWorld world;

    @org.junit.jupiter.api.BeforeEach
    void open() {
        world = new ContractWorld(folder);
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void aWrite_buildsOnTheBytesThere_evenWhenTheirStampIsTheOneItCached() throws Exception {
        Path file = folder.resolve("config.json");
        ConfigStore store = world.open("json:" + file).store();
        store.set(Key.of("a"), Value.of(1));
        store.set(Key.of("b"), Value.of(1));
        assertThat(store.get(Key.of("b")).orElseThrow().value()).isEqualTo(Value.of(1)); // cached at this stamp
        FileTime time = Files.getLastModifiedTime(file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String changed = text.replace("\"b\": 1", "\"b\": 7");
        assertThat(changed).isNotEqualTo(text).hasSameSizeAs(text);

        Files.writeString(file, changed, StandardCharsets.UTF_8); // in place: the same inode, the same size
        Files.setLastModifiedTime(file, time);                     // and the same time: the same stamp
        store.set(Key.of("c"), Value.of(1));

        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("\"b\": 7"); // before: the write put "b": 1 back
        assertThat(world.open("json:" + file).store().get(Key.of("b")).orElseThrow().value()).isEqualTo(Value.of(7));
    }
}
