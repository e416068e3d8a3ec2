package dev.waterfall.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

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

    /**
     * Names people write for secrets (issue 15, item 7): words run together ({@code authtoken}), the
     * word for the key in the segment before ({@code api.key}), camel case, dashes, abbreviations;
     * and, beside them, ordinary keys that share letters with them and must stay visible.
     */
    @Test
    void looksSecret_table_ofNamesUsersWrite() {
        java.util.Map<String, Boolean> table = new java.util.LinkedHashMap<>();
        for (String secret : List.of("x.authtoken", "x.authToken", "github.accesstoken", "slack.bot_token", "bearerToken", "api.key",
                "stripe.api.key", "db.password", "db.pwd", "mysql.dbpassword", "client_secret", "oauth.clientSecret", "apiKey", "x.apikey",
                "private-key", "tls.privatekey", "ssh.privkey", "aws.secretkey", "aws.secret.key", "aws.accessKey", "auth.key",
                "hmac.auth_key", "vault.master_key", "jwt.signing.key", "smtp.passwd", "gpg.passphrase", "gcp.credentials",
                "refresh-token", "x.Credential", "DB_PASSWORD", "x.\"api key\"", "x.\"my password\"", "\"caf\u00e9\".\"db token\"")) {
            table.put(secret, true);
        }
        for (String ordinary : List.of("keyboard.layout", "monkey", "hotkey", "ui.hotkey", "sort_key", "cache.key", "primary.key", "key",
                "turnkey.enabled", "token.ttl", "token_limit", "llm.max_tokens", "tokenizer", "password_min_length", "secret.path",
                "secrets_dir", "smtp.password_file", "api.key_file", "api.url", "db.password.rotation_days", "passwords_checked",
                "passport.number", "keys.count", "server.port")) {
            table.put(ordinary, false);
        }
        table.forEach((path, secret) -> {
            assertThat(SecretPolicy.looksSecret(Key.of(path))).as(path).isEqualTo(secret);
            byte[] ascii = Key.of(path).path().getBytes(StandardCharsets.UTF_8);
            assertThat(SecretPolicy.looksSecret(ascii, 0, ascii.length)).as(path + " as bytes").isEqualTo(secret);
        });
    }

    @Test
    void looksSecret_ofTheKeysBytes_saysWhatItSaysOfTheKey() {
        List<String> paths = new ArrayList<>(List.of("db.password", "db.password_", "db.password-", "db.PASSWORD", "a.Api_Key", "apiKEY",
                "monkey", "db.password.rotation_days", "x.secret_", "x._", "key", "api_key__", "db.dbpassword", "jwt.signingKey",
                "smtp.password_file", "x.tokens", "x.credentials", "x.credential", "x.passphrase", "x.passwd"));
        String[] parts = {"", "a", "api", "private", "db", "password", "passwd", "passphrase", "secret", "token", "credential",
                "credentials", "key", "Key", "KEY", "apikey", "Token", "s", "x1", "max", "min"};
        String[] joins = {"", "_", "-", ".", ".\"x y\".", ".\"caf\u00e9\".", ".\"\u00e9 "};
        Random random = new Random(20261126);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder(parts[1 + random.nextInt(parts.length - 1)]);
            for (int words = random.nextInt(4); words > 0; words--) {
                path.append(joins[random.nextInt(joins.length)]).append(parts[1 + random.nextInt(parts.length - 1)]);
            }
            if (random.nextInt(5) == 0) {
                path.append(random.nextBoolean() ? "_" : "-");
            }
            String text = path.toString();
            if (text.contains(".\"\u00e9 ")) {
                text = text + "\""; // a quoted segment "é password", closed at the end
            }
            if (Key.isValid(text)) { // the joins make some texts that are not keys ("é" unquoted); those are left out
                paths.add(Key.of(text).path());
            }
        }
        int secret = 0;
        for (String path : paths) {
            byte[] padded = ("[" + path + "]").getBytes(StandardCharsets.UTF_8); // UTF-8: quoted segments may hold any text
            boolean expected = SecretPolicy.looksSecret(Key.of(path));
            assertThat(SecretPolicy.looksSecret(padded, 1, padded.length - 1)).as(path).isEqualTo(expected);
            secret += expected ? 1 : 0;
        }
        assertThat(secret).as("keys that look like secrets among the generated").isBetween(paths.size() / 10, paths.size() * 9 / 10);
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
