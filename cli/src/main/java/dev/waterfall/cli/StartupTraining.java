package dev.waterfall.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run for the installed tool's start-up archive: several {@code waterfall} commands in
 * one JVM, as {@link WaterfallCli#main} would run each of them, separated by {@code --next}:
 *
 * <pre>java -XX:AOTCacheOutput=waterfall.aot -cp waterfall.jar dev.waterfall.cli.StartupTraining \
 *     --store json:/tmp/t.json set a 1 --next --store json:/tmp/t.json get a</pre>
 *
 * <p>The JDK records what one process loads, links and profiles into an AOT cache (JDK 25,
 * {@code -XX:AOTCacheOutput}) or a dynamic CDS archive ({@code -XX:ArchiveClassesAtExit}); a tool
 * made of short commands needs one process that runs the common ones, and the archive must be made
 * with the same class path as the tool runs with, so the trainer lives in the tool's own jar
 * (distribution/src/main/dist/assemble runs it). Every command's exit code is printed on stderr;
 * the run fails (exit 1) if any command does, so a broken training never makes a silent, useless archive.
 */
final class StartupTraining {

    private StartupTraining() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int failed = 0;
        for (List<String> command : commands(args)) {
            int status = WaterfallCli.run(World.current(), out, err, command.toArray(String[]::new));
            err.println("training: waterfall " + String.join(" ", command) + " -> exit " + status);
            if (status != 0) {
                failed++;
            }
        }
        out.flush();
        err.flush();
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The argument lists between the {@code --next} separators. */
    static List<List<String>> commands(String... args) {
        List<List<String>> commands = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= args.length; i++) {
            if (i == args.length || args[i].equals("--next")) {
                commands.add(List.copyOf(Arrays.asList(args).subList(start, i)));
                start = i + 1;
            }
        }
        return commands;
    }
}
