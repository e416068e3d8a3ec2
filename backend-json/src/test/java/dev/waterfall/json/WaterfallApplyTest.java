package dev.waterfall.json;

import dev.waterfall.config.Change;
import dev.waterfall.config.Key;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.RevisionConflictException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Waterfall#apply(Change)}: one write, optionally compare-and-set, with set's and unset's warnings. */
class WaterfallApplyTest {

    @TempDir
    Path home;

    private Waterfall open(Map<String, String> env) {
        return Waterfall.builder("pipeline").environment(env).home(home).operatingSystem("Linux")
                .identity(new ProcessIdentity("tester", "testhost", 1)).open();
    }

    @Test
    void apply_setAtTheExpectedRevision_writesAndReturnsTheEntry() {
        try (Waterfall waterfall = open(Map.of())) {
            Key key = Key.of("counter");
            long revision = waterfall.apply(Change.set(key, Value.of(1)).ifRevision(Change.ABSENT)).entry().orElseThrow().revision();

            WriteResult result = waterfall.apply(Change.set(key, Value.of(2)).ifRevision(revision));

            assertThat(result.changed()).isTrue();
            assertThat(result.entry().orElseThrow().value()).isEqualTo(Value.of(2));
            assertThat(result.warnings()).isEmpty();
        }
    }

    @Test
    void apply_setAtAStaleRevision_throwsAndWritesNothing() {
        try (Waterfall waterfall = open(Map.of())) {
            Key key = Key.of("counter");
            waterfall.set(key, Value.of(1));
            waterfall.set(key, Value.of(2));

            assertThatThrownBy(() -> waterfall.apply(Change.set(key, Value.of(3)).ifRevision(1)))
                    .isInstanceOf(RevisionConflictException.class);
            assertThat(waterfall.get(key).orElseThrow().value()).isEqualTo(Value.of(2));
        }
    }

    @Test
    void apply_guardedWriteShadowedByEnv_succeedsWithTheWarning() {
        try (Waterfall waterfall = open(Map.of("PIPELINE_PORT", "9090"))) {
            WriteResult set = waterfall.apply(Change.set(Key.of("port"), Value.of(8080)).ifRevision(Change.ABSENT));
            WriteResult unset = waterfall.apply(Change.unset(Key.of("port")).ifRevision(set.entry().orElseThrow().revision()));

            assertThat(set.warnings()).singleElement().asString().contains("PIPELINE_PORT");
            assertThat(unset.changed()).isTrue();
            assertThat(unset.entry()).isEmpty();
            assertThat(unset.warnings()).singleElement().asString().contains("PIPELINE_PORT");
        }
    }
}
