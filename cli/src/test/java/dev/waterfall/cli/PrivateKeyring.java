package dev.waterfall.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Secret Service of the test's own: a private D-Bus session bus ({@code dbus-daemon}) and a
 * GNOME Keyring daemon on it, unlocked, keeping its keyring in the test's folder, so that tests
 * never touch the keyring of the person running them. {@code scripts/ensure-test-services}
 * installs the programs ({@code dbus}, {@code gnome-keyring}, {@code libsecret-tools}).
 */
final class PrivateKeyring implements AutoCloseable {

    private final Path dir;
    private final Process bus;
    private final Process daemon;
    private final String address;

    private PrivateKeyring(Path dir, Process bus, Process daemon, String address) {
        this.dir = dir;
        this.bus = bus;
        this.daemon = daemon;
        this.address = address;
    }

    /** Starts a bus and a keyring daemon with their files under {@code dir}, and waits until the keyring answers. */
    static PrivateKeyring start(Path dir) throws IOException, InterruptedException {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> base = new HashMap<>();
        base.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        base.put("HOME", dir.toString());
        base.put("XDG_RUNTIME_DIR", runtime.toString());
        base.put("XDG_DATA_HOME", dir.resolve("data").toString());

        ProcessBuilder busBuilder = new ProcessBuilder("dbus-daemon", "--session", "--nofork", "--print-address=1")
                .redirectError(dir.resolve("dbus.log").toFile());
        busBuilder.environment().clear();
        busBuilder.environment().putAll(base);
        Process bus = busBuilder.start();
        StringBuilder line = new StringBuilder();
        for (int c = bus.getInputStream().read(); c >= 0 && c != '\n'; c = bus.getInputStream().read()) {
            line.append((char) c); // the address is ASCII
        }
        String address = line.toString().strip();
        if (!address.startsWith("unix:")) {
            bus.destroyForcibly();
            throw new IllegalStateException("dbus-daemon printed no address: \"" + address + "\"; see " + dir.resolve("dbus.log"));
        }
        base.put("DBUS_SESSION_BUS_ADDRESS", address);

        ProcessBuilder daemonBuilder = new ProcessBuilder("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets")
                .redirectOutput(dir.resolve("keyring.out").toFile())
                .redirectError(dir.resolve("keyring.log").toFile());
        daemonBuilder.environment().clear();
        daemonBuilder.environment().putAll(base);
        Process daemon = daemonBuilder.start();
        try (OutputStream password = daemon.getOutputStream()) {
            password.write("the test keyring's password".getBytes(StandardCharsets.UTF_8));
        }
        PrivateKeyring keyring = new PrivateKeyring(dir, bus, daemon, address);
        keyring.awaitService(Duration.ofSeconds(30));
        return keyring;
    }

    /** Waits until the daemon owns the Secret Service's name on the bus (else the bus would start another one). */
    private void awaitService(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!daemon.isAlive()) {
                close();
                throw new IllegalStateException("gnome-keyring-daemon ended: " + Files.readString(dir.resolve("keyring.log")));
            }
            Processes.Result owner = Processes.run(List.of("dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                    "org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets"), dir, environment(Map.of()), Duration.ofSeconds(10));
            if (owner.out().contains("boolean true")) {
                return;
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("the keyring daemon did not appear on the bus within " + timeout);
    }

    /** {@code variables} plus what reaches this keyring: the bus's address and PATH (for secret-tool). */
    Map<String, String> environment(Map<String, String> variables) {
        Map<String, String> environment = new HashMap<>(variables);
        environment.putIfAbsent("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("DBUS_SESSION_BUS_ADDRESS", address);
        return environment;
    }

    /** Runs secret-tool against this keyring, as another program would. */
    Processes.Result secretTool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("secret-tool"));
        command.addAll(List.of(arguments));
        return Processes.run(command, dir, environment(Map.of()), Duration.ofSeconds(30));
    }

    @Override
    public void close() {
        for (Process process : List.of(daemon, bus)) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
