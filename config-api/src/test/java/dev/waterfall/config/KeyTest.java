package dev.waterfall.config;

import dev.waterfall.config.spi.KeyTree;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyTest {

    @Test
    void of_validKeys() {
        assertThat(Key.of("plant.default_name").segments()).containsExactly("plant", "default_name");
        assertThat(Key.of("a-b.C9").name()).isEqualTo("C9");
        assertThat(Key.of("x".repeat(Key.MAX_LENGTH)).path()).hasSize(Key.MAX_LENGTH);
    }

    @Test
    void of_invalidKeys_sayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Key.of("a..b")).hasMessageContaining("empty segment at position 3");
        assertThatThrownBy(() -> Key.of("a b")).hasMessageContaining("character ' ' at position 2");
        assertThatThrownBy(() -> Key.of("é")).hasMessageContaining("U+00E9");
        assertThatThrownBy(() -> Key.of("a.")).hasMessageContaining("ends with '.'");
        assertThatThrownBy(() -> Key.of("x".repeat(Key.MAX_LENGTH + 1))).hasMessageContaining("characters long");
        assertThatThrownBy(() -> Key.ofSegments(List.of("a.b"))).hasMessageContaining("contains a '.'");
    }

    @Test
    void ancestry_isBySegmentsNotByText() {
        assertThat(Key.of("a").isAncestorOf(Key.of("a.b"))).isTrue();
        assertThat(Key.of("a").isAncestorOf(Key.of("ab"))).isFalse();
        assertThat(Key.of("a.b").isAncestorOf(Key.of("a.b-c"))).isFalse();
        assertThat(Key.of("a.b").isWithin(Key.of("a.b"))).isTrue();
    }

    @Test
    void keyTree_findsTheCollidingKey() {
        TreeSet<Key> stored = new TreeSet<>(List.of(Key.of("a.b"), Key.of("a.b-c"), Key.of("a.b_d.e"), Key.of("x")));

        assertThat(KeyTree.conflict(stored, Key.of("a"))).contains(Key.of("a.b"));
        assertThat(KeyTree.conflict(stored, Key.of("x.y"))).contains(Key.of("x"));
        assertThat(KeyTree.conflict(stored, Key.of("a.b_d"))).contains(Key.of("a.b_d.e"));
        assertThat(KeyTree.conflict(stored, Key.of("a.b.c"))).contains(Key.of("a.b"));
        assertThat(KeyTree.conflict(stored, Key.of("a.c"))).isEmpty();
        assertThat(KeyTree.conflict(stored, Key.of("a.b-"))).isEmpty();
    }
}
