package dev.waterfall.config;

import dev.waterfall.config.spi.KeyTree;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
    void aProfilesKey_isPercentAndTheProfileAsFirstSegment_only() {
        Key key = Key.of("%dev.server.port");
        assertThat(key.profile()).contains("dev");
        assertThat(key.withoutProfile()).isEqualTo(Key.of("server.port"));
        assertThat(key.withoutProfile().segments()).containsExactly("server", "port");
        assertThat(Key.of("server.port").inProfile("dev")).isEqualTo(key);
        assertThat(Key.root("%dev").child("port")).isEqualTo(Key.of("%dev.port"));
        assertThat(Key.of("%dev").profile()).as("a profile's table, not a key of it").isEmpty();
        assertThat(Key.of("server.port").profile()).isEmpty();
        assertThatThrownBy(() -> Key.of("a.%b")).hasMessageContaining("character '%' at position 3");
        assertThatThrownBy(() -> Key.of("%.a")).hasMessageContaining("'%' is not followed by a profile's name");
        assertThatThrownBy(() -> key.inProfile("test")).hasMessageContaining("in a profile already");
        assertThatThrownBy(() -> Key.of("a").inProfile("no good")).hasMessageContaining("invalid profile name");
    }

    @Test
    void isValid_ofBytes_agreesWithIsValidOfText() {
        List<String> paths = List.of("a", "a.b", "plant.default_name", "a-b.C9", "-", "A.B_c-9", "", ".", "a.", ".a", "a..b", "a b",
                "a/b", "\u00e9", "caf\u00e9.x", "a\u0000b", "x".repeat(Key.MAX_LENGTH), "x".repeat(Key.MAX_LENGTH + 1), "a.b.c.d", "9",
                "%dev.a", "%a", "%", "%.a", "%%a", "a.%b", "%dev..a");
        for (String path : paths) {
            byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[utf8.length + 4];
            framed[0] = 'a';
            framed[1] = '.';
            System.arraycopy(utf8, 0, framed, 2, utf8.length);
            framed[framed.length - 2] = '.';
            framed[framed.length - 1] = ' ';
            assertThat(Key.isValid(utf8, 0, utf8.length)).as(path).isEqualTo(Key.isValid(path));
            assertThat(Key.isValid(framed, 2, 2 + utf8.length)).as("framed " + path).isEqualTo(Key.isValid(path));
        }
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
