package dev.waterfall.config.binding;

import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Binding values with references and profiles (docs/references.md): expanded, and a broken one reported like any bad value. */
class BinderReferencesTest {

    public record Database(String host, int port, String url) { }

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Waterfall open(Map<String, String> env) {
        Waterfall config = Waterfall.builder("pipeline").environment(env).home(home).identity(new ProcessIdentity("tester", "host", 1))
                .store("json:" + home.resolve("config.json")).open();
        opened.add(config);
        return config;
    }

    @Test
    void bind_expandsReferences_throughProfilesAndTheEnvironment() {
        Waterfall writer = open(Map.of());
        writer.set("db.host", Value.of("localhost"));
        writer.set("%prod.db.host", Value.of("db.prod"));
        writer.set("db.port", Value.of("${env:DB_PORT:5432}"));
        writer.set("db.url", Value.of("jdbc:postgresql://${db.host}:${db.port}/app"));

        Database database = Binder.of(open(Map.of("PIPELINE_PROFILE", "prod", "DB_PORT", "6543"))).bind("db", Database.class);

        assertThat(database).isEqualTo(new Database("db.prod", 6543, "jdbc:postgresql://db.prod:6543/app"));
    }

    @Test
    void bind_aCycleOrAMissingKey_isReportedWithTheOtherBadValues_namingTheChain() {
        Waterfall config = open(Map.of());
        config.set("db.host", Value.of("${db.url}"));
        config.set("db.port", Value.of("many"));
        config.set("db.url", Value.of("jdbc:postgresql://${db.host}/${db.name}"));

        assertThatThrownBy(() -> Binder.of(config).bind("db", Database.class))
                .isInstanceOfSatisfying(BindingException.class, e -> {
                    assertThat(e.problems()).hasSize(3);
                    assertThat(e.problems()).extracting(BindingProblem::toString)
                            .anySatisfy(text -> assertThat(text).startsWith("db.host: ").contains("db.host -> db.url -> db.host"))
                            .anySatisfy(text -> assertThat(text).startsWith("db.port: expected an integer"))
                            .anySatisfy(text -> assertThat(text).startsWith("db.url: ").contains("db.url -> db.host -> db.url"));
                });
    }
}
