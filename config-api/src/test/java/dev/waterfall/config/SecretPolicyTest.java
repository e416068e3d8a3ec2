package dev.waterfall.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which keys look like secrets, and what the policies let a plaintext store write. */
class SecretPolicyTest {

    @Test
    void looksSecret_whenTheNameEndsInAWordForASecret() {
        for (String path : List.of("db.password", "smtp.passwd", "gpg.passphrase", "oauth.client_secret", "github.token", "auth-token",
                "stripe.api_key", "stripe.apiKey", "maps.api-key", "maps.apikey", "tls.private_key", "aws.access_key", "jwt.signingKey",
                "backup.encryption_key", "aws.credentials", "DB_PASSWORD", "app.secret")) {
            assertThat(SecretPolicy.looksSecret(Key.of(path))).as(path).isTrue();
        }
    }

    @Test
    void looksSecret_notWhenTheNameOnlyMentionsOne() {
        for (String path : List.of("password_min_length", "llm.max_tokens", "secret.path", "smtp.password_file", "token_limit",
                "server.port", "ui.keyboard", "primary_key", "key", "db.password.rotation_days", "passwords_checked")) {
            assertThat(SecretPolicy.looksSecret(Key.of(path))).as(path).isFalse();
        }
    }

    @Test
    void theDefault_refusesSecretsOnly_namingTheKeyTheStoreAndWhatToDo() {
        SecretPolicy policy = SecretPolicy.refuseSecrets();
        policy.checkPlaintext(Key.of("server.port"), "/home/ana/.config/app/config.json");

        assertThatThrownBy(() -> policy.checkPlaintext(Key.of("db.password"), "/home/ana/.config/app/config.json"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("db.password")
                .hasMessageContaining("/home/ana/.config/app/config.json")
                .hasMessageContaining("waterfall explain db.password")
                .hasMessageContaining("--plaintext-secret");
    }

    @Test
    void allowing_letsTheNamedKeysThrough_andNoOther() {
        SecretPolicy policy = SecretPolicy.allowing(List.of(Key.of("db.password")));

        assertThat(policy.allowsInPlaintext(Key.of("db.password"))).isTrue();
        assertThat(policy.allowsInPlaintext(Key.of("github.token"))).isFalse();
        assertThat(policy.allowsInPlaintext(Key.of("server.port"))).isTrue();
        assertThat(SecretPolicy.allowingAll().allowsInPlaintext(Key.of("github.token"))).isTrue();
    }
}
