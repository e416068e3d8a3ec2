package dev.waterfall.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Rust client's test driver ({@code clients/rust/examples/crossproc.rs}), built by
 * {@code scripts/test-all} (cargo) before the Java suite runs.
 */
final class RustClient {

    private RustClient() {
    }

    static Path binary() {
        return Processes.repository().resolve("clients/rust/target/debug/examples/crossproc");
    }

    /** Whether the driver is built. */
    static boolean available() {
        return Files.isExecutable(binary());
    }

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary().toString()));
        command.addAll(List.of(args));
        return command;
    }
}
