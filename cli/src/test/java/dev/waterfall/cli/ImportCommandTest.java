package dev.waterfall.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ImportCommandTest {

    @TempDir
    Path home;

    Cli cli;
    Path dump;
    String target;

    @BeforeEach
    void setUp() {
        cli = new Cli(home).env("USER", "alice").env("HOSTNAME", "box");
        cli.run("set", "server.port", "8080");
        cli.run("set", "server.hosts", "[\"a\", \"b\"]");
        cli.run("set", "note", "--", "-minus, comma");
        dump = Path.of(cli.run("export", "--dir", home.resolve("exports").toString()).out().strip());
        target = "json:" + home.resolve("copy/config.json");
    }

    @Test
    void import_intoANewStore_printsThePlanAndTheCheck_andExportsTheSameBytes() throws Exception {
        Cli.Result result = cli.run("--store", target, "import", dump.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        assertThat(result.out()).isEqualTo(""
                + "source: " + dump + " (revision 3, 3 entries)\n"
                + "target: " + target + " (new, never written)\n"
                + "plan: copy 3 entries with their revisions, times and authors; the target's revision becomes 3\n"
                + "dump: checked against its meta file (3 rows, sha256 " + Files.readString(dump.resolveSibling(
                        dump.getFileName().toString().replace(".csv", "_meta.json"))).replaceAll("(?s).*\"sha256\": \"(.{12}).*", "$1") + "...)\n"
                + "imported: the target is at revision 3\n"
                + "verified: source and target hold the same 3 entries (keys, values, types, revisions, times (to the microsecond) and authors)\n");
        Path again = Path.of(cli.run("--store", target, "export", "--dir", home.resolve("again").toString()).out().strip());
        assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(dump));
    }

    @Test
    void import_intoAStoreWithOtherEntries_needsMergeOrReplace() {
        cli.run("--store", target, "set", "mine", "1");

        Cli.Result refused = cli.run("--store", target, "import", dump.toString());
        Cli.Result merged = cli.run("--store", target, "import", dump.toString(), "--merge");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).startsWith("waterfall: the target " + target + " already holds 1 entry (0 with a value other than the source's, 1 not in the source)").contains("--merge", "--replace");
        assertThat(merged.exitCode()).as(merged.toString()).isZero();
        assertThat(merged.out()).contains("plan: one atomic write (merge): add 3, change 0, leave 0 equal, keep 1 only in the target")
                .contains("verified: ");
        assertThat(cli.run("--store", target, "list").out()).contains("mine = 1", "server.port = 8080");
    }

    @Test
    void import_dryRun_writesNothing() {
        Cli.Result result = cli.run("--store", target, "import", dump.toString(), "--dry-run");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("plan: copy 3 entries").endsWith("dry run: nothing was written\n");
        assertThat(home.resolve("copy")).doesNotExist();
    }

    @Test
    void import_damagedDump_isRefusedBeforeAnythingIsWritten() throws Exception {
        Files.writeString(dump, Files.readString(dump).replace("8080", "8081"));

        Cli.Result result = cli.run("--store", target, "import", dump.toString());

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.err()).contains("does not match its meta file").endsWith("nothing was imported\n");
        assertThat(home.resolve("copy")).doesNotExist();
    }

    @Test
    void import_json_reportsThePlanAndVerification() {
        Cli.Result result = cli.run("--json", "--store", target, "import", dump.toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.text("method")).isEqualTo("copy-with-metadata");
        assertThat(result.at("verification.identical").toJson()).isEqualTo("true");
        assertThat(result.at("revision").toJson()).isEqualTo("3");
    }
}
