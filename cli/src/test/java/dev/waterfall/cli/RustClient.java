package dev.waterfall.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Rust client's test drivers ({@code clients/rust/examples/crossproc.rs} and {@code parity.rs}),
 * built by {@code scripts/test-all} ({@code cargo build --examples}) before the Java suite runs. A
 * missing binary fails the test that needs it, with the command that builds it: never a skip.
 */
final class RustClient {

    private RustClient() {
    }

    /** The example binary {@code name}, which must be built. */
    static Path example(String name) {
        Path binary = Processes.repository().resolve("clients/rust/target/debug/examples/" + name);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(binary + " is missing: build the Rust client's examples first "
                    + "(cd clients/rust && cargo build --offline --examples; scripts/test-all does)");
        }
        return binary;
    }

    static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(example("crossproc").toString()));
        command.addAll(List.of(args));
        return command;
    }
}
