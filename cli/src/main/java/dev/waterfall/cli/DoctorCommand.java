package dev.waterfall.cli;

import dev.waterfall.config.Diagnostic;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Locale;

/**
 * {@code waterfall doctor}: checks the configuration without changing it: a broken store, system
 * file or defaults, loose file modes, temp files left by an interrupted write, environment
 * variables with the app's prefix that match no key (typos), and variables that shadow stored keys.
 */
@Command(name = "doctor",
        description = {
            "Checks the configuration without changing anything: a store, system file or defaults that does not "
                    + "parse, file modes others can read, temp files left by an interrupted write, changes made "
                    + "outside waterfall, environment variables with the app's prefix that match no key (typos), and "
                    + "environment variables that override stored keys.",
            "Exits with 3 if it finds an error, 0 if it finds only warnings and notes.",
        })
final class DoctorCommand extends WaterfallCommand {

    @Override
    public Integer call() {
        try (Waterfall waterfall = open()) {
            List<Diagnostic> findings = waterfall.diagnose();
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
                    out().println(WaterfallCli.oneLine(text(finding)));
                }
                out().println(errors == 0 && warnings == 0 ? "no problems found"
                        : plural(errors, "error") + ", " + plural(warnings, "warning"));
                out().flush();
            }
            return errors > 0 ? ExitCodes.STORE : ExitCodes.OK;
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
