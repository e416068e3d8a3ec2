package dev.waterfall.export;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, made with {@code initdb} in a temporary folder and run
 * with {@code pg_ctl} on a free port of 127.0.0.1, so a test can stop and start it without
 * touching the shared server other tests use. As root it runs as the {@code postgres} user
 * (PostgreSQL refuses root). Trust authentication: it listens on loopback only and lives for one
 * test. The server binaries come from {@code WATERFALL_TEST_PG_BIN}, the newest Debian install or
 * the PATH ({@code scripts/ensure-postgres} installs them).
 */
final class PrivatePostgres implements AutoCloseable {

    static final String USER = "waterfall";

    private final Path folder;
    private final Path bin;
    private final int port;
    private final boolean asPostgres;

    private PrivatePostgres(Path folder, Path bin, int port, boolean asPostgres) {
        this.folder = folder;
        this.bin = bin;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    static PrivatePostgres start() throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory("waterfall-export-pg-");
        if (root) {
            UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PrivatePostgres server = new PrivatePostgres(folder, binaries(), port, root);
        server.run("initdb", "-D", server.data(), "-U", USER, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C");
        server.startServer();
        return server;
    }

    private static Path binaries() {
        String configured = System.getenv("WATERFALL_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")) && v.getFileName().toString().matches("\\d+"))
                        .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            } catch (IOException e) {
                // fall back to the PATH
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "initdb"))) {
                return Path.of(entry);
            }
        }
        throw new AssertionError("the PostgreSQL server binaries (initdb, pg_ctl) are not installed; run scripts/ensure-postgres, "
                + "or set WATERFALL_TEST_PG_BIN to their folder");
    }

    private String data() {
        return folder.resolve("data").toString();
    }

    /** Starts the server and waits until it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data(), "-l", folder.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server as an administrator's restart does: connections are cut. */
    void stopServer() throws IOException, InterruptedException {
        run("pg_ctl", "-D", data(), "-w", "-t", "60", "-m", "fast", "stop");
    }

    /** The store URI of {@code namespace}, failing fast while the server is down. */
    String uri(String namespace) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/postgres?namespace=" + namespace + "&connect_timeout=2";
    }

    private void run(String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (asPostgres) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopServer();
        } catch (AssertionError e) {
            // already stopped
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
