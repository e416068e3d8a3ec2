package dev.waterfall.json;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Expansion;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.Layer;
import dev.waterfall.config.NumberValue;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.SecretSource;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * References ({@code ${key}}, {@code ${key:default}}, {@code ${env:NAME}}, {@code ${secret:NAME}},
 * {@code $${}) and profiles ({@code %dev.} keys, {@code config.dev.json} files) through every layer,
 * as docs/references.md states them.
 */
class WaterfallReferencesTest {

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Waterfall.Builder builder(Map<String, String> env) {
        return Waterfall.builder("pipeline").environment(env).home(home).operatingSystem("Linux")
                .identity(new ProcessIdentity("tester", "testhost", 1));
    }

    private Waterfall open(Waterfall.Builder builder) {
        Waterfall waterfall = builder.open();
        opened.add(waterfall);
        return waterfall;
    }

    private Path write(String name, String content) throws IOException {
        Path file = home.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private Path storeFile() {
        return home.resolve(".config/pipeline/config.json");
    }

    @Test
    void aReferenceInEveryLayer_resolvesEachReferenceThroughTheWholeWaterfall() throws IOException {
        Path defaults = write("defaults.json", "{\"host\": \"default-host\", \"port\": 1, \"in\": {\"defaults\": \"d:${host}:${port}\"}}");
        Path system = write("system.json", "{\"port\": 2, \"in\": {\"system\": \"s:${host}:${port}\"}}");
        Waterfall writer = open(builder(Map.of()).defaultsFile(defaults).systemFile(system));
        writer.set("port", Value.of(3));
        writer.set("in.store", Value.of("st:${host}:${port}"));
        Waterfall config = open(builder(Map.of("PIPELINE_PORT", "4", "PIPELINE_IN_ENV", "e:${host}:${port}"))
                .defaultsFile(defaults).systemFile(system));

        assertThat(config.get("in.defaults").orElseThrow().asText()).isEqualTo("d:default-host:4");
        assertThat(config.get("in.system").orElseThrow().asText()).isEqualTo("s:default-host:4");
        assertThat(config.get("in.store").orElseThrow().asText()).isEqualTo("st:default-host:4");
        Resolved fromEnv = config.get("in.env").orElseThrow();
        assertThat(fromEnv.asText()).isEqualTo("e:default-host:4");
        assertThat(fromEnv.origin().layer()).isEqualTo(Layer.ENV);
        assertThat(fromEnv.raw()).isEqualTo(new StringValue("e:${host}:${port}"));
        List<Expansion.Reference> references = fromEnv.expansion().orElseThrow().references();
        assertThat(references).extracting(Expansion.Reference::expression).containsExactly("${host}", "${port}");
        assertThat(references.get(0).from()).isEqualTo("defaults " + defaults + ":1");
        assertThat(references.get(1).from()).isEqualTo("env PIPELINE_PORT");
        assertThat(fromEnv.dependsOn()).containsExactlyInAnyOrder(Key.of("host"), Key.of("port"));
    }

    @Test
    void theStoredText_isWhatSetWrote_andRawReturnsIt() throws IOException {
        Waterfall config = open(builder(Map.of()));
        config.set("server.port", Value.of(8080));
        config.set("app.url", Value.of("http://x:${server.port}/"));

        assertThat(Files.readString(storeFile())).contains("\"url\": \"http://x:${server.port}/\"");
        assertThat(config.raw(Key.of("app.url")).orElseThrow().value()).isEqualTo(new StringValue("http://x:${server.port}/"));
        assertThat(config.get("app.url").orElseThrow().asText()).isEqualTo("http://x:8080/");
        assertThat(config.store().history(dev.waterfall.config.HistoryQuery.all())).extracting(Object::toString)
                .anySatisfy(text -> assertThat(text).contains("http://x:${server.port}/")).noneSatisfy(text -> assertThat(text).contains("x:8080"));
    }

    @Test
    void aValueThatIsOneReference_keepsTheReferredType_andDefaultsAndEnvAndEscapesWork() {
        Waterfall config = open(builder(Map.of("DEPLOY_ZONE", "eu-1", "PIPELINE_STORE", "json:" + storeFile())));
        config.set("server.port", Value.of(8080));
        config.set("client.port", Value.of("${server.port}"));
        config.set("client.timeout", Value.of("${server.timeout:30}"));
        config.set("zone", Value.of("${env:DEPLOY_ZONE}/${env:DEPLOY_RACK:r0}"));
        config.set("literal", Value.of("$${server.port} is ${server.port}"));

        assertThat(config.get("client.port").orElseThrow().value()).isEqualTo(new NumberValue("8080"));
        assertThat(config.get("client.timeout").orElseThrow().asLong()).isEqualTo(30);
        assertThat(config.get("zone").orElseThrow().asText()).isEqualTo("eu-1/r0");
        assertThat(config.get("literal").orElseThrow().asText()).isEqualTo("${server.port} is 8080");
        config.set("leak", Value.of("${env:PIPELINE_STORE}"));
        assertThatThrownBy(() -> config.get("leak")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("PIPELINE_STORE, which configures Waterfall itself");
    }

    @Test
    void aCycleOrAMissingKey_isAnErrorNamingTheChain_andExplainKeepsTheChain() {
        Waterfall config = open(builder(Map.of()));
        config.set("a", Value.of("${b}"));
        config.set("b", Value.of("-${c}-"));
        config.set("c", Value.of("${a}"));
        config.set("url", Value.of("http://${host}/"));

        assertThatThrownBy(() -> config.get("a")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("cannot expand a").hasMessageContaining("a -> b -> c -> a");
        assertThatThrownBy(() -> config.get("url")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("url -> host: host has no value in any layer").hasMessageContaining("${host:DEFAULT}");
        Explanation explained = config.explain("a");
        Expansion expansion = explained.winner().orElseThrow().expansion().orElseThrow();
        assertThat(expansion.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("a -> b -> c -> a"));
        assertThat(expansion.references()).extracting(Expansion.Reference::expression).containsExactly("${b}", "${c}");
        assertThat(config.list()).filteredOn(resolved -> resolved.key().path().equals("url")).singleElement()
                .satisfies(resolved -> {
                    assertThat(resolved.value()).isEqualTo(new StringValue("http://${host}/"));
                    assertThat(resolved.expansion().orElseThrow().problem()).isPresent();
                });
    }

    @Test
    void aChainOf64References_resolves_and65IsAnError() {
        Waterfall config = open(builder(Map.of()));
        config.set("k64", Value.of("end"));
        for (int i = 63; i >= 0; i--) {
            config.set("k" + i, Value.of("${k" + (i + 1) + "}"));
        }
        assertThat(config.get("k0").orElseThrow().asText()).isEqualTo("end");
        assertThat(config.get("k0").orElseThrow().dependsOn()).hasSize(64);

        config.set("deeper", Value.of("${k0}"));
        assertThatThrownBy(() -> config.get("deeper")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("deeper than 64 references").hasMessageContaining("deeper -> k0 -> k1");
    }

    @Test
    void aSecretInsideAValue_isPutInByGet_butListLeavesItAndReferencesToSecretLookingKeysAsWritten() {
        SecretSource secrets = new SecretSource() {
            @Override
            public Optional<String> secret(String name) {
                return name.equals("db") ? Optional.of("hunter2") : Optional.empty();
            }

            @Override
            public String location() {
                return "the test's secrets";
            }
        };
        Waterfall config = open(builder(Map.of()).secrets(secrets));
        config.set("db.password", Value.of("${secret:db}"));
        config.set("db.url", Value.of("postgresql://app:${secret:db}@db/app"));
        config.set("db.url2", Value.of("postgresql://app:${db.password}@db/app"));

        Resolved url = config.get("db.url").orElseThrow();
        assertThat(url.asText()).isEqualTo("postgresql://app:hunter2@db/app");
        assertThat(url.secret()).contains("db");
        assertThat(config.get("db.url2").orElseThrow().asText()).isEqualTo("postgresql://app:hunter2@db/app");
        assertThat(config.get("db.url2").orElseThrow().secret()).isPresent();
        assertThat(config.list()).extracting(Resolved::value).map(Value::toJson).noneMatch(text -> text.contains("hunter2"))
                .contains("\"postgresql://app:${secret:db}@db/app\"", "\"postgresql://app:${db.password}@db/app\"");
        assertThat(config.explain("db.url2").winner().orElseThrow().expansion().orElseThrow().references())
                .allSatisfy(reference -> assertThat(reference.value()).isEmpty());
    }

    @Test
    void profiles_precedenceIsEnvThenStoreThenSystemThenDefaults_eachProfileOverBase_laterProfileWins() throws IOException {
        Path defaults = write("app/defaults.json", "{\"k\": {\"a\": \"d\", \"b\": \"d\", \"c\": \"d\", \"d\": \"d\", \"e\": \"d\", \"f\": \"d\", \"g\": \"d\"},"
                + " \"%dev\": {\"k\": {\"g\": \"d-dev\"}}}");
        Path system = write("etc/config.json", "{\"k\": {\"e\": \"s\", \"f\": \"s\"}, \"%dev\": {\"k\": {\"f\": \"s-dev\"}}}");
        write("etc/config.dev.json", "{\"k\": {\"e\": \"s-dev-file\"}}");
        write(".config/pipeline/config.dev.json", "{\"k\": {\"c\": \"store-dev-file\"}}");
        Waterfall writer = open(builder(Map.of()).defaultsFile(defaults).systemFile(system));
        writer.set("k.a", Value.of("store"));
        writer.set("k.b", Value.of("store"));
        writer.set("%dev.k.b", Value.of("store-dev"));
        writer.set("%dev.k.d", Value.of("store-dev"));
        writer.set("%test.k.d", Value.of("store-test"));
        writer.set("k.d", Value.of("store"));

        Waterfall config = open(builder(Map.of("PIPELINE_K_A", "env", "PIPELINE_PROFILE", "dev,test"))
                .defaultsFile(defaults).systemFile(system));

        assertThat(config.profiles()).containsExactly("dev", "test");
        Map<String, String> got = new HashMap<>();
        for (String name : List.of("a", "b", "c", "d", "e", "f", "g")) {
            got.put(name, config.get("k." + name).orElseThrow().asText());
        }
        assertThat(got).containsExactlyInAnyOrderEntriesOf(Map.of("a", "env", "b", "store-dev", "c", "store-dev-file",
                "d", "store-test", "e", "s-dev-file", "f", "s-dev", "g", "d-dev"));
        assertThat(config.get("k.b").orElseThrow().origin().toString())
                .isEqualTo("store json:" + storeFile() + ":" + config.get("k.b").orElseThrow().origin().line() + " (profile dev)");
        assertThat(config.get("k.c").orElseThrow().origin().source()).isEqualTo(storeFile().resolveSibling("config.dev.json").toString());
        assertThat(config.list()).extracting(resolved -> resolved.key().path())
                .containsExactly("k.a", "k.b", "k.c", "k.d", "k.e", "k.f", "k.g");

        Waterfall base = open(builder(Map.of()).defaultsFile(defaults).systemFile(system));
        assertThat(base.get("k.b").orElseThrow().asText()).isEqualTo("store");
        assertThat(base.list()).extracting(resolved -> resolved.key().path()).contains("%dev.k.b", "%test.k.d");
        Waterfall builderWins = open(builder(Map.of("PIPELINE_PROFILE", "dev")).profiles("test").defaultsFile(defaults).systemFile(system));
        assertThat(builderWins.get("k.b").orElseThrow().asText()).isEqualTo("store");
        assertThat(builderWins.get("k.d").orElseThrow().asText()).isEqualTo("store-test");
    }

    @Test
    void explain_walksTheSameOrderedLayersAsResolution_profileRowsAboveTheirLayer() throws IOException {
        Path system = write("etc/config.json", "{\"port\": 1, \"%dev\": {\"port\": 2}}");
        Waterfall config = open(builder(Map.of()).profiles("dev").systemFile(system));

        Explanation explained = config.explain("port");

        assertThat(explained.layers()).extracting(row -> row.layer().label() + "/" + row.profile())
                .containsExactly("env/", "store/dev", "store/dev", "store/", "system/dev", "system/dev", "system/", "defaults/");
        assertThat(explained.winner().orElseThrow().origin().profile()).isEqualTo("dev");
        assertThat(explained.layers()).filteredOn(row -> row.supplied(explained.winner().orElseThrow())).singleElement()
                .satisfies(row -> assertThat(row.value()).contains(Value.of(2)));
    }

    @Test
    void diagnose_reportsBrokenReferencesInEveryLayer_profileKeysThatShadowNothing_andUndefinedProfiles() throws IOException {
        Path defaults = write("defaults.json", "{\"x\": \"${nothing}\", \"%prod\": {\"ghost\": 1}}");
        Waterfall config = open(builder(Map.of("PIPELINE_PROFILE", "dev")).defaultsFile(defaults));
        config.set("a", Value.of("${a}"));

        List<Diagnostic> findings = config.diagnose();

        assertThat(findings).extracting(Diagnostic::toString).anySatisfy(text -> assertThat(text).contains("a: the references form a cycle a -> a"))
                .anySatisfy(text -> assertThat(text).contains("defaults " + defaults, "x: x -> nothing: nothing has no value"))
                .anySatisfy(text -> assertThat(text).contains("%prod.ghost shadows nothing"))
                .anySatisfy(text -> assertThat(text).contains("PIPELINE_PROFILE", "names the profile dev, which no layer defines"));
        assertThat(config.unmatchedEnvironmentVariables()).doesNotContain("PIPELINE_PROFILE");
    }

    @Test
    void aProfilesKey_isWrittenUnderItsPrefix_andInvalidProfileNamesAreRefused() {
        Waterfall config = open(builder(Map.of()));
        config.set(Key.of("port").inProfile("dev"), Value.of(2));

        assertThat(config.store().get(Key.of("%dev.port"))).isPresent();
        assertThat(Key.of("%dev.port").profile()).contains("dev");
        assertThat(Key.of("%dev.port").withoutProfile()).isEqualTo(Key.of("port"));
        assertThatThrownBy(() -> Waterfall.builder("pipeline").profiles("no good")).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("invalid profile name \"no good\"");
        assertThatThrownBy(() -> open(builder(Map.of("PIPELINE_PROFILE", "dev,a b")))).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("PIPELINE_PROFILE names the profile \"a b\"");
        assertThat(List.of(Key.isValid("%"), Key.isValid("%.a"), Key.isValid("a.%b"), Key.isValid("%dev.a"))).containsExactly(false, false, false, true);
    }
}
