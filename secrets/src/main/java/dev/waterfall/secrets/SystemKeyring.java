package dev.waterfall.secrets;

import dev.waterfall.config.SecretSource;
import dev.waterfall.config.WaterfallException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The desktop's keyring (docs/secrets.md), through the freedesktop Secret Service that GNOME
 * Keyring, KWallet and KeePassXC provide on Linux and the BSDs, driven by its command-line client
 * {@code secret-tool} (Debian and Ubuntu: package {@code libsecret-tools}). The secret goes to it on
 * standard input, never on a command line.
 *
 * <p>Each secret is an item with the attributes {@code service} = {@code waterfall:<app>},
 * {@code username} = its name and {@code application} = {@code waterfall}. Python's {@code keyring}
 * library looks items up by {@code service} and {@code username}, so {@code keyring.get_password(
 * "waterfall:app", "github")} reads the secret {@code github} of app {@code app}.
 *
 * <p>Where there is no such keyring (no {@code secret-tool}, no D-Bus session, no Secret Service, or
 * none that answers within the timeout, say because it waits for a password on a screen nobody
 * sees) every method throws {@link KeyringUnavailableException}, which says why; a caller can then
 * use the encrypted {@link SecretFile} instead. Nothing is started or asked before the first call.
 * Why a client program rather than a D-Bus library: no dependency that keeps threads alive (docs/secrets.md
 * section 10), and each call is a short process that a timeout can end.
 *
 * <p>Immutable and thread-safe; each call is one {@code secret-tool} process.
 */
public final class SystemKeyring implements SecretSource {

