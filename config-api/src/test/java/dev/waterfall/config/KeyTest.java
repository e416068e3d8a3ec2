package dev.waterfall.config;

import dev.waterfall.config.engine.WriteRules;
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
        assertThatThrownBy(() -> Key.of("a b")).hasMessageContaining("character ' ' at position 2 is not allowed; quote the segment");
        assertThatThrownBy(() -> Key.of("é")).hasMessageContaining("U+00E9");
        assertThatThrownBy(() -> Key.of("a.")).hasMessageContaining("ends with '.'");
        assertThatThrownBy(() -> Key.of("x".repeat(Key.MAX_LENGTH + 1))).hasMessageContaining("characters long");
        assertThatThrownBy(() -> Key.of("a.\"b")).hasMessageContaining("the quote at position 3 is not closed");
        assertThatThrownBy(() -> Key.of("a.\"b\"c")).hasMessageContaining("character 'c' at position 6 follows a quoted segment");
        assertThatThrownBy(() -> Key.of("\"\\q\"")).hasMessageContaining("the escape \\q at position 2");
        assertThatThrownBy(() -> Key.of("\"\\uD800\"")).hasMessageContaining("not a Unicode scalar value");
        assertThatThrownBy(() -> Key.of("\"a\u0001\"")).hasMessageContaining("U+0001 at position 3 must be escaped");
        assertThatThrownBy(() -> Key.ofSegments(List.of("a\ud800"))).hasMessageContaining("lone UTF-16 surrogate (U+D800)");
        assertThatThrownBy(() -> Key.of("'a'b")).hasMessageContaining("follows a quoted segment");
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
        assertThat(Key.of("\"%dev\".server.port")).as("files hold a profile under a member named %dev; TOML must quote it")
                .isEqualTo(key).extracting(Key::path).isEqualTo("%dev.server.port");
        assertThat(Key.ofSegments(List.of("%dev", "server", "port"))).isEqualTo(key);
        assertThat(Key.of("\"%dev x\".port").profile()).as("not a bare name after the %").isEmpty();
        assertThat(Key.of("\"%dev x\".port").path()).isEqualTo("\"%dev x\".port");
        assertThat(Key.of("a.\"%b\"").path()).as("a % segment below the first is an ordinary quoted one").isEqualTo("a.\"%b\"");
        assertThat(Key.of("%dev.target.\"cfg(unix)\"").withoutProfile()).isEqualTo(Key.of("target.\"cfg(unix)\""));
        assertThat(Key.of("target.\"cfg(unix)\"").inProfile("dev").path()).isEqualTo("%dev.target.\"cfg(unix)\"");
        assertThat(Key.isWritten("%dev.a")).isTrue();
        assertThat(Key.isWritten("\"%dev\".a")).isFalse();
        assertThatThrownBy(() -> Key.of("a.%b")).hasMessageContaining("character '%' at position 3");
        assertThatThrownBy(() -> Key.of("%.a")).hasMessageContaining("'%' is not followed by a profile's name");
        assertThatThrownBy(() -> key.inProfile("test")).hasMessageContaining("in a profile already");
        assertThatThrownBy(() -> Key.of("a").inProfile("no good")).hasMessageContaining("invalid profile name");
    }

    @Test
    void isValid_ofBytes_agreesWithIsWrittenOfText() {
        List<String> paths = List.of("a", "a.b", "plant.default_name", "a-b.C9", "-", "A.B_c-9", "", ".", "a.", ".a", "a..b", "a b",
                "a/b", "\u00e9", "caf\u00e9.x", "a\u0000b", "x".repeat(Key.MAX_LENGTH), "x".repeat(Key.MAX_LENGTH + 1), "a.b.c.d", "9",
                "a.\"b c\"", "a.'b c'", "a.\"b\"", "\"caf\u00e9\".x", "\"\"", "\"x.y\".z", "\"a\\u0001\"", "\"a\\u0001\"",
                "\"\\u0001\"", "\"tab\\t\"", "\"tab\t\"", "\"\\\"q\\\"\"", "\"\\u00e9\"", "\"\ud83d\ude00\"", "\"a\".", "\"a",
                "%dev.a", "%a", "%", "%.a", "%%a", "a.%b", "%dev..a", "\"%dev\".a", "%dev.\"b c\"", "%\"dev\".a");
        for (String path : paths) {
            byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
            byte[] framed = new byte[utf8.length + 4];
            framed[0] = 'a';
            framed[1] = '.';
            System.arraycopy(utf8, 0, framed, 2, utf8.length);
            framed[framed.length - 2] = '.';
            framed[framed.length - 1] = ' ';
            boolean written = Key.isValid(path) && Key.of(path).path().equals(path);
            assertThat(Key.isWritten(path)).as(path).isEqualTo(written);
            assertThat(Key.isValid(utf8, 0, utf8.length)).as(path).isEqualTo(written);
            assertThat(Key.isValid(framed, 2, 2 + utf8.length)).as("framed " + path).isEqualTo(written);
        }
        byte[] invalidUtf8 = {'"', (byte) 0xC3, '"'};
        assertThat(Key.isValid(invalidUtf8, 0, 3)).isFalse();
    }

    @Test
    void quotedSegments_areReadAsTomlWritesThem_andWrittenOneWay() {
        Key cargo = Key.of("target.'cfg(unix)'.dependencies.libc");
        assertThat(cargo.segments()).containsExactly("target", "cfg(unix)", "dependencies", "libc");
        assertThat(cargo.path()).isEqualTo("target.\"cfg(unix)\".dependencies.libc");
        assertThat(Key.of("target.\"cfg(unix)\".dependencies.libc")).isEqualTo(cargo);
        assertThat(Key.of("project.entry-points.\"x.y\"").segments()).containsExactly("project", "entry-points", "x.y");
        assertThat(Key.of("\"~\"").segments()).containsExactly("~");
        assertThat(Key.of("a.\"b\"").path()).isEqualTo("a.b");
        assertThat(Key.of("a.''").path()).isEqualTo("a.\"\"");
        assertThat(Key.of("\"\\u00e9\\U0001F600\"").segments()).containsExactly("\u00e9\ud83d\ude00");
        assertThat(Key.of("\"\\u00e9\"").path()).isEqualTo("\"\u00e9\"");
        assertThat(Key.of("'a\\b\"c'").path()).isEqualTo("\"a\\\\b\\\"c\"");
        assertThat(Key.ofSegments(List.of("x", "line\nbreak", "\u001b[31m")).path()).isEqualTo("x.\"line\\nbreak\".\"\\u001B[31m\"");
        assertThat(Key.root("a.b").path()).isEqualTo("\"a.b\"");
        assertThat(Key.of("a").child("b c").child("d").path()).isEqualTo("a.\"b c\".d");
        assertThat(cargo.isBare()).isFalse();
        assertThat(Key.of("server.port").isBare()).isTrue();
        assertThat(Key.of("a.\"b.c\".d").ancestors()).containsExactly(Key.of("a"), Key.of("a.\"b.c\""));
        assertThat(Key.segmentText("cfg(unix)")).isEqualTo("\"cfg(unix)\"");
        assertThat(Key.segmentText("libc")).isEqualTo("libc");
    }

    @Test
    void randomSegments_roundTripThroughTheText_andAncestryAndOrderFollowTheSegments() {
        java.util.Random random = new java.util.Random(15);
        String alphabet = "ab.-_ \"'\\\t\u0001\u007f\u00e9\uffff\ud83d\ude00";
        List<Key> keys = new java.util.ArrayList<>();
        for (int n = 0; n < 3000; n++) {
            List<String> segments = new java.util.ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                StringBuilder segment = new StringBuilder();
                int length = random.nextInt(4);
                for (int j = 0; j < length; j++) {
                    char c = alphabet.charAt(random.nextInt(alphabet.length()));
                    if (Character.isHighSurrogate(c)) {
                        segment.append("\ud83d\ude00");
                    } else if (!Character.isLowSurrogate(c)) {
                        segment.append(c);
                    }
                }
                segments.add(segment.toString());
            }
            Key key = Key.ofSegments(segments);
            assertThat(Key.of(key.path()).segments()).as(key.path()).isEqualTo(segments);
            assertThat(Key.isWritten(key.path())).isTrue();
            keys.add(key);
        }
        for (int n = 0; n < 20000; n++) {
            Key a = keys.get(random.nextInt(keys.size()));
            Key b = random.nextBoolean() ? keys.get(random.nextInt(keys.size())) : a.child(keys.get(random.nextInt(keys.size())).name());
            boolean bySegments = b.segments().size() > a.segments().size() && b.segments().subList(0, a.segments().size()).equals(a.segments());
            assertThat(a.isAncestorOf(b)).as(a + " above " + b).isEqualTo(bySegments);
            byte[] left = a.path().getBytes(StandardCharsets.UTF_8);
            byte[] right = b.path().getBytes(StandardCharsets.UTF_8);
            assertThat(Integer.signum(a.compareTo(b))).as(a + " vs " + b).isEqualTo(Integer.signum(java.util.Arrays.compareUnsigned(left, right)));
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

        assertThat(WriteRules.leafConflict(stored, Key.of("a"))).contains(Key.of("a.b"));
        assertThat(WriteRules.leafConflict(stored, Key.of("x.y"))).contains(Key.of("x"));
        assertThat(WriteRules.leafConflict(stored, Key.of("a.b_d"))).contains(Key.of("a.b_d.e"));
        assertThat(WriteRules.leafConflict(stored, Key.of("a.b.c"))).contains(Key.of("a.b"));
        assertThat(WriteRules.leafConflict(stored, Key.of("a.c"))).isEmpty();
        assertThat(WriteRules.leafConflict(stored, Key.of("a.b-"))).isEmpty();

        TreeSet<Key> quoted = new TreeSet<>(List.of(Key.of("a.\"b.c\""), Key.of("t.\"cfg(unix)\".dependencies.libc")));
        assertThat(WriteRules.leafConflict(quoted, Key.of("a.\"b.c\".d"))).contains(Key.of("a.\"b.c\""));
        assertThat(WriteRules.leafConflict(quoted, Key.of("a.b"))).isEmpty();
        assertThat(WriteRules.leafConflict(quoted, Key.of("a.b.c"))).isEmpty();
        assertThat(WriteRules.leafConflict(quoted, Key.of("t.'cfg(unix)'"))).contains(Key.of("t.\"cfg(unix)\".dependencies.libc"));
        assertThat(WriteRules.leafConflict(quoted, Key.of("t.\"cfg(unix) \""))).isEmpty();
    }
}
