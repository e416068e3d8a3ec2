package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Waterfall;
import dev.waterfall.export.DumpException;
import dev.waterfall.export.DumpFormat;
import dev.waterfall.export.ExportProgress;
import dev.waterfall.export.ExportRequest;
import dev.waterfall.export.ExportResult;
import dev.waterfall.export.ExportSchedule;
import dev.waterfall.export.Exporter;
import dev.waterfall.export.ScheduledExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * {@code waterfall export}: a timestamped plaintext dump of the store, once or on a schedule.
 */
@Command(name = "export",
        description = {
            "Writes a dump of the store into DIR: <UTC yyyyMMdd'T'HHmmss'Z'>_<name>_export.<csv|json|ndjson>, sorted by key, "
                    + "one row per key (key, value as JSON, type, revision, updated_at, updated_by), ASCII; then its "
                    + "<same>_meta.json (rows, SHA-256, source, revision, times), then latest_export.<ext>, which is always the "
                    + "newest complete dump. Written to a temp file and renamed: a crash never leaves a partial dump under a "
                    + "final name. Keys that look like secrets are left out (see --include-secrets). Prints the dump's path.",
            "With --every or --cron it keeps running, exporting on that schedule and skipping runs while the store is "
                    + "unchanged; a failed run is reported and tried again at the next time. SIGTERM or Ctrl-C stops it "
                    + "cleanly.",
        })
final class ExportCommand extends WaterfallCommand {

