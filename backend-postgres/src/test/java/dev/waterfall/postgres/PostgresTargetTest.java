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
                .hasMessageContaining("namespace, history, failover_timeout, password, host, port")
                .hasMessageContaining("target_session_attrs")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> parse("postgresql://h:99999/db", Map.of())).hasMessageContaining("port");
        assertThatThrownBy(() -> parse("postgresql:h/db", Map.of())).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> parse("postgresql://h/db?namespace=", Map.of())).hasMessageContaining("namespace");
        assertThatThrownBy(() -> parse("postgresql://h/db?namespace=a%00b", Map.of())).hasMessageContaining("control characters");
    }

    // ------------------------------------------------------------ several servers (issue 19)

    @Test
    void hostList_withPortsAndLibpqOptions_isEveryServerInOrder_mappedToTheDriversProperties() {
        PostgresTarget target = parse("postgresql://postgres@127.0.0.1:5432,127.0.0.1:5433,[::1]/test"
                + "?target_session_attrs=read-write&connect_timeout=3&sslmode=verify-full&sslrootcert=/etc/ca.pem"
                + "&load_balance_hosts=random&application_name=ops&socket_timeout=20&keepalives=1", Map.of());

        assertThat(target.servers()).containsExactly(new PostgresTarget.Server("127.0.0.1", 5432),
                new PostgresTarget.Server("127.0.0.1", 5433), new PostgresTarget.Server("::1", 5432));
        assertThat(target.location()).isEqualTo("postgresql://postgres@127.0.0.1:5432,127.0.0.1:5433,[::1]:5432/test?namespace=pipeline");
        assertThat(target.connectTimeoutSeconds()).isEqualTo(3);
        assertThat(target.sslMode()).contains("verify-full");
        assertThat(target.driverProperties()).containsExactlyInAnyOrderEntriesOf(Map.of("targetServerType", "primary",
                "sslrootcert", "/etc/ca.pem", "loadBalanceHosts", "true", "ApplicationName", "ops", "socketTimeout", "20",
                "tcpKeepAlive", "true"));
        assertThat(target.failoverTimeoutSeconds()).as("several servers: a write waits out a failover").isEqualTo(30);
        assertThat(parse("postgresql://h/db", Map.of()).failoverTimeoutSeconds()).as("one server: no waiting").isZero();
        assertThat(parse("postgresql://h1,h2/db?failover_timeout=7", Map.of()).failoverTimeoutSeconds()).isEqualTo(7);
    }

    @Test
    void sessionAttrs_inLibpqAndPgjdbcSpelling_mapToTargetServerType() {
        Map<String, String> expected = Map.of("any", "any", "read-write", "primary", "primary", "primary", "read-only", "secondary",
                "standby", "secondary", "prefer-standby", "preferSecondary", "preferSecondary", "preferSecondary");
        expected.forEach((given, mapped) -> {
            assertThat(parse("postgresql://h1,h2/db?target_session_attrs=" + given, Map.of()).driverProperties())
                    .containsEntry("targetServerType", mapped);
            assertThat(parse("postgresql://h1,h2/db?targetServerType=" + given, Map.of()).driverProperties())
                    .containsEntry("targetServerType", mapped);
        });
        assertThat(parse("postgresql://h1,h2/db", Map.of("PGTARGETSESSIONATTRS", "read-write")).driverProperties())
                .containsEntry("targetServerType", "primary");
        assertThatThrownBy(() -> parse("postgresql://h1,h2/db?target_session_attrs=writable", Map.of()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("target_session_attrs must be one of any, read-write, read-only")
                .hasMessageContaining("\"writable\"");
        assertThatThrownBy(() -> parse("postgresql://h/db?sslmode=sometimes", Map.of()))
                .hasMessageContaining("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
    }

    @Test
    void noHostInTheUri_takesPghostAndPgportLists_asLibpqDoes() {
        PostgresTarget target = parse("postgresql:///db", Map.of("PGHOST", "a.example,b.example", "PGPORT", "5432,6432",
                "PGDATABASE", "ignored", "PGSSLMODE", "require", "PGCONNECT_TIMEOUT", "4"));
        assertThat(target.server()).isEqualTo("a.example:5432,b.example:6432");
        assertThat(target.database()).isEqualTo("db");
        assertThat(target.sslMode()).contains("require");
        assertThat(target.connectTimeoutSeconds()).isEqualTo(4);

        PostgresTarget fromEnvironment = parse("postgresql://", Map.of("PGHOST", "a,b", "PGPORT", "6000", "PGDATABASE", "cfg"));
        assertThat(fromEnvironment.server()).as("one port for every host").isEqualTo("a:6000,b:6000");
        assertThat(fromEnvironment.database()).isEqualTo("cfg");
        assertThat(parse("postgresql://?host=x,y&port=1,2&dbname=d&user=u", Map.of()).location())
                .isEqualTo("postgresql://u@x:1,y:2/d?namespace=pipeline");
        assertThatThrownBy(() -> parse("postgresql://", Map.of("PGHOST", "a,b,c", "PGPORT", "1,2")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("3 hosts but 2 ports");
        assertThatThrownBy(() -> parse("postgresql://", Map.of("PGHOST", "/var/run/postgresql")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("Unix-domain socket");
        assertThatThrownBy(() -> parse("postgresql://::1:5432/db", Map.of()))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("[::1]:5432");
    }

    @Test
    void passwordFile_isLookedUpForEveryHost_andDisagreeingLinesAreRefusedNamingHostsNotPasswords() throws Exception {
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "standby:5433:*:bob:pw-one\n*:5432:*:bob:pw-one\nother:5434:*:bob:different-secret\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));

        assertThat(parse("postgresql://bob@unlisted:7000,standby:5433/x", Map.of()).password().reveal())
                .as("the second host's line serves when the first has none").contains("pw-one");
        assertThat(parse("postgresql://bob@primary:5432,standby:5433/x", Map.of()).password().reveal()).contains("pw-one");
        assertThatThrownBy(() -> parse("postgresql://bob@primary:5432,other:5434/x", Map.of()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("primary:5432").hasMessageContaining("other:5434")
                .hasMessageNotContaining("different-secret").hasMessageNotContaining("pw-one");
    }

    @Test
    void secrets_inOptions_neverShow() {
        assertThatThrownBy(() -> parse("postgresql://u@h1,h2/db?sslpassword=keysecret&password=pwsecret&bogus=1", Map.of()))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("unknown option \"bogus\"")
                .hasMessageNotContaining("keysecret").hasMessageNotContaining("pwsecret");
        PostgresTarget target = parse("postgresql://u@h1,h2/db?sslpassword=keysecret", Map.of());
        assertThat(target.sslPassword().reveal()).contains("keysecret");
        assertThat(target.toString() + target.driverProperties()).doesNotContain("keysecret");
    }
}
