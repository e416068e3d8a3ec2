package dev.waterfall.postgres;

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
 * A PostgreSQL server of the test's own, made with {@code initdb} and run with {@code pg_ctl} in a
 * temporary folder on a free port, with password authentication: a server the test may stop and
 * start without disturbing anyone else's tests on the shared one. Needs the server binaries
 * ({@code scripts/ensure-postgres} installs them); as root, runs them as the {@code postgres} user,
 * since PostgreSQL refuses to run as root.
 */
final class TemporaryCluster implements AutoCloseable {

    static final String USER = "waterfall";

    private final Path folder;
    private final Path data;
    private final Path bin;
    private final int port;
    private final String password;
    private final boolean asPostgres;

    private TemporaryCluster(Path folder, Path bin, int port, String password, boolean asPostgres) {
        this.folder = folder;
        this.data = folder.resolve("data");
        this.bin = bin;
        this.port = port;
        this.password = password;
        this.asPostgres = asPostgres;
    }

    /** Makes and starts a cluster whose superuser {@link #USER} has {@code password}. */
    static TemporaryCluster start(String password) throws IOException, InterruptedException {
        Path bin = serverBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory("waterfall-pg-");
        if (root) {
            UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TemporaryCluster cluster = new TemporaryCluster(folder, bin, port, password, root);
        cluster.initialize();
        cluster.startServer();
        return cluster;
    }

    /** Where initdb and pg_ctl are: {@code WATERFALL_TEST_PG_BIN}, the newest Debian install, or the PATH. */
    private static Path serverBinaries() {
        String configured = System.getenv("WATERFALL_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin").resolve("initdb")))
                        .max(Comparator.comparingInt(v -> parseVersion(v.getFileName().toString()))).orElse(null);
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
        throw new AssertionError("the PostgreSQL server binaries (initdb, pg_ctl) are not installed;"
                + " run scripts/ensure-postgres, or set WATERFALL_TEST_PG_BIN to their folder");
    }

    private static int parseVersion(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void initialize() throws IOException, InterruptedException {
        Path passwordFile = folder.resolve("password");
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        if (asPostgres) {
            UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(passwordFile, postgres);
        }
        run(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=scram-sha-256",
                "--pwfile=" + passwordFile, "--no-sync", "-E", "UTF8", "--locale=C");
    }

    /** Starts the server and waits until it accepts connections. */
    void startServer() throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve("server.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
    }

    /** Stops the server the way an administrator restarts one: active connections are terminated. */
    void stopServer() throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-m", "fast", "stop");
    }

    int port() {
        return port;
    }

    String password() {
        return password;
    }

    /** The store URI of {@code namespace} in database {@code postgres}, without a password. */
    String uri(String namespace) {
        return "postgresql://" + USER + "@127.0.0.1:" + port + "/postgres?namespace=" + namespace;
    }

    private void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", full) + " failed:\n" + output);
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