    /** Withheld keys named on stderr; the meta file names them all. */
    private static final int WITHHELD_SHOWN = 10;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where the dumps go; created (0700) if missing. Default: the current folder.")
    String dir;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv",
            description = "csv (default), json or ndjson.")
    String format;

    @Option(names = "--name", paramLabel = "NAME",
            description = "The store name in the file names (letters, digits, '.', '_', '-'). Default: the store file's "
                    + "name without extension, or the PostgreSQL namespace or database.")
    String name;

    @Option(names = "--keep", paramLabel = "N", defaultValue = "0",
            description = "Keep only the newest N dumps of this store and format (with their meta files). Default: keep all.")
    int keep;

    @Option(names = "--if-changed",
            description = "Write nothing if the newest dump's meta file records the store's current revision.")
    boolean ifChanged;

    @Option(names = "--every", paramLabel = "INTERVAL",
            description = "Keep running and export every INTERVAL (30s, 15m, 2h, 1d, 1h30m or PT15M), the first at once.")
    String every;

    @Option(names = "--cron", paramLabel = "EXPRESSION",
            description = "Keep running and export at the times of a five-field cron EXPRESSION, such as \"0 3 * * *\" or "
                    + "\"*/15 * * * mon-fri\" (also @hourly, @daily, @weekly, @monthly).")
    String cron;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "The time zone of --cron, such as Europe/Berlin or UTC. Default: the system's.")
    String zone;

    @Option(names = "--progress", negatable = true,
            description = "Show the progress on stderr. Default: when stderr is a terminal.")
    Boolean progress;

    @Option(names = "--include-secrets",
            description = "Write keys that look like secrets (password, token, api_key, ...) with their values. By default they are "
                    + "withheld: left out of the dump, named in its meta file and on stderr (a $${secret:NAME} reference is "
                    + "written either way).")
    boolean includeSecrets;

    @Override
    public Integer call() throws IOException {
        if (keep < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--keep must be 0 (keep all) or more, not " + keep);
        }
        if (every != null && cron != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --every or --cron, not both");
        }
        if (zone != null && cron == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--zone is the time zone of --cron; give --cron too");
        }
        DumpFormat dumpFormat = format(this, format);
        ExportSchedule schedule = schedule();
        try (Waterfall waterfall = open()) {
            ConfigStore store = waterfall.store();
            ExportProgress shown = TerminalProgress.of(this, progress, "exporting");
            ExportRequest request = ExportRequest.to(path(dir), dumpFormat).withKeep(keep).withSkipUnchanged(ifChanged).withProgress(shown)
                    .withSecretsIncluded(includeSecrets);
            if (name != null) {
                try {
                    request = request.withStoreName(name);
                } catch (DumpException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
                }
            }
            Exporter exporter = Exporter.of(waterfall.context());
            if (schedule != null) {
                return runSchedule(exporter, store, request, schedule, shown);
            }
            ExportResult result;
            try {
                result = exporter.export(store, request);
            } finally {
                TerminalProgress.clear(shown);
            }
            if (json()) {
                JsonOutput.write(out(), output -> result(output, result));
                return ExitCodes.OK;
            }
            out().println(result.dump());
            out().flush();
            note(summary(result));
            withheldNote(result);
            return ExitCodes.OK;
        }
    }

    /** The format named by an option, or a usage error. */
    static DumpFormat format(WaterfallCommand command, String name) {
        try {
            return DumpFormat.of(name);
        } catch (DumpException e) {
            throw new CommandLine.ParameterException(command.spec.commandLine(), e.getMessage());
        }
    }

    private ExportSchedule schedule() {
        if (every != null) {
            return ExportSchedule.every(ExportSchedule.parseInterval(every));
        }
        if (cron != null) {
            ZoneId zoneId;
            try {
                zoneId = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone);
            } catch (DateTimeException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown time zone \"" + zone
                        + "\"; use a name such as Europe/Berlin, America/New_York or UTC");
            }
            return ExportSchedule.cron(cron, zoneId);
        }
        return null;
    }

    /** Runs the schedule until SIGTERM or Ctrl-C, whose shutdown hook stops it and waits for it. */
    private int runSchedule(Exporter exporter, ConfigStore store, ExportRequest request, ExportSchedule schedule, ExportProgress shown) {
        ScheduledExport scheduled = new ScheduledExport(exporter, store, request, schedule, root().world().clock(),
                ScheduledExport.Sleeper.REAL, new ScheduledExport.Listener() {
                    @Override
                    public void exported(ExportResult result, Instant next) {
                        TerminalProgress.clear(shown);
                        if (json()) {
                            JsonOutput.write(out(), output -> result(output, result));
                        } else {
                            out().println(now() + " " + (result.written()
                                    ? "exported " + result.details().rows() + " rows (revision " + result.details().storeRevision() + ") to "
                                            + result.dump()
                                    : "unchanged since " + result.dump().getFileName() + " (revision " + result.details().storeRevision() + ")")
                                    + "; next run " + next.truncatedTo(ChronoUnit.SECONDS));
                        }
                        out().flush();
                        if (result.written()) {
                            withheldNote(result);
                        }
                    }

                    @Override
                    public void failed(RuntimeException failure, Instant next) {
                        TerminalProgress.clear(shown);
                        warn(now() + " export failed: " + failure.getMessage() + "; trying again at " + next.truncatedTo(ChronoUnit.SECONDS));
                    }

                    @Override
                    public void stopped() {
                        // here rather than after run(): on SIGTERM the JVM halts as soon as the hook's wait ends
                        TerminalProgress.clear(shown);
                        note("waterfall: stopped");
                    }
                });
        Thread hook = new Thread(() -> {
            scheduled.stop();
            try {
                // an export in progress stops at its next row and deletes its temp file first
                scheduled.awaitStopped(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "waterfall-export-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        note("waterfall: exporting " + store.location() + " " + schedule.describe() + " into " + path(dir).toAbsolutePath()
                + " (" + format.toLowerCase(Locale.ROOT) + (keep > 0 ? ", keeping " + keep : "") + "); stop with Ctrl-C or SIGTERM");
        scheduled.run();
        return ExitCodes.OK;
    }

    private Instant now() {
        return root().world().clock().instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String summary(ExportResult result) {
        if (!result.written()) {
            return "unchanged since " + result.dump().getFileName() + " (revision " + result.details().storeRevision() + "); nothing written";
        }
        String text = "exported " + result.details().rows() + " rows of " + result.details().source() + " (revision "
                + result.details().storeRevision() + ") in " + result.details().duration().toMillis() + " ms; "
                + result.latest().getFileName() + " is this dump";
        long removed = result.removed().stream().filter(path -> !path.getFileName().toString().endsWith("_meta.json")).count();
        return removed == 0 ? text : text + "; removed " + removed + " older dump" + (removed == 1 ? "" : "s");
    }

    /** Says on stderr which keys the dump withheld, and how to include them. */
    private void withheldNote(ExportResult result) {
        List<String> keys = result.details().withheldKeys();
        if (keys.isEmpty()) {
            return;
        }
        warn("withheld " + keys.size() + (keys.size() == 1 ? " key that looks" : " keys that look") + " like a secret from "
                + "the dump: " + listed(keys) + ". The dump does not hold " + (keys.size() == 1 ? "its value" : "their values")
                + "; --include-secrets writes " + (keys.size() == 1 ? "it" : "them")
                + ", and a value that is a ${secret:NAME} reference to the secrets file is always written");
    }

    /** The keys a dump withheld, as messages name them: the first ten, then how many more the meta file lists. */
    static String listed(List<String> keys) {
        String shown = String.join(", ", keys.subList(0, Math.min(keys.size(), WITHHELD_SHOWN)));
        return keys.size() > WITHHELD_SHOWN ? shown + " and " + (keys.size() - WITHHELD_SHOWN) + " more (all in the meta file)" : shown;
    }

    private static void result(JsonOutput output, ExportResult result) throws IOException {
        output.startObject();
        output.field("written", result.written());
        output.field("dump", result.dump().toString());
        output.field("meta", result.meta().toString());
        output.field("latest", result.latest().toString());
        output.field("rows", result.details().rows());
        output.field("bytes", result.details().bytes());
        output.field("sha256", result.details().sha256());
        output.field("source", result.details().source());
        output.field("storeRevision", result.details().storeRevision());
        output.field("startedAt", result.details().startedAt());
        output.field("finishedAt", result.details().finishedAt());
        output.field("secrets", result.details().secretsIncluded() ? "included" : "withheld");
        output.startArray("withheldKeys");
        for (String key : result.details().withheldKeys()) {
            output.generator().writeString(key);
        }
        output.endArray();
        output.startArray("removed");
        for (Path removed : result.removed()) {
            output.generator().writeString(removed.toString());
        }
        output.endArray();
        output.endObject();
    }

    /** A path as typed, with a leading {@code ~} meaning the home folder (the shell does not expand {@code --dir=~/x}). */
    Path path(String text) {
        return root().path(text);
    }
}
