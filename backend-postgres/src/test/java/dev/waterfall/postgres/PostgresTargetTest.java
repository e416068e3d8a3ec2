package dev.waterfall.postgres;

import dev.waterfall.config.Actor;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.spi.Services;
import dev.waterfall.config.spi.StoreContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a postgresql: URI and the environment name a server, credentials and namespace. */
class PostgresTargetTest {

    @TempDir
    Path home;

    private StoreContext context(Map<String, String> environment) {
        return new StoreContext("pipeline", new Actor("test", "alice", "box", 7), Clock.systemUTC(), environment, home, new Services());
    }

    private PostgresTarget parse(String uri, Map<String, String> environment) {
        return PostgresTarget.parse(StoreUri.parse(uri), context(environment));
    }

    @Test
    void parse_fullUri_takesEveryPart() {
        PostgresTarget target = parse("postgresql://bob:p%40ss%3Aword+x@db.example:6543/config?namespace=team%20a&sslmode=require&connect_timeout=9", Map.of());

        assertThat(target.host()).isEqualTo("db.example");
        assertThat(target.port()).isEqualTo(6543);
        assertThat(target.database()).isEqualTo("config");
        assertThat(target.user()).isEqualTo("bob");
        assertThat(target.password().reveal()).contains("p@ss:word+x");
        assertThat(target.namespace()).isEqualTo("team a");
        assertThat(target.sslMode()).contains("require");
        assertThat(target.connectTimeoutSeconds()).isEqualTo(9);
        assertThat(target.location()).isEqualTo("postgresql://bob@db.example:6543/config?namespace=team%20a");
        assertThat(target.toString()).doesNotContain("p@ss").doesNotContain("p%40ss");
    }

    @Test
    void parse_minimalUri_usesLibpqDefaultsAndTheApplicationsNamespace() {
        PostgresTarget target = parse("postgresql://", Map.of());

        assertThat(target.host()).isEqualTo("localhost");
        assertThat(target.port()).isEqualTo(5432);
        assertThat(target.user()).isEqualTo("alice");
        assertThat(target.database()).isEqualTo("alice");
        assertThat(target.namespace()).isEqualTo("pipeline");
        assertThat(target.password().reveal()).isEmpty();
        assertThat(parse("postgres://[::1]:5433/db", Map.of("PGUSER", "carol")).location())
                .isEqualTo("postgresql://carol@[::1]:5433/db?namespace=pipeline");
    }

    @Test
    void password_fromTheUriThenPgpasswordThenThePasswordFile() throws Exception {
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "db:5432:*:bob:from\\:file\n*:*:*:*:fallback\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        assertThat(parse("postgresql://bob:inuri@db/x", Map.of("PGPASSWORD", "env")).password().reveal()).contains("inuri");
        assertThat(parse("postgresql://bob@db/x", Map.of("PGPASSWORD", "env")).password().reveal()).contains("env");
        assertThat(parse("postgresql://bob@db/x", Map.of()).password().reveal()).contains("from:file");
        assertThat(parse("postgresql://eve@elsewhere/x", Map.of()).password().reveal()).contains("fallback");
    }

    @Test
    void passwordFile_readableByOthers_isIgnored_andPgpassfileMovesIt() throws Exception {
        Path loose = home.resolve(".pgpass");
        Files.writeString(loose, "*:*:*:*:loose\n");
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rw-r--r--"));
        Path moved = home.resolve("elsewhere.pgpass");
        Files.writeString(moved, "*:*:*:*:moved\n");
        Files.setPosixFilePermissions(moved, PosixFilePermissions.fromString("rw-------"));

        assertThat(parse("postgresql://bob@db/x", Map.of()).password().reveal()).isEqualTo(Optional.empty());
        assertThat(parse("postgresql://bob@db/x", Map.of("PGPASSFILE", moved.toString())).password().reveal()).contains("moved");
    }

    @Test
    void parse_badUris_areRefusedWithoutShowingThePassword() {
        assertThatThrownBy(() -> parse("postgresql://u:topsecret@h/db?colour=blue", Map.of()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("unknown option \"colour\"")
                .hasMessageContaining("namespace, sslmode, connect_timeout, password")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> parse("postgresql://h:99999/db", Map.of())).hasMessageContaining("port");
        assertThatThrownBy(() -> parse("postgresql:h/db", Map.of())).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> parse("postgresql://h/db?namespace=", Map.of())).hasMessageContaining("namespace");
        assertThatThrownBy(() -> parse("postgresql://h/db?namespace=a%00b", Map.of())).hasMessageContaining("control characters");
    }
}
