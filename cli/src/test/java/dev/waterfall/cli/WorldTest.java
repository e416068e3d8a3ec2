package dev.waterfall.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorldTest {

    @Test
    void home_absoluteHomeVariable_isUsed() {
        assertThat(World.home(Map.of("HOME", "/tmp/someone"), "/home/passwd")).isEqualTo(Path.of("/tmp/someone"));
    }

    @Test
    void home_missingBlankOrRelativeHomeVariable_fallsBackToUserHome() {
        assertThat(World.home(Map.of(), "/home/passwd")).isEqualTo(Path.of("/home/passwd"));
        assertThat(World.home(Map.of("HOME", " "), "/home/passwd")).isEqualTo(Path.of("/home/passwd"));
        assertThat(World.home(Map.of("HOME", "relative/dir"), "/home/passwd")).isEqualTo(Path.of("/home/passwd"));
    }

    @Test
    void current_readsThisProcess() {
        World world = World.current();

        assertThat(world.environment()).isEqualTo(System.getenv());
        assertThat(world.home().isAbsolute()).isTrue();
        assertThat(world.argumentCharset()).isNotBlank();
    }
}
