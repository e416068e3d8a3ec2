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
        policy.checkPlaintext(Key.of("server.port"), Value.of(8080), "/home/ana/.config/app/config.json");
        policy.checkPlaintext(Key.of("db.password"), Value.of("${secret:db}"), "/home/ana/.config/app/config.json"); // a reference is no secret

        assertThatThrownBy(() -> policy.checkPlaintext(Key.of("db.password"), Value.of("hunter2"), "/home/ana/.config/app/config.json"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("db.password")
                .hasMessageContaining("/home/ana/.config/app/config.json")
                .hasMessageContaining("waterfall explain db.password")
                .hasMessageContaining("--plaintext-secret")
                .hasMessageContaining("${secret:NAME}");
    }

    @Test
    void reference_isAStringThatIsExactlyDollarBraceSecretColonName() {
        assertThat(SecretPolicy.reference(Value.of("${secret:db.main_pw-2}"))).contains("db.main_pw-2");
        for (Value other : List.of(Value.of("${secret:}"), Value.of(" ${secret:x}"), Value.of("${secret:x} "), Value.of("${secret:a b}"),
                Value.of("$secret:x"), Value.of(1))) {
            assertThat(SecretPolicy.reference(other)).as(other.toJson()).isEmpty();
        }
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
