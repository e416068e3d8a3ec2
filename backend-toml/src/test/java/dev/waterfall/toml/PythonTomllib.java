package dev.waterfall.toml;

import dev.waterfall.config.StringValue;
import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Python 3.11's {@code tomllib}, an independent TOML 1.0 reader, run as a real process: it reads
 * files and gives their values back in toml-test's tagged JSON, so tests can check that the files
 * the TOML store writes mean the same to another implementation.
 */
final class PythonTomllib {

    private static final String SCRIPT = String.join("\n",
            "import datetime, json, math, sys, tomllib",
            "def tag(v):",
            "    if isinstance(v, bool): return {'type': 'bool', 'value': 'true' if v else 'false'}",
            "    if isinstance(v, int): return {'type': 'integer', 'value': str(v)}",
            "    if isinstance(v, float):",
            "        s = 'nan' if math.isnan(v) else ('inf' if v > 0 else '-inf') if math.isinf(v) else repr(v)",
            "        return {'type': 'float', 'value': s}",
            "    if isinstance(v, str): return {'type': 'string', 'value': v}",
            "    if isinstance(v, datetime.datetime):",
            "        return {'type': 'datetime' if v.tzinfo is not None else 'datetime-local', 'value': v.isoformat()}",
            "    if isinstance(v, datetime.date): return {'type': 'date-local', 'value': v.isoformat()}",
            "    if isinstance(v, datetime.time): return {'type': 'time-local', 'value': v.isoformat()}",
            "    if isinstance(v, list): return [tag(x) for x in v]",
            "    return {k: tag(x) for k, x in v.items()}",
            "for path in sys.stdin.read().splitlines():",
            "    try:",
            "        with open(path, 'rb') as f:",
            "            print(json.dumps({'file': path, 'value': tag(tomllib.load(f))}))",
            "    except Exception as e:",
            "        print(json.dumps({'file': path, 'error': type(e).__name__ + ': ' + str(e)}))",
            "");

    /** What Python read from one file: its leaves, or its error. */
    record Reading(Map<List<String>, Value> leaves, String error) {
    }

    private PythonTomllib() {
    }

    /** Reads every file with one Python process. */
    static Map<Path, Reading> read(List<Path> files) throws IOException, InterruptedException {
        Process python = new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(true).start();
        try (OutputStream in = python.getOutputStream()) {
            for (Path file : files) {
                in.write((file.toAbsolutePath() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(2, TimeUnit.MINUTES) || python.exitValue() != 0) {
            throw new IllegalStateException("python3 with tomllib failed:\n" + output);
        }
        Map<Path, Reading> readings = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            TableValue record = (TableValue) Value.parseJson(line);
            Path file = Path.of(((StringValue) record.members().get("file")).value());
            Value error = record.members().get("error");
            readings.put(file, error != null
                    ? new Reading(null, ((StringValue) error).value())
                    : new Reading(TaggedJson.leaves(record.members().get("value")), null));
        }
        return readings;
    }

    /** Reads one file. */
    static Reading read(Path file) throws IOException, InterruptedException {
        Reading reading = read(List.of(file)).get(file.toAbsolutePath());
        if (reading == null) {
            throw new IllegalStateException("python3 said nothing about " + file);
        }
        return reading;
    }
}
