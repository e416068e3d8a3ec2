package dev.waterfall.export;

import dev.waterfall.config.ArrayValue;
import dev.waterfall.config.Change;
import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.Key;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.contract.DocExamples;
import dev.waterfall.export.internal.CsvParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV dump read by the clients people use: Python's csv module, sqlite3's .import --csv and
 * psql's \copy ... csv header, each run as a real program. Each must see exactly the cells the
 * dump holds, and the values must read back as JSON once the formula guard is removed.
 */
class CsvClientsTest {

    @TempDir
    Path dir;

    private ExportWorld world;
    private Path dump;
    private List<List<String>> cells;
    private List<Entry> entries;

    @BeforeEach
    void export() throws IOException {
        world = new ExportWorld(dir);
        ConfigStore store = world.store("json:" + dir.resolve("store/config.json"));
        List<Change> batch = new ArrayList<>();
        MigrationTest.stressValues().forEach((key, value) -> batch.add(Change.set(Key.of(key), value)));
        batch.add(Change.set(Key.of("csv.comma"), Value.of("a,b")));
        batch.add(Change.set(Key.of("csv.quote"), Value.of("say \"hi\"")));
        batch.add(Change.set(Key.of("csv.at"), Value.of("@SUM(1)")));
        batch.add(Change.set(Key.of("csv.negative-array"), ArrayValue.of(Value.of(-1))));
        store.apply(batch);
        dump = world.exporter().export(store, ExportRequest.to(dir.resolve("out"), DumpFormat.CSV)).dump();
        cells = new ArrayList<>();
        CsvParser parser = new CsvParser(new StringReader(Files.readString(dump, StandardCharsets.US_ASCII)));
        for (List<String> record = parser.next(); record != null; record = parser.next()) {
            cells.add(record);
        }
        entries = new ArrayList<>();
        try (DumpReader reader = DumpReader.open(dump)) {
            reader.forEachRemaining(entries::add);
        }
        assertThat(cells).hasSize(entries.size() + 1);
        assertThat(cells.stream().flatMap(List::stream)).as("the sample has cells that need the guard, quoting, and both")
                .anyMatch(cell -> cell.startsWith("'-")).anyMatch(cell -> cell.contains(",") && cell.contains("\""));
    }

    @AfterEach
    void close() {
        world.close();
    }

    @Test
    void pythonCsvModule_readsTheSameCells_andTheValuesAsJson() throws Exception {
        String script = String.join("\n",
                "import csv, json, sys",
                "GUARDED = ('=', '+', '-', '@', '\\t', '\\r')",
                "def unguard(cell):",
                "    return cell[1:] if cell[:1] == \"'\" and cell[1:2] in GUARDED and cell[1:2] != '' else cell",
                "with open(sys.argv[1], newline='', encoding='ascii') as f:",
                "    rows = list(csv.reader(f))",
                "for row in rows[1:]:",
                "    json.loads(unguard(row[1]))",
                "    json.loads(row[5])",
                "print(json.dumps(rows))");

        String output = run(List.of("python3", "-c", script, dump.toString()));

        assertThat(asCells(output)).isEqualTo(cells);
    }

    @Test
    void readmePythonReader_givesBackEveryKeyAndValue() throws Exception {
        Path expected = dir.resolve("expected.ndjson");
        StringBuilder lines = new StringBuilder();
        for (Entry entry : entries) {
            lines.append("[");
            dev.waterfall.config.engine.JsonValues.appendString(entry.key().path(), true, lines);
            lines.append(",").append(dev.waterfall.config.engine.JsonValues.write(entry.value(), true)).append("]\n");
        }
        Files.writeString(expected, lines.toString());
        String script = DocExamples.code("python-unguard") + "\n" + String.join("\n",
                "import sys",
                "rows = list(read_dump(sys.argv[1]))",
                "wanted = [json.loads(line) for line in open(sys.argv[2], encoding='ascii')]",
                "assert [[r['key'], r['value']] for r in rows] == wanted, (rows, wanted)",
                "assert all(r['updated_by'].startswith('{') for r in rows)",
                "print(len(rows))");

        String output = run(List.of("python3", "-c", script, dump.toString(), expected.toString()));

        assertThat(output.strip()).isEqualTo(Integer.toString(entries.size()));
    }

    @Test
    void sqlite3Import_readsTheSameCells() throws Exception {
        Path database = dir.resolve("import.db");

        String output = run(List.of("sqlite3", database.toString(), ".import --csv " + dump + " dump",
                "select json_group_array(json_array(key, value, type, revision, updated_at, updated_by)) from (select * from dump order by rowid)"));

        assertThat(asCells(output.strip())).isEqualTo(cells.subList(1, cells.size()));
    }

    @Test
    void psqlCopy_readsTheSameCells_intoTypedColumns() throws Exception {
        String url = System.getenv().getOrDefault("WATERFALL_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test");
        String unguarded = "case when value ~ '^''[-=+@\t\r]' then substr(value, 2) else value end";

        String output = run(List.of("psql", url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                "-c", "create temp table dump (key text primary key, value text not null, type text not null, revision bigint not null,"
                        + " updated_at timestamptz not null, updated_by jsonb not null)",
                "-c", "\\copy dump from '" + dump + "' csv header",
                "-c", "select json_agg(json_build_array(key, value, type, revision::text,"
                        + " to_char(updated_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
                        + " json_typeof((" + unguarded + ")::json), updated_by->>'surface') order by key collate \"C\") from dump"));

        List<List<String>> rows = asCells(output.strip());
        assertThat(rows).hasSize(entries.size());
        for (int i = 0; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            Entry entry = entries.get(i);
            assertThat(row.subList(0, 4)).as("text cells").isEqualTo(cells.get(i + 1).subList(0, 4));
            assertThat(row.get(4)).as("updated_at").isEqualTo(entry.updatedAt().toString());
            assertThat(row.get(5)).as("the value of %s as json (jsonb refuses \\u0000)", entry.key()).isEqualTo(switch (entry.value().type()) {
                case TABLE -> "object";
                case OFFSET_DATE_TIME, LOCAL_DATE_TIME, LOCAL_DATE, LOCAL_TIME -> "string";
                default -> entry.value().type().label();
            });
            assertThat(row.get(6)).isEqualTo("test");
        }
    }

    private static List<List<String>> asCells(String json) {
        List<List<String>> rows = new ArrayList<>();
        for (Value row : ((ArrayValue) Value.parseJson(json)).items()) {
            List<String> record = new ArrayList<>();
            for (Value cell : ((ArrayValue) row).items()) {
                record.add(cell instanceof StringValue text ? text.value() : cell.toJson());
            }
            rows.add(record);
        }
        return rows;
    }

    private String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(command.get(0) + " output:\n" + output).isZero();
        return output;
    }
}