    /** How long one call may take: a keyring that asks to be unlocked on a screen would wait forever. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final String CLIENT = "secret-tool";

    private final String service;
    private final Map<String, String> environment;
    private final Duration timeout;

    private SystemKeyring(String service, Map<String, String> environment, Duration timeout) {
        this.service = service;
        this.environment = environment;
        this.timeout = timeout;
    }

    /**
     * The keyring's secrets of the app {@code app}, reached with the variables of
     * {@code environment} ({@code PATH} to find {@code secret-tool}, {@code DBUS_SESSION_BUS_ADDRESS}
     * or {@code XDG_RUNTIME_DIR} to find the session): the process's own, or those a test gives.
     */
    public static SystemKeyring of(String app, Map<String, String> environment, Duration timeout) {
        Objects.requireNonNull(app, "app");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
        }
        return new SystemKeyring("waterfall:" + app, Map.copyOf(environment), timeout);
    }

    /** The {@code service} attribute of this app's items: {@code waterfall:<app>}. */
    public String service() {
        return service;
    }

    @Override
    public String location() {
        return "the system keyring (Secret Service, service \"" + service + "\")";
    }

    /**
     * @throws KeyringUnavailableException if there is no keyring to ask, or it does not answer
     */
    @Override
    public Optional<String> secret(String name) {
        checkName(name);
        Result lookup = run(null, "lookup", "service", service, "username", name);
        if (lookup.exitCode == 0) {
            return Optional.of(lookup.out);
        }
        if (lookup.notFound()) {
            return Optional.empty();
        }
        throw lookup.failure("read the secret " + name);
    }

    /**
     * Stores the secret {@code name} (replacing one of that name).
     *
     * @throws IllegalArgumentException    if the name is not made of ASCII letters, digits, {@code _}, {@code .} and {@code -}
     * @throws KeyringUnavailableException if there is no keyring to keep it, or it refuses
     */
    public void set(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        Result store = run(value, "store", "--label=" + name + " (" + service + ")", "service", service, "username", name, "application",
                "waterfall");
        if (store.exitCode != 0) {
            throw store.failure("store the secret " + name);
        }
    }

    /**
     * Removes the secret {@code name}; whether it was there.
     *
     * @throws KeyringUnavailableException if there is no keyring, or it does not answer
     */
    public boolean unset(String name) {
        if (secret(name).isEmpty()) {
            return false;
        }
        Result clear = run(null, "clear", "service", service, "username", name);
        if (clear.exitCode != 0) {
            throw clear.failure("remove the secret " + name);
        }
        return true;
    }

    /**
     * The names of this app's secrets, sorted.
     *
     * @throws KeyringUnavailableException if there is no keyring, or it does not answer
     */
    public SortedSet<String> names() {
        Result search = run(null, "search", "--all", "service", service);
        if (search.exitCode != 0 && !search.notFound()) {
            throw search.failure("list the secrets");
        }
        // The output holds each item's secret too: only the attribute lines are looked at.
        SortedSet<String> names = new TreeSet<>();
        for (String line : (search.out + "\n" + search.err).split("\n")) {
            if (line.startsWith("attribute.username = ")) {
                String name = line.substring("attribute.username = ".length()).strip();
                if (NAME.matcher(name).matches()) {
                    names.add(name);
                }
            }
        }
        return Collections.unmodifiableSortedSet(names);
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret's name is ASCII letters, digits, '_', '.' and '-', not \"" + name + "\"");
        }
    }

    /** What one run of the client printed and returned. */
    private record Result(int exitCode, String out, String err) {
        /** What secret-tool says of an item that is not there: exit code 1 and nothing on stderr. */
        boolean notFound() {
            return exitCode == 1 && err.isBlank();
        }

        KeyringUnavailableException failure(String what) {
            String said = err.isBlank() ? "it exited with code " + exitCode : err.strip().replace('\n', ' ');
            return new KeyringUnavailableException("cannot " + what + " in the system keyring: " + CLIENT + " says: " + said);
        }
    }

    /**
     * Why there is certainly no keyring to ask here (no {@code secret-tool}, no D-Bus session), or
     * empty when there may be one: only a call tells whether a Secret Service answers. Starts nothing.
     */
    public Optional<String> absence() {
        try {
            reachableClient();
            return Optional.empty();
        } catch (KeyringUnavailableException e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * {@code secret-tool} on the environment's PATH, when there is a session bus for it to reach.
     *
     * @throws KeyringUnavailableException saying which of the two is missing
     */
    private Path reachableClient() {
        Path client = client().orElseThrow(() -> new KeyringUnavailableException("there is no system keyring to use: " + CLIENT
                + " is not installed (Debian and Ubuntu: package libsecret-tools) or not on the PATH"));
        if (!environment.containsKey("DBUS_SESSION_BUS_ADDRESS") && !sessionBusSocket()) {
            throw new KeyringUnavailableException("there is no system keyring to use: no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not "
                    + "set), as in a cron job, a service or an SSH login without one");
        }
        return client;
    }

    /** Runs {@code secret-tool} with {@code input} (or nothing) on its standard input. */
    private Result run(String input, String... arguments) {
        Path client = reachableClient();
        List<String> command = new ArrayList<>();
        command.add(client.toString());
        Collections.addAll(command, arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new KeyringUnavailableException("cannot start " + client + ": " + e.getMessage(), e);
        }
        try {
            CompletableFuture<byte[]> out = drain(process.getInputStream());
            CompletableFuture<byte[]> err = drain(process.getErrorStream());
            try (OutputStream stdin = process.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new KeyringUnavailableException("the system keyring did not answer within " + timeout.toSeconds() + " s (is it "
                        + "locked and asking for its password on a screen?); nothing was changed by this call");
            }
            long left = Math.max(1, timeout.toMillis());
            return new Result(process.exitValue(), text(out.get(left, TimeUnit.MILLISECONDS)), text(err.get(left, TimeUnit.MILLISECONDS)));
        } catch (IOException e) {
            throw new KeyringUnavailableException("cannot talk to " + client + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyringUnavailableException("interrupted while waiting for the system keyring", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new KeyringUnavailableException("cannot read what " + client + " printed: " + e, e);
        } finally {
            process.destroyForcibly();
        }
    }

    /** Reads a stream to its end on a daemon thread of its own, so that neither of the client's pipes can fill up and stall it. */
    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> read = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                stream.transferTo(bytes);
                read.complete(bytes.toByteArray());
            } catch (IOException | RuntimeException e) {
                read.completeExceptionally(e);
            }
        }, "waterfall-keyring-reader");
        reader.setDaemon(true);
        reader.start();
        return read;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code secret-tool} on the environment's PATH. */
    private Optional<Path> client() {
        String path = environment.get("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isEmpty()) {
                Path candidate = Path.of(folder, CLIENT);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the session bus is at its usual place, {@code $XDG_RUNTIME_DIR/bus}, where libdbus finds it without the variable. */
    private boolean sessionBusSocket() {
        String runtime = environment.get("XDG_RUNTIME_DIR");
        return runtime != null && !runtime.isEmpty() && Files.exists(Path.of(runtime, "bus"));
    }

    @Override
    public String toString() {
        return "SystemKeyring[" + service + "]";
    }

    /** There is no keyring to use here, or it did not answer; the message says which and why. */
    public static final class KeyringUnavailableException extends WaterfallException {
        private static final long serialVersionUID = 1L;

        KeyringUnavailableException(String message) {
            super(message);
        }

        KeyringUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
