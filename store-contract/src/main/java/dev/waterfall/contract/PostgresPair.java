package dev.waterfall.contract;

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
 * A PostgreSQL primary and a synchronous standby of a test's own, made with PostgreSQL's tools
 * ({@code initdb}, {@code pg_basebackup -R}, {@code pg_ctl}) in a temporary folder on two free ports
 * of 127.0.0.1, with trust authentication for the user {@link #USER}: what the failover trials of
 * {@code docs/reliability.md} kill and promote. The primary has
 * {@code synchronous_standby_names = 'standby1'} and {@code synchronous_commit = on}, so a commit is
 * acknowledged only once the standby has it. Never touches the system's server on 5432. Needs the
 * server binaries ({@code scripts/ensure-postgres}); as root, runs them as the {@code postgres} user.
 */
public final class PostgresPair implements AutoCloseable {

    public static final String USER = "waterfall";

    private final Path folder;
    private final Path bin;
    private final boolean asPostgres;
    private final int primaryPort;
    private final int standbyPort;

    private PostgresPair(Path folder, Path bin, boolean asPostgres, int primaryPort, int standbyPort) {
        this.folder = folder;
        this.bin = bin;
        this.asPostgres = asPostgres;
        this.primaryPort = primaryPort;
        this.standbyPort = standbyPort;
    }

    /** Makes and starts the pair, and returns once the standby streams synchronously. */
    public static PostgresPair start() throws IOException, InterruptedException {
        Path bin = serverBinaries();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path folder = Files.createTempDirectory("waterfall-pg-pair-");
        if (root) {
            UserPrincipal postgres = folder.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
            Files.setOwner(folder, postgres);
        }
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
        PostgresPair pair = new PostgresPair(folder, bin, root, freePort(), freePort());
        pair.create();
        return pair;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Where initdb and pg_ctl are: {@code WATERFALL_TEST_PG_BIN}, else the newest of /usr/lib/postgresql. */
    private static Path serverBinaries() throws IOException {
        String configured = System.getenv("WATERFALL_TEST_PG_BIN");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_basebackup")))
                        .max(Comparator.comparingInt(v -> version(v.getFileName().toString()))).orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        throw new AssertionError("the PostgreSQL server binaries (initdb, pg_basebackup, pg_ctl) are not installed;"
                + " run scripts/ensure-postgres, or set WATERFALL_TEST_PG_BIN to their folder");
    }

    private static int version(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Path primaryData() {
        return folder.resolve("primary");
    }

    private Path standbyData() {
        return folder.resolve("standby");
    }

    private void create() throws IOException, InterruptedException {
        run(bin.resolve("initdb").toString(), "-D", primaryData().toString(), "-U", USER, "--auth=trust", "--no-sync",
                "-E", "UTF8", "--locale=C");
        startServer(primaryData(), primaryPort, "primary", "-c synchronous_standby_names=standby1 -c synchronous_commit=on"
                + " -c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=64MB");
        run(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort), "-U", USER,
                "-D", standbyData().toString(), "-R", "-X", "stream", "--no-sync", "-c", "fast");
        startServer(standbyData(), standbyPort, "standby", "-c cluster_name=standby1 -c hot_standby=on");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!sql(primaryPort, "SELECT string_agg(sync_state, ',') FROM pg_stat_replication").strip().equals("sync")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the standby did not become synchronous within 60 s; see " + folder);
            }
            Thread.sleep(100);
        }
    }

    private void startServer(Path data, int port, String name, String options) throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", folder.resolve(name + ".log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60 " + options,
                "start");
    }

    public int primaryPort() {
        return primaryPort;
    }

    public int standbyPort() {
        return standbyPort;
    }

    /** {@code 127.0.0.1:PRIMARY,127.0.0.1:STANDBY}: the host list of a store URI. */
    public String hosts() {
        return "127.0.0.1:" + primaryPort + ",127.0.0.1:" + standbyPort;
    }

    /** The primary's postmaster process id, from its {@code postmaster.pid}. */
    public long primaryPid() throws IOException {
        return Long.parseLong(Files.readAllLines(primaryData().resolve("postmaster.pid")).get(0).strip());
    }

    /** {@code pg_ctl stop -m immediate} of the primary: no checkpoint, no goodbye to clients. */
    public void stopPrimaryImmediately() throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", primaryData().toString(), "-m", "immediate", "-w", "stop");
    }

    /** {@code kill -9} of the primary's postmaster; its backends notice and exit. */
    public void killPrimary() throws IOException, InterruptedException {
        long pid = primaryPid();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /** Promotes the standby and returns once it accepts writes. */
    public void promoteStandby() throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", standbyData().toString(), "-w", "-t", "60", "promote");
    }

    /** Stops the standby ({@code pg_ctl stop -m fast}). */
    public void stopStandby() throws IOException, InterruptedException {
        run(bin.resolve("pg_ctl").toString(), "-D", standbyData().toString(), "-m", "fast", "-w", "stop");
    }

    /** Runs one statement with {@code psql} on the server at {@code port}, database postgres, and returns its output. */
    public String sql(int port, String statement) throws IOException, InterruptedException {
        return run("psql", "-X", "-A", "-t", "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", USER, "-d", "postgres", "-c", statement);
    }

    private String run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        Process process = new ProcessBuilder(full).directory(folder.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", full) + " failed:\n" + output);
        }
        return output;
    }

    /** Stops whatever still runs and removes the folder. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Path data : List.of(primaryData(), standbyData())) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
                } catch (AssertionError e) {
                    // not running (a killed postmaster leaves its pid file)
                }
            }
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
