package dev.waterfall.cli;

import dev.waterfall.config.Waterfall;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.export.CopyOptions;
import dev.waterfall.export.CopyResult;
import dev.waterfall.export.ExportProgress;
import dev.waterfall.export.Migration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code waterfall import FILE}: loads a dump into the store.
 */
@Command(name = "import",
        description = {
            "Loads a dump written by `waterfall export` (csv, json or ndjson, by its extension) into the store. Every row "
                    + "is checked first, and the dump against its meta file when one is found (beside it; for "
                    + "latest_export.<ext>, the one with its SHA-256): nothing is written from a damaged dump. Into a new "
                    + "store the entries keep their revisions, times and authors, so exporting it again gives the same "
                    + "bytes; into a store that holds entries only with --merge or --replace. Afterwards the store is "
                    + "compared with the dump.",
        })
final class ImportCommand extends WaterfallCommand {

    @Parameters(paramLabel = "FILE", description = "The dump.")
    String file;

    @Option(names = "--format", paramLabel = "FORMAT", description = "csv, json or ndjson, when the file name does not say.")
    String format;

    @Mixin
    CopyOutput.Options options;

    @Override
    SecretPolicy secretPolicy() {
        return options.plaintextSecrets ? SecretPolicy.allowingAll() : SecretPolicy.refuseSecrets();
    }

    @Override
    public Integer call() {
        Path dump = Path.of(file);
        try (Waterfall waterfall = open()) {
            ExportProgress progress = TerminalProgress.of(this, options.progress, "importing");
            CopyOptions copy = CopyOptions.DEFAULTS.withMode(options.mode(this)).withDryRun(options.dryRun).withProgress(progress);
            CopyResult result;
            try {
                result = format == null ? Migration.importDump(dump, waterfall.store(), copy)
                        : Migration.importDump(dump, ExportCommand.format(this, format), waterfall.store(), copy);
            } finally {
                TerminalProgress.clear(progress);
            }
            return CopyOutput.report(this, result, "imported");
        }
    }
}
