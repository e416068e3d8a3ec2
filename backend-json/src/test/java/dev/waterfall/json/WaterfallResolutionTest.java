package dev.waterfall.json;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Explanation;
import dev.waterfall.config.Layer;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.UnknownStoreException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The waterfall: environment beats the user's store beats the system file beats the shipped
 * defaults; only the store is written; every value knows where it came from.
 */
class WaterfallResolutionTest {

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Waterfall open(Map<String, String> env, Path defaults, Path system) {
        Waterfall.Builder builder = Waterfall.builder("pipeline")
                .environment(env)
                .home(home)
                .operatingSystem("Linux")
                .identity(new ProcessIdentity("tester", "testhost", 1));
        if (defaults != null) {
            builder.defaultsFile(defaults);
        }
        if (system != null) {
            builder.systemFile(system);
        }
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
    void get_envBeatsStoreBeatsSystemBeatsDefaults() throws IOException {
        Path defaults = write("defaults.json", "{\"a\": \"default\", \"b\": \"default\", \"c\": \"default\", \"d\": \"default\"}");
        Path system = write("etc/pipeline.json", "{\"a\": \"system\", \"b\": \"system\", \"c\": \"system\"}");
        Waterfall writer = open(Map.of(), defaults, system);
        writer.set("a", Value.of("store"));
        writer.set("b", Value.of("store"));

        Waterfall config = open(Map.of("PIPELINE_A", "env"), defaults, system);

        assertThat(config.get("a").orElseThrow().asText()).isEqualTo("env");
        assertThat(config.get("a").orElseThrow().origin().layer()).isEqualTo(Layer.ENV);
        assertThat(config.get("b").orElseThrow().asText()).isEqualTo("store");
        assertThat(config.get("b").orElseThrow().origin().layer()).isEqualTo(Layer.STORE);
        assertThat(config.get("c").orElseThrow().asText()).isEqualTo("system");
        assertThat(config.get("c").orElseThrow().origin().layer()).isEqualTo(Layer.SYSTEM);
        assertThat(config.get("d").orElseThrow().asText()).isEqualTo("default");
        assertThat(config.get("d").orElseThrow().origin().layer()).isEqualTo(Layer.DEFAULTS);
        assertThat(config.get("e")).isEmpty();
    }

    @Test
    void explain_showsEveryLayerTheWinnerAndTheExactVariable() throws IOException {
        Path defaults = write("defaults.json", "{\n  \"plant\": {\n    \"default_name\": \"Basil\"\n  }\n}\n");
        open(Map.of(), defaults, null).set("plant.default_name", Value.of("Rosemary"));
        Waterfall config = open(Map.of("PIPELINE_PLANT_DEFAULT_NAME", "Thyme"), defaults, null);

        Explanation explanation = config.explain("plant.default_name");

        assertThat(explanation.envVariable()).isEqualTo("PIPELINE_PLANT_DEFAULT_NAME");
        assertThat(explanation.layers()).extracting(Explanation.LayerValue::layer)
                .containsExactly(Layer.ENV, Layer.STORE, Layer.SYSTEM, Layer.DEFAULTS);
        assertThat(explanation.layers().get(0).value()).contains(Value.of("Thyme"));
        assertThat(explanation.layers().get(1).value()).contains(Value.of("Rosemary"));
        assertThat(explanation.layers().get(1).source()).isEqualTo("json:" + storeFile());
        assertThat(explanation.layers().get(1).line()).isEqualTo(3);
        assertThat(explanation.layers().get(2).configured()).isFalse();
        assertThat(explanation.layers().get(3).value()).contains(Value.of("Basil"));
        assertThat(explanation.layers().get(3).source()).isEqualTo(defaults.toString());
        assertThat(explanation.layers().get(3).line()).isEqualTo(3);
        assertThat(explanation.winner()).map(Resolved::origin).map(Object::toString).contains("env PIPELINE_PLANT_DEFAULT_NAME");
    }

    @Test
    void origin_namesTheStoreFileAndLine() {
        Waterfall config = open(Map.of(), null, null);
        config.set("x.y", Value.of(1));

        assertThat(config.get("x.y").orElseThrow().origin().toString()).isEqualTo("store json:" + storeFile() + ":3");
    }

    @Test
    void unset_letsTheDefaultShowThroughAgain() throws IOException {
        Path defaults = write("defaults.json", "{\"port\": 8080}");
        Waterfall config = open(Map.of(), defaults, null);
        config.set("port", Value.of(9090));
        assertThat(config.get("port").orElseThrow().value()).isEqualTo(Value.of(9090));

        config.unset("port");

        Resolved port = config.get("port").orElseThrow();
        assertThat(port.value()).isEqualTo(Value.of(8080));
        assertThat(port.origin().layer()).isEqualTo(Layer.DEFAULTS);
    }

    @Test
    void defaultsAndSystemFile_areNeverWritten() throws IOException {
        Path defaults = write("defaults.json", "{\"port\": 8080, \"name\": \"x\"}\n");
        Path system = write("etc/pipeline.json", "{\"port\": 1}\n");
        Files.setLastModifiedTime(defaults, FileTime.fromMillis(1_000_000_000_000L));
        byte[] defaultBytes = Files.readAllBytes(defaults);
        byte[] systemBytes = Files.readAllBytes(system);
        Waterfall config = open(Map.of("PIPELINE_NAME", "from env"), defaults, system);

        config.set("port", Value.of(9090));
        config.set("name", Value.of("stored"));
        config.unset("port");
        config.list();

        assertThat(Files.readAllBytes(defaults)).isEqualTo(defaultBytes);
        assertThat(Files.readAllBytes(system)).isEqualTo(systemBytes);
        assertThat(Files.getLastModifiedTime(defaults).toMillis()).isEqualTo(1_000_000_000_000L);
        assertThat(home.resolve("backups")).doesNotExist();
        assertThat(defaults.resolveSibling("defaults.json.lock")).doesNotExist();
    }

    @Test
    void explainAll_isExplainOfEveryKnownKey_inKeyOrder() throws IOException {
        Path defaults = write("defaults.json", "{\"a\": 1, \"plant\": {\"name\": \"Basil\"}}");
        Path system = write("system.json", "{\"s\": true}");
        open(Map.of(), defaults, system).set("plant.name", Value.of("Rosemary"));
        Waterfall config = open(Map.of("PIPELINE_A", "2", "PIPELINE_ONLY_ENV", "x"), defaults, system);
        config.set("z", Value.of("stored"));

        List<Explanation> all = config.explainAll();

        assertThat(all).extracting(explanation -> explanation.key().path()).containsExactly("a", "plant.name", "s", "z");
        for (Explanation explanation : all) {
            assertThat(explanation).isEqualTo(config.explain(explanation.key()));
        }
        assertThat(all.get(0).winner().orElseThrow().origin().layer()).isEqualTo(Layer.ENV);
    }

    @Test
    void onlyExplicitlySetKeysAreWritten_andReadsCreateNothing() throws IOException {
        Path defaults = write("defaults.json", "{\"port\": 8080, \"name\": \"x\"}");
        Waterfall config = open(Map.of("PIPELINE_NAME", "from env"), defaults, null);

        config.get("port");
        config.get("name");
        config.list();
        config.explain("port");
        config.diagnose();
        assertThat(home.resolve(".config")).doesNotExist();

        config.set("extra", Value.of(true));

        assertThat(Files.readString(storeFile())).isEqualTo("{\n  \"extra\": true\n}\n");
    }

    @Test
    void set_thatAnEnvVariableShadows_succeedsAndWarns() {
        Waterfall config = open(Map.of("PIPELINE_PORT", "7000"), null, null);

        WriteResult result = config.set("port", Value.of(9090));

        assertThat(result.changed()).isTrue();
        assertThat(result.warnings()).singleElement().asString().contains("PIPELINE_PORT").contains("overrides");
        assertThat(config.store().get(dev.waterfall.config.Key.of("port"))).isPresent();
        assertThat(config.get("port").orElseThrow().value()).isEqualTo(Value.of(7000));
    }

    @Test
    void envValues_areJsonLiterals_unlessALowerLayerHoldsAString() throws IOException {
        Path defaults = write("defaults.json", "{\"code\": \"007\", \"port\": 8080}");
        Map<String, String> env = Map.of(
                "PIPELINE_CODE", "007",
                "PIPELINE_PORT", "9090",
                "PIPELINE_DEBUG", "true",
                "PIPELINE_TAGS", "[\"a\",\"b\"]",
                "PIPELINE_NAME", "plain words");
        Waterfall config = open(env, defaults, null);

        assertThat(config.get("code").orElseThrow().value()).isEqualTo(Value.of("007"));
        assertThat(config.get("port").orElseThrow().value()).isEqualTo(Value.of(9090));
        assertThat(config.get("debug").orElseThrow().value()).isEqualTo(Value.of(true));
        assertThat(config.get("tags").orElseThrow().value()).isEqualTo(Value.parseJson("[\"a\",\"b\"]"));
        assertThat(config.get("name").orElseThrow().value()).isEqualTo(Value.of("plain words"));
    }

    @Test
    void unmatchedEnvironmentVariables_reportTyposButNotTheStoreVariable() throws IOException {
        Path defaults = write("defaults.json", "{\"plant\": {\"default_name\": \"Basil\"}}");
        Map<String, String> env = Map.of(
                "PIPELINE_PLANT_DEFAULT_NAME", "ok",
                "PIPELINE_PLANT_DEFALT_NAME", "typo",
                "PIPELINE_STORE", "json:" + home.resolve("elsewhere.json"),
                "OTHER_APP_X", "not ours");
        Waterfall config = open(env, defaults, null);

        assertThat(config.unmatchedEnvironmentVariables()).containsExactly("PIPELINE_PLANT_DEFALT_NAME");
        assertThat(config.diagnose()).anySatisfy(d -> assertThat(d.subject()).isEqualTo("PIPELINE_PLANT_DEFALT_NAME"));
    }

    @Test
    void unmatchedEnvironmentVariables_leaveOutTheSecretsVariables_andNeverShowAValue() throws IOException {
        Map<String, String> env = Map.of(
                "PIPELINE_SECRETS", "keyring",
                "PIPELINE_SECRETS_FILE", home.resolve("s.enc.json").toString(),
                "PIPELINE_SECRETS_PASSPHRASE", "correct horse battery staple",
                "PIPELINE_GITHUB_TOKN", "ghp_not_a_key",
                "PIPELINE_GITHUB_TOKEN", "ghp_typo_for_no_key",
                "PIPELINE_PORTT", "8080");
        Waterfall config = open(env, null, null);

        assertThat(config.unmatchedEnvironmentVariables()).containsExactly("PIPELINE_GITHUB_TOKEN", "PIPELINE_GITHUB_TOKN", "PIPELINE_PORTT");
        // A typo's value is never shown: a mistyped name (PIPELINE_GITHUB_TOKN) no longer looks like a secret's.
        assertThat(config.diagnose()).extracting(Diagnostic::message)
                .allSatisfy(message -> assertThat(message).doesNotContain("ghp_").doesNotContain("8080").doesNotContain("correct horse"))
                .anySatisfy(message -> assertThat(message).contains("is it a typo?", "its value is not shown"));
    }

    @Test
    void storeVariable_picksTheStore_andAnExplicitStoreWins() {
        Path elsewhere = home.resolve("elsewhere.json");
        Waterfall fromEnv = open(Map.of("PIPELINE_STORE", "json:" + elsewhere), null, null);
        fromEnv.set("k", Value.of(1));
        assertThat(elsewhere).exists();
        assertThat(fromEnv.storeUri().toString()).isEqualTo("json:" + elsewhere);

        Path explicit = home.resolve("explicit.json");
        Waterfall overridden = Waterfall.builder("pipeline").environment(Map.of("PIPELINE_STORE", "json:" + elsewhere))
                .home(home).store("json:" + explicit).open();
        opened.add(overridden);
        assertThat(overridden.storeUri().toString()).isEqualTo("json:" + explicit);
    }

    @Test
    void aBarePath_picksTheStoreByExtension() {
        Waterfall config = open(Map.of("PIPELINE_STORE", home.resolve("plain.json").toString()), null, null);

        assertThat(config.storeUri().scheme()).isEqualTo("json");
    }

    @Test
    void anUnknownScheme_listsTheInstalledOnes() {
        assertThatThrownBy(() -> open(Map.of("PIPELINE_STORE", "mongodb://localhost/x"), null, null))
                .isInstanceOf(UnknownStoreException.class)
                .hasMessageContaining("mongodb:")
                .hasMessageContaining("json:");
    }

    @Test
    void defaultStore_followsThePlatformRules() {
        Map<String, Map.Entry<Map<String, String>, String>> cases = new HashMap<>();
        Path h = home;
        assertThat(location("Linux", Map.of())).isEqualTo(h.resolve(".config/pipeline/config.json").toString());
        assertThat(location("Linux", Map.of("XDG_CONFIG_HOME", "/xdg"))).isEqualTo("/xdg/pipeline/config.json");
        assertThat(location("Linux", Map.of("XDG_CONFIG_HOME", "relative/not/allowed")))
                .isEqualTo(h.resolve(".config/pipeline/config.json").toString());
        assertThat(location("Mac OS X", Map.of("XDG_CONFIG_HOME", "/xdg")))
                .isEqualTo(h.resolve("Library/Application Support/pipeline/config.json").toString());
        assertThat(location("Windows 11", Map.of("APPDATA", "/appdata"))).isEqualTo(Path.of("/appdata").resolve("pipeline").resolve("config.json").toString());
        assertThat(location("Windows 11", Map.of())).isEqualTo(h.resolve("AppData/Roaming/pipeline/config.json").toString());
        assertThat(cases).isEmpty();
    }

    private String location(String os, Map<String, String> env) {
        Waterfall waterfall = Waterfall.builder("pipeline").environment(env).home(home).operatingSystem(os).open();
        opened.add(waterfall);
        assertThat(waterfall.storeUri().scheme()).isEqualTo("json");
        return waterfall.storeUri().rest();
    }

    @Test
    void defaults_fromAResourceOfTheProgram_withLines() {
        Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(home)
                .defaultsResource(WaterfallResolutionTest.class, "/shipped-defaults.json").open();
        opened.add(config);
        Waterfall fromUrl = Waterfall.builder("pipeline").environment(Map.of()).home(home)
                .defaultsResource(WaterfallResolutionTest.class.getResource("shipped-defaults.json")).open();
        opened.add(fromUrl);
        assertThat(fromUrl.get("server.code")).map(Resolved::asText).contains("007");

        Resolved name = config.get("plant.default_name").orElseThrow();

        assertThat(name.asText()).isEqualTo("Basil");
        assertThat(name.origin().layer()).isEqualTo(Layer.DEFAULTS);
        assertThat(name.origin().source()).endsWith("shipped-defaults.json");
        assertThat(name.origin().line()).isEqualTo(3);
        assertThat(config.list()).extracting(r -> r.key().path())
                .containsExactly("plant.default_name", "plant.watering_days", "server.code", "server.port");
    }

    @Test
    void defaults_asAMap() {
        Waterfall config = Waterfall.builder("pipeline").environment(Map.of()).home(home)
                .defaults(Map.of("retries", 3, "mode", "fast")).open();
        opened.add(config);

        assertThat(config.get("retries").orElseThrow().asLong()).isEqualTo(3);
        assertThat(config.get("mode").orElseThrow().origin().layer()).isEqualTo(Layer.DEFAULTS);
    }

    @Test
    void aMissingSystemFile_isAnEmptyLayer_andIsReadWhenItAppears() throws IOException {
        Path system = home.resolve("etc/pipeline.json");
        Waterfall config = open(Map.of(), null, system);
        assertThat(config.get("k")).isEmpty();

        write("etc/pipeline.json", "{\"k\": \"system\"}");

        assertThat(config.get("k")).map(Resolved::asText).contains("system");
    }

    @Test
    void aBrokenDefaultsFile_isAClearError() throws IOException {
        Path defaults = write("defaults.json", "{\"a\": }");

        assertThatThrownBy(() -> open(Map.of(), defaults, null).get("a"))
                .isInstanceOf(StoreBrokenException.class)
                .hasMessageStartingWith(defaults + ":1:");
    }

    @Test
    void resolved_typedAccessors_nameTheKeyAndOriginOnAMismatch() {
        Waterfall config = open(Map.of("PIPELINE_PORT", "not a number"), null, null);

        assertThatThrownBy(() -> config.get("port").orElseThrow().asLong())
                .hasMessageContaining("port")
                .hasMessageContaining("env PIPELINE_PORT")
                .hasMessageContaining("not an integer");
        assertThat(Optional.of(config.get("port").orElseThrow().asText())).contains("not a number");
    }
}
