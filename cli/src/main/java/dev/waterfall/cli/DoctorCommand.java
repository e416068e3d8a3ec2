package dev.waterfall.cli;

import dev.waterfall.secrets.Secrets;
import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.EntryCursor;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code waterfall doctor}: checks the configuration without changing it: a broken store, system
 * file or defaults, loose file modes, temp files left by an interrupted write, environment
 * variables with the app's prefix that match no key (typos), variables that shadow stored keys, and
 * references to secrets that are nowhere.
 */
@Command(name = "doctor",
        description = {
            "Checks the configuration without changing anything: a store, system file or defaults that does not "
                    + "parse, file modes others can read, temp files left by an interrupted write, changes made "
                    + "outside waterfall, environment variables with the app's prefix that match no key (typos), "
                    + "environment variables that override stored keys, and $${secret:NAME} values whose secret is in neither "
                    + "the system keyring nor the secrets file.",
            "Exits with 3 if it finds an error, 0 if it finds only warnings and notes.",
        })
final class DoctorCommand extends WaterfallCommand {

    @Override
    public Integer call() {
        try (Waterfall waterfall = open()) {
            List<Diagnostic> findings = new ArrayList<>(waterfall.diagnose());
            if (findings.stream().noneMatch(finding -> finding.severity() == Diagnostic.Severity.ERROR)) {
                findings.addAll(references(waterfall));
            }
            findings.addAll(secretsFileMode());
            long errors = count(findings, Diagnostic.Severity.ERROR);
            long warnings = count(findings, Diagnostic.Severity.WARNING);
            String storeFrom = root().storeChoice(waterfall);
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startObject();
                    output.field("app", waterfall.app());
                    output.field("envPrefix", waterfall.envPrefix() + "_");
                    output.field("store", waterfall.store().location());
                    output.field("storeFrom", storeFrom);
                    output.startArray("findings");
                    for (Diagnostic finding : findings) {
                        output.startObject();
                        output.field("severity", finding.severity().name().toLowerCase(Locale.ROOT));
                        output.field("subject", finding.subject());
                        output.field("message", finding.message());
                        output.endObject();
                    }
                    output.endArray();
                    output.field("errors", errors);
                    output.field("warnings", warnings);
                    output.endObject();
                });
            } else {
                out().println("app " + waterfall.app() + ", environment variables " + waterfall.envPrefix() + "_*, store "
                        + waterfall.store().location() + " (" + storeFrom + ")");
                for (Diagnostic finding : findings) {
                    out().println(root().scrub(text(finding)));
                }
                out().println(errors == 0 && warnings == 0 ? "no problems found"
                        : plural(errors, "error") + ", " + plural(warnings, "warning"));
                out().flush();
            }
            return errors > 0 ? ExitCodes.STORE : ExitCodes.OK;
        }
    }

    /**
     * The store's {@code ${secret:NAME}} values whose secret is nowhere: in the keyring (where there
     * is one) or the secrets file. The file is read only with its passphrase in the environment:
     * the doctor asks for nothing.
     */
    private List<Diagnostic> references(Waterfall waterfall) {
        Map<String, List<String>> keysByName = new TreeMap<>();
        try (EntryCursor entries = waterfall.store().cursor()) {
            entries.forEachRemaining(entry -> SecretPolicy.reference(entry.value())
                    .ifPresent(name -> keysByName.computeIfAbsent(name, n -> new ArrayList<>()).add(entry.key().path())));
        }
        if (keysByName.isEmpty()) {
            return List.of();
        }
        Secrets secrets = root().secrets();
        Secrets.Place place = secrets.place();
        boolean fileReadable = secrets.fileExists() && root().world().environment().containsKey(secrets.passphraseVariable());
        List<Diagnostic> findings = new ArrayList<>();
        for (Map.Entry<String, List<String>> reference : keysByName.entrySet()) {
            String name = reference.getKey();
            String keys = String.join(", ", reference.getValue());
            boolean inKeyring = place != Secrets.Place.FILE && secrets.ifKeyring(keyring -> keyring.secret(name).isPresent(), false);
            if (inKeyring) {
                continue;
            }
            if (place != Secrets.Place.KEYRING && secrets.fileExists() && !fileReadable) {
                findings.add(new Diagnostic(Diagnostic.Severity.INFO, keys, "refers to the secret " + name + ", which is not in the system "
                        + "keyring; the secrets file " + secrets.path() + " may hold it (set " + secrets.passphraseVariable()
                        + " to have it checked)"));
                continue;
            }
            boolean inFile = place != Secrets.Place.KEYRING && fileReadable && secrets.file().secret(name).isPresent();
            if (!inFile) {
                findings.add(new Diagnostic(Diagnostic.Severity.WARNING, keys, "refers to the secret " + name + ", which is not in "
                        + secrets.location() + ": reading it fails until it is added (`waterfall secret set " + name + "`)"));
            }
        }
        return findings;
    }

    /**
     * A warning if others may read or write the secrets file: encrypted, it is still what an
     * attacker guesses the passphrase against offline, so it is kept 0600 ({@code secret set}
     * makes it so again).
     */
    private List<Diagnostic> secretsFileMode() {
        Secrets secrets = root().secrets();
        java.nio.file.Path file = secrets.path();
        try {
            if (!java.nio.file.Files.isRegularFile(file)) {
                return List.of();
            }
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode = java.nio.file.Files.getPosixFilePermissions(file);
            java.util.Set<java.nio.file.attribute.PosixFilePermission> loose = java.util.EnumSet.noneOf(
                    java.nio.file.attribute.PosixFilePermission.class);
            loose.addAll(mode);
            loose.remove(java.nio.file.attribute.PosixFilePermission.OWNER_READ);
            loose.remove(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            if (loose.isEmpty()) {
                return List.of();
            }
            return List.of(new Diagnostic(Diagnostic.Severity.WARNING, file.toString(), "the secrets file's mode is "
                    + java.nio.file.attribute.PosixFilePermissions.toString(mode) + ": others may copy it and guess its passphrase "
                    + "offline; chmod 600 it (the next `waterfall secret set` does)"));
        } catch (UnsupportedOperationException | java.io.IOException e) {
            return List.of(); // no POSIX modes here, or it went away meanwhile
        }
    }

    /**
     * {@code severity: subject: message}, without the subject twice when the message already starts
     * with it (a broken file's message names its path, line and column).
     */
    private static String text(Diagnostic finding) {
        String severity = finding.severity().name().toLowerCase(Locale.ROOT);
        return finding.message().startsWith(finding.subject() + ":")
                ? severity + ": " + finding.message()
                : severity + ": " + finding.subject() + ": " + finding.message();
    }

    private static long count(List<Diagnostic> findings, Diagnostic.Severity severity) {
        return findings.stream().filter(finding -> finding.severity() == severity).count();
    }

    private static String plural(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
