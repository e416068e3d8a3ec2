package dev.waterfall.cli;

import dev.waterfall.config.TableValue;
import dev.waterfall.config.Value;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code waterfall} in this JVM against a world of the test's own: a home folder, an
 * environment map and the real clock. Each run builds its command line exactly as {@code main}
 * does, so what is tested is what ships.
 */
final class Cli {

    private final Path home;
    private final Map<String, String> environment = new HashMap<>();
    private String argumentCharset = "UTF-8";

    Cli(Path home) {
        this.home = home;
    }

    /** This CLI with one more environment variable. */
    Cli env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    Cli unsetEnv(String name) {
        environment.remove(name);
        return this;
    }

    /** This CLI as if the JVM had decoded its arguments with {@code charset}. */
    Cli argumentCharset(String charset) {
        this.argumentCharset = charset;
        return this;
    }

    World world() {
        return new World(environment, home, "Linux", Clock.systemUTC(), argumentCharset);
    }

    /** The default store of app {@code waterfall} in this world. */
    Path defaultStore() {
        return home.resolve(".config").resolve("waterfall").resolve("config.json");
    }

    /** Runs {@code args} as {@code main} would (a plain {@code get} without picocli, see {@link QuickGet}). */
    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = WaterfallCli.run(world(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs {@code args} through picocli's command line even where {@code main} would not. */
    Result runWithPicocli(String... args) {
        return run(WaterfallCli.commandLine(world(), args), args);
    }

    /** Runs {@code args} on the command line with every subcommand built. */
    Result runWithAllCommands(String... args) {
        return run(WaterfallCli.commandLine(world()), args);
    }

    private static Result run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The member at a dotted path of names; a number segment indexes an array. */
    static Value at(Value value, String path) {
        Value current = value;
        for (String name : path.split("\\.")) {
            if (current instanceof dev.waterfall.config.ArrayValue array) {
                current = array.items().get(Integer.parseInt(name));
            } else {
                current = ((TableValue) current).members().get(name);
            }
            if (current == null) {
                throw new AssertionError("no " + path + " in " + value.toJson());
            }
        }
        return current;
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {

        /** Stdout parsed as JSON. */
        Value json() {
            return Value.parseJson(out);
        }

        /** Stdout parsed as one JSON object. */
        TableValue object() {
            return (TableValue) json();
        }

        /** The value at a dotted path of member names in stdout's JSON object, e.g. {@code origin.layer}. */
        Value at(String path) {
            return Cli.at(json(), path);
        }

        /** The text of the string at {@code path}. */
        String text(String path) {
            return ((dev.waterfall.config.StringValue) at(path)).value();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
