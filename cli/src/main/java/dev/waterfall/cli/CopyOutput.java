package dev.waterfall.cli;

import dev.waterfall.export.CopyMode;
import dev.waterfall.export.CopyPlan;
import dev.waterfall.export.CopyResult;
import dev.waterfall.export.Verification;
import picocli.CommandLine;

import java.io.IOException;
import java.util.List;

/**
 * What {@code import} and {@code migrate} share: the {@code --merge}/{@code --replace}/{@code --dry-run}
 * options and the report: the plan, what was done, and the verification, as text or JSON. A
 * verification that finds differences is exit code {@link ExitCodes#VERIFICATION}.
 */
final class CopyOutput {

    private CopyOutput() {
    }

    /** The options of a copy. */
    static final class Options {
        @CommandLine.Option(names = "--merge",
                description = "Into a target that holds entries: set the source's entries and keep the target's other keys.")
        boolean merge;

        @CommandLine.Option(names = "--replace",
                description = "Into a target that holds entries: make it hold exactly the source's entries (others are removed).")
        boolean replace;

        @CommandLine.Option(names = "--dry-run", description = "Compare and print the plan; write nothing.")
        boolean dryRun;

        @CommandLine.Option(names = "--plaintext-secrets",
                description = "Copy keys that look like secrets (password, token, api_key, ...) into a plaintext target (JSON, TOML, "
                        + "NDJSON) too; by default such a target refuses them and nothing is written.")
        boolean plaintextSecrets;

        @CommandLine.Option(names = "--progress", negatable = true,
                description = "Show the progress on stderr. Default: when stderr is a terminal.")
        Boolean progress;

        CopyMode mode(WaterfallCommand command) {
            if (merge && replace) {
                throw new CommandLine.ParameterException(command.spec.commandLine(), "give --merge or --replace, not both");
            }
            return merge ? CopyMode.MERGE : replace ? CopyMode.REPLACE : CopyMode.NEW_ONLY;
        }
    }

    /** Prints the result; returns the exit code. */
    static int report(WaterfallCommand command, CopyResult result, String verb) {
        if (command.json()) {
            JsonOutput.write(command.out(), output -> json(output, result));
        } else {
            for (String line : result.plan().describe()) {
                command.out().println(line);
            }
            result.dumpMeta().ifPresentOrElse(
                    meta -> command.out().println("dump: checked against its meta file (" + meta.rows() + " rows, sha256 "
                            + meta.sha256().substring(0, 12) + "...)"),
                    () -> {
                        if (verb.equals("imported")) {
                            command.out().println("dump: no meta file found beside it; every row was checked, its completeness cannot be");
                        }
                    });
            result.dumpMeta().filter(meta -> !meta.withheldKeys().isEmpty())
                    .ifPresent(meta -> command.out().println(withheld(meta.withheldKeys())));
            if (result.dryRun()) {
                command.out().println("dry run: nothing was written");
            } else if (result.plan().method() != CopyPlan.Method.NOTHING) {
                command.out().println(verb + ": the target is at revision " + result.revision());
            }
            result.verification().ifPresent(verification -> {
                command.out().println(verification.summary());
                for (String difference : verification.differences()) {
                    command.out().println("  " + difference);
                }
                if (verification.moreDifferences() > 0) {
                    command.out().println("  ... and " + verification.moreDifferences() + " more");
                }
            });
            command.out().flush();
        }
        return result.verified() ? ExitCodes.OK : ExitCodes.VERIFICATION;
    }

    /** What a dump that withheld keys means for the target. */
    private static String withheld(List<String> keys) {
        return "dump: it withheld " + keys.size() + (keys.size() == 1 ? " key that looks" : " keys that look") + " like a secret ("
                + ExportCommand.listed(keys) + ") and holds no value for "
                + (keys.size() == 1 ? "it" : "them") + ": the target keeps its own, and lacks any it did not have; set those again, or "
                + "import a dump exported with --include-secrets";
    }

    private static void json(JsonOutput output, CopyResult result) throws IOException {
        CopyPlan plan = result.plan();
        output.startObject();
        output.field("source", plan.source());
        output.field("sourceRevision", plan.sourceRevision());
        output.field("sourceEntries", plan.sourceEntries());
        output.field("target", plan.target());
        output.field("targetRevision", plan.targetRevision());
        output.field("targetEntries", plan.targetEntries());
        output.field("mode", plan.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        output.field("method", plan.method().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        output.field("add", plan.toAdd());
        output.field("change", plan.toChange());
        output.field("unchanged", plan.unchanged());
        output.field("targetOnly", plan.targetOnly());
        output.field("withheldKept", plan.withheldKept());
        output.startArray("withheldKeys");
        for (String key : result.dumpMeta().map(meta -> meta.withheldKeys()).orElse(List.of())) {
            output.generator().writeString(key);
        }
        output.endArray();
        output.field("historyRecords", plan.historyRecords());
        output.field("dryRun", result.dryRun());
        output.field("revision", result.revision());
        if (result.verification().isPresent()) {
            Verification verification = result.verification().get();
            output.generator().writeObjectFieldStart("verification");
            output.field("identical", verification.identical());
            output.field("compared", verification.compared());
            output.field("scope", verification.scope());
            output.startArray("differences");
            for (String difference : verification.differences()) {
                output.generator().writeString(difference);
            }
            output.endArray();
            output.field("moreDifferences", verification.moreDifferences());
            output.endObject();
        } else {
            output.nullField("verification");
        }
        output.endObject();
    }
}
