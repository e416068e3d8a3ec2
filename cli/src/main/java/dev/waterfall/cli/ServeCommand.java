package dev.waterfall.cli;

import dev.waterfall.config.Waterfall;
import dev.waterfall.console.Console;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code waterfall serve [--port N] [--read-only] [--open]}: the settings console (docs/console.md)
 * on 127.0.0.1, until stopped. The first line of stdout is the address with its fresh token. The
 * console's classes load only here, never on the path of another command.
 */
@Command(name = "serve",
        description = {
            "Serves the settings console, a live page of every key with its layers, origins and history, on 127.0.0.1 "
                    + "only, until stopped (Ctrl-C or SIGTERM). The first line of stdout is the address to open, with a fresh "
                    + "random token: whoever has it can use the console. Edits are compare-and-set; values of keys that look "
                    + "like secrets never leave the server. See docs/console.md.",
        })
final class ServeCommand extends WaterfallCommand {

    @Option(names = "--port", paramLabel = "N", description = "The port on 127.0.0.1. Default: 0, a free port.")
    int port;

    @Option(names = "--read-only", description = "Refuse every write: the console only shows.")
    boolean readOnly;

    @Option(names = "--open", description = "Open the address in the desktop's browser (xdg-open, or open on macOS).")
    boolean open;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port " + port
                    + " is not a TCP port: give 1 to 65535, or 0 for a free one");
        }
        Waterfall waterfall = root().open(secretPolicy(), "console");
        Console console;
        try {
            console = Console.builder(waterfall).port(port).readOnly(readOnly).start();
        } catch (java.io.UncheckedIOException e) {
            waterfall.close();
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            waterfall.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            console.close();
            waterfall.close();
            stopped.countDown();
        }, "waterfall-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        out().println(console.uri());
        out().flush();
        note("serving " + waterfall.store().location() + (readOnly ? " read-only" : "") + " on 127.0.0.1:" + console.port()
                + "; Ctrl-C stops");
        if (open) {
            browse(console.uri().toString());
        }
        stopped.await(); // the shutdown hook (Ctrl-C, SIGTERM) ends the wait and the JVM
        return ExitCodes.OK;
    }

    private void browse(String address) {
        String opener = root().world().osName().toLowerCase(java.util.Locale.ROOT).contains("mac") ? "open" : "xdg-open";
        try {
            new ProcessBuilder(List.of(opener, address)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            warn("could not start " + opener + " to open the console (" + e.getMessage() + "); open the address above by hand");
        }
    }
}
