package dev.waterfall.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StoreUriTest {

    @Test
    void parse_schemeAndRest() {
        StoreUri uri = StoreUri.parse("json:/home/me/.config/app/config.json");
        assertThat(uri.scheme()).isEqualTo("json");
        assertThat(uri.rest()).isEqualTo("/home/me/.config/app/config.json");
        assertThat(StoreUri.parse("TOML:~/a.toml").scheme()).isEqualTo("toml");
    }

    @Test
    void parse_barePath_picksTheSchemeByExtension() {
        assertThat(StoreUri.parse("./settings.toml").scheme()).isEqualTo("toml");
        assertThat(StoreUri.parse("/var/lib/app/app.db").scheme()).isEqualTo("sqlite");
        assertThat(StoreUri.parse("C:\\Users\\me\\app.json").scheme()).isEqualTo("json");
        assertThat(StoreUri.parse("C:\\Users\\me\\app.json").rest()).isEqualTo("C:\\Users\\me\\app.json");
        assertThatThrownBy(() -> StoreUri.parse("/no/extension")).hasMessageContaining("no scheme");
        assertThatThrownBy(() -> StoreUri.parse("  ")).hasMessageContaining("empty");
    }

    @Test
    void toString_neverShowsAPassword() {
        assertThat(StoreUri.parse("postgresql://alice:s3cret@db:5432/app?namespace=x").toString())
                .isEqualTo("postgresql://alice:***@db:5432/app?namespace=x")
                .doesNotContain("s3cret");
        assertThat(StoreUri.parse("postgresql://db/app?user=a&password=s3cret&namespace=x").toString())
                .doesNotContain("s3cret").contains("password=***");
        assertThat(StoreUri.parse("postgresql://alice:s3cret@db/app").unredacted()).contains("s3cret");
        assertThat(StoreUri.parse("postgresql://h1,h2/app?sslpassword=keysecret&namespace=x").toString())
                .as("the TLS key's password, an option of issue 19").doesNotContain("keysecret").contains("sslpassword=***");
    }
}
