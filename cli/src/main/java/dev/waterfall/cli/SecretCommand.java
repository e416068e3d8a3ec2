package dev.waterfall.cli;

import dev.waterfall.secrets.Secrets;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.SortedSet;

/**
 * {@code waterfall secret set|get|list|unset}: the secrets that {@code ${secret:NAME}} values refer
 * to (docs/secrets.md), in the system keyring where there is one, else in the encrypted
 * secrets file ({@link Secrets}). A value never comes from the command line, where other users
 * and the shell's history see it: it is read from standard input, a terminal prompt, or a named
 * environment variable.
 */
@Command(name = "secret",
        description = {
            "Keeps secrets in the system keyring (the Secret Service of GNOME Keyring, KWallet or KeePassXC, through "
                    + "secret-tool; service \"waterfall:<app>\", the secret's name as username) where there is one, else in an "
                    + "encrypted file (AES-256-GCM, key from a passphrase with PBKDF2-HMAC-SHA256, 600,000 iterations): "
                    + "<PREFIX>_SECRETS_FILE, else secrets.enc.json in the app's configuration folder; the passphrase from "
                    + "<PREFIX>_SECRETS_PASSPHRASE, else asked on the terminal. <PREFIX>_SECRETS=keyring or file uses only that "
                    + "one. A store value \"$${secret:NAME}\" stands for the secret NAME (looked up in the keyring, then the "
                    + "file): `get` prints the secret, `list` and `explain` show the reference.",
        },
        subcommands = {SecretCommand.Set.class, SecretCommand.Get.class, SecretCommand.ListSecrets.class, SecretCommand.Unset.class})
final class SecretCommand extends WaterfallCommand {

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: set, get, list or unset");
    }

    /** {@code --keyring} and {@code --file}: one place only, whatever {@code <PREFIX>_SECRETS} says. */
    static final class PlaceOptions {
        @Option(names = "--keyring", description = "Only the system keyring.")
        boolean keyring;

        @Option(names = "--file", description = "Only the secrets file.")
        boolean file;

        Secrets.Place place(WaterfallCommand command, Secrets secrets) {
            if (keyring && file) {
                throw new ParameterException(command.spec.commandLine(), "give --keyring or --file, not both");
            }
            return keyring ? Secrets.Place.KEYRING : file ? Secrets.Place.FILE : secrets.place();
        }
    }

    @Command(name = "set", description = "Stores the secret NAME: its value from standard input (one trailing newline dropped), "
            + "a terminal prompt, or --from-env VAR. It goes to the system keyring where there is one, else to the secrets file.")
    static final class Set extends WaterfallCommand {
        @Parameters(paramLabel = "NAME", description = "ASCII letters, digits, '_', '.' and '-'.")
        String name;

        @Option(names = "--from-env", paramLabel = "VAR", description = "Take the value from the environment variable VAR.")
        String fromEnv;

        @Mixin
        PlaceOptions where;

        @Override
        public Integer call() {
            try (Waterfall waterfall = open()) {
                Secrets secrets = root().secrets();
                Secrets.Place place = where.place(this, secrets);
                String value = value(secrets);
                String kept;
                try {
                    kept = secrets.set(place, name, value);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                note("stored the secret " + name + " in " + kept + "; a value \"${secret:" + name + "}\" stands for it");
            }
            return ExitCodes.OK;
        }

        private String value(Secrets secrets) {
            if (fromEnv != null) {
                String value = root().world().environment().get(fromEnv);
                if (value == null) {
                    throw new ParameterException(spec.commandLine(), "the environment variable " + fromEnv + " is not set");
                }
                return value;
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("value of the secret %s: ", name);
                return typed == null ? "" : new String(typed);
            }
            String read = new String(readAll(System.in), StandardCharsets.UTF_8);
            return read.endsWith("\r\n") ? read.substring(0, read.length() - 2) : read.endsWith("\n") ? read.substring(0, read.length() - 1) : read;
        }

        private static byte[] readAll(InputStream in) {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the secret from standard input", e);
            }
        }
    }

    @Command(name = "get", description = "Prints the secret NAME (exit code 1 if there is none): from the system keyring, else the "
            + "secrets file.")
    static final class Get extends WaterfallCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        PlaceOptions where;

        @Override
        public Integer call() {
            try (Waterfall waterfall = open()) {
                Secrets secrets = root().secrets();
                Secrets.Place place = where.place(this, secrets);
                String value = secrets.secret(place, name)
                        .orElseThrow(() -> new NotFoundException("there is no secret " + name + " in " + secrets.location(place)));
                out().println(value);
                out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Prints the names of the secrets, one per line (never their values): those in the system "
            + "keyring and in the secrets file.")
    static final class ListSecrets extends WaterfallCommand {
        @Mixin
        PlaceOptions where;

        @Override
        public Integer call() {
            try (Waterfall waterfall = open()) {
                Secrets secrets = root().secrets();
                SortedSet<String> names = secrets.names(where.place(this, secrets));
                for (String name : names) {
                    out().println(name);
                }
                out().flush();
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "unset", description = "Removes the secret NAME (from the system keyring and the secrets file); removing an "
            + "absent one changes nothing.")
    static final class Unset extends WaterfallCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        PlaceOptions where;

        @Override
        public Integer call() {
            try (Waterfall waterfall = open()) {
                Secrets secrets = root().secrets();
                boolean removed = secrets.unset(where.place(this, secrets), name);
                if (!removed) {
                    note("(there was no secret " + name + ")");
                }
            }
            return ExitCodes.OK;
        }
    }
}
