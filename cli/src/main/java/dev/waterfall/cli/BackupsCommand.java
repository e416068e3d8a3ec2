package dev.waterfall.cli;

import dev.waterfall.config.Backup;
import dev.waterfall.config.Backups;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Waterfall;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code waterfall backups [list]} and {@code waterfall backups restore [NAME]}: the earlier
 * versions a file store keeps (one per write, the newest 20 by default), and the way back to one.
 */
@Command(name = "backups",
        description = {
            "Lists the earlier versions the store keeps (file stores keep one per write, the newest 20 by default), "
                    + "newest first; `backups` alone is `backups list`.",
        },
        subcommands = {BackupsCommand.ListBackups.class, BackupsCommand.Restore.class})
final class BackupsCommand extends WaterfallCommand {

    @Override
    public Integer call() {
        return list(this);
    }

    /** The store's backups, or a usage error for a store that keeps none. */
    static Backups backupsOf(WaterfallCommand command, Waterfall waterfall) {
        return waterfall.store().backups().orElseThrow(() -> new CommandLine.ParameterException(command.spec.commandLine(),
                "the store " + waterfall.store().location() + " keeps no backups (a database or a change log keeps "
                        + "its history instead; see `waterfall history`)"));
    }

    static int list(WaterfallCommand command) {
        try (Waterfall waterfall = command.open()) {
            List<Backup> backups = backupsOf(command, waterfall).list();
            if (command.json()) {
                JsonOutput.write(command.out(), output -> {
                    output.startArray();
                    for (Backup backup : backups) {
                        output.startObject();
                        output.field("name", backup.name());
                        output.field("location", backup.location());
                        output.field("takenAt", backup.takenAt());
                        output.field("bytes", backup.bytes());
                        output.field("valid", backup.isValid());
                        if (backup.problem().isPresent()) {
                            output.field("problem", backup.problem().get());
                        } else {
                            output.nullField("problem");
                        }
                        output.endObject();
                    }
                    output.endArray();
                });
                return ExitCodes.OK;
            }
            for (Backup backup : backups) {
                command.out().println(backup.name() + "  " + backup.takenAt().truncatedTo(ChronoUnit.SECONDS) + "  "
                        + backup.bytes() + " bytes  " + backup.problem().map(problem -> "BROKEN: " + WaterfallCli.oneLine(problem)).orElse("ok"));
            }
            command.out().flush();
            if (backups.isEmpty()) {
                command.note("(no backups yet of " + waterfall.store().location() + "; each write keeps the version it replaces)");
            }
        }
        return ExitCodes.OK;
    }

    /** {@code waterfall backups list}. */
    @Command(name = "list",
            description = "Lists the kept versions, newest first: name, when it was replaced (UTC), size, and whether it "
                    + "is valid.")
    static final class ListBackups extends WaterfallCommand {
        @Override
        public Integer call() {
            return list(this);
        }
    }

    /** {@code waterfall backups restore [NAME]}. */
    @Command(name = "restore",
            description = {
                "Makes a kept version current again: NAME (from `backups list`), or the newest valid one. The current "
                        + "file is kept first: as a new backup when it is valid, or moved aside when it is broken. "
                        + "The restore is a write like any other: locked, atomic, recorded in the history.",
            })
    static final class Restore extends WaterfallCommand {

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "The backup to restore; default: the newest valid one.")
        String name;

        @Override
        public Integer call() {
            try (Waterfall waterfall = open()) {
                Backups.Restored restored = backupsOf(this, waterfall).restore(Optional.ofNullable(name));
                if (json()) {
                    JsonOutput.write(out(), output -> {
                        output.startObject();
                        output.field("restored", restored.from().name());
                        output.field("takenAt", restored.from().takenAt());
                        output.field("revision", restored.revision());
                        if (restored.movedAsideTo().isPresent()) {
                            output.field("movedAsideTo", restored.movedAsideTo().get());
                        } else {
                            output.nullField("movedAsideTo");
                        }
                        output.generator().writeArrayFieldStart("takenBack");
                        for (HistoryRecord change : restored.takenBack()) {
                            output.generator().writeStartObject();
                            output.generator().writeNumberField("revision", change.revision());
                            output.generator().writeStringField("key", change.key().path());
                            output.generator().writeEndObject();
                        }
                        output.generator().writeEndArray();
                        output.endObject();
                    });
                    return ExitCodes.OK;
                }
                restored.movedAsideTo().ifPresent(aside -> out().println("moved the broken file aside to " + aside));
                out().println("restored " + restored.from().name() + " (kept at "
                        + restored.from().takenAt().truncatedTo(ChronoUnit.SECONDS) + "); the store is at revision "
                        + restored.revision());
                if (restored.takenBack().isEmpty()) {
                    out().println("it took back no recorded change");
                } else {
                    out().println("it took back " + restored.takenBack().size() + " recorded change"
                            + (restored.takenBack().size() == 1 ? "" : "s") + " (see `waterfall history`):");
                    for (HistoryRecord change : restored.takenBack()) {
                        out().println("  r" + change.revision() + "  " + change.key());
                    }
                }
                out().flush();
            }
            return ExitCodes.OK;
        }
    }
}
