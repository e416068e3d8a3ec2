package dev.waterfall.json;

import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Layer;
import dev.waterfall.config.ProcessIdentity;
import dev.waterfall.config.Resolved;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.secrets.SecretFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Secrets kept out of the plaintext store (docs/secrets.md): the store holds a
 * {@code ${secret:NAME}} reference, the encrypted secrets file the secret, and {@code get} puts
 * them together; listings and explanations show the reference only.
 */
class WaterfallSecretsTest {

    @TempDir
    Path home;

    private final List<Waterfall> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Waterfall::close);
    }

    private Waterfall open(Map<String, String> env, Consumer<Waterfall.Builder> configure) {
        Waterfall.Builder builder = Waterfall.builder("pipeline").environment(env).home(home).operatingSystem("Linux")
                .identity(new ProcessIdentity("tester", "testhost", 1));
        configure.accept(builder);
        Waterfall waterfall = builder.open();
        opened.add(waterfall);
        return waterfall;
    }

    @Test
    void aReference_isStoredInThePlaintextFile_andGetResolvesItFromTheSecretsFile() throws Exception {
        Path secretsFile = home.resolve(".config/pipeline/secrets.enc.json");
        SecretFile secrets = SecretFile.open(secretsFile, "a long enough passphrase".toCharArray());
        secrets.set("db", "hunter2");
        Waterfall waterfall = open(Map.of(), builder -> builder.secrets(secrets));
        assertThat(waterfall.configDirectory()).isEqualTo(home.resolve(".config/pipeline"));

        waterfall.set("db.password", Value.of("${secret:db}")); // a reference: no --plaintext-secret needed

        Resolved resolved = waterfall.get("db.password").orElseThrow();
        assertThat(resolved.value()).isEqualTo(Value.of("hunter2"));
        assertThat(resolved.secret()).contains("db");
        assertThat(resolved.origin().layer()).isEqualTo(Layer.STORE);
        assertThat(Files.readString(home.resolve(".config/pipeline/config.json"))).contains("${secret:db}").doesNotContain("hunter2");
        assertThat(waterfall.list()).singleElement().satisfies(listed -> {
            assertThat(listed.value()).isEqualTo(Value.of("${secret:db}"));
            assertThat(listed.secret()).isEmpty();
        });
        assertThat(waterfall.explain("db.password").winner()).map(Resolved::value).contains(Value.of("${secret:db}"));
        assertThatThrownBy(() -> waterfall.set("db.password", Value.of("hunter2"))).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void aReference_withoutASecretSource_orToAMissingSecret_isAnErrorSayingWhatToDo() throws Exception {
        open(Map.of(), builder -> { }).set("api.key_ref", Value.of("${secret:api}"));

        assertThatThrownBy(() -> open(Map.of(), builder -> { }).get("api.key_ref"))
                .isInstanceOf(WaterfallException.class)
                .hasMessageContaining("api.key_ref refers to the secret api")
                .hasMessageContaining("no secret source")
                .hasMessageContaining("PIPELINE_API_KEY_REF");
        SecretFile empty = SecretFile.open(home.resolve("secrets.enc.json"), "pw long enough".toCharArray());
        assertThatThrownBy(() -> open(Map.of(), builder -> builder.secrets(empty)).get("api.key_ref"))
                .isInstanceOf(WaterfallException.class)
                .hasMessageContaining("not in " + home.resolve("secrets.enc.json"))
                .hasMessageContaining("waterfall secret set api");
    }

    @Test
    void anEnvironmentVariable_stillWinsOverAReference() throws Exception {
        open(Map.of(), builder -> { }).set("db.password", Value.of("${secret:db}"));

        Resolved resolved = open(Map.of("PIPELINE_DB_PASSWORD", "from-env"), builder -> { }).get("db.password").orElseThrow();

        assertThat(resolved.value()).isEqualTo(Value.of("from-env"));
        assertThat(resolved.secret()).isEmpty();
    }

    @Test
    void secretsOf_findsTheSecretWhereTheCommandLineKeepsIt_byTheSameVariables() throws Exception {
        Map<String, String> env = Map.of("PIPELINE_SECRETS", "file", "PIPELINE_SECRETS_PASSPHRASE", "a long enough passphrase");
        SecretFile.open(home.resolve(".config/pipeline/secrets.enc.json"), "a long enough passphrase".toCharArray()).set("db", "hunter2");
        open(env, builder -> { }).set("db.password", Value.of("${secret:db}"));

        Waterfall waterfall = open(env, builder -> builder.secrets(dev.waterfall.secrets.Secrets::of));

        assertThat(waterfall.get("db.password").orElseThrow().value()).isEqualTo(Value.of("hunter2"));
        assertThatThrownBy(() -> open(Map.of("PIPELINE_SECRETS", "file"), builder -> builder.secrets(dev.waterfall.secrets.Secrets::of))
                .get("db.password"))
                .isInstanceOf(WaterfallException.class)
                .hasMessageContaining("needs its passphrase: set PIPELINE_SECRETS_PASSPHRASE");
    }
}
