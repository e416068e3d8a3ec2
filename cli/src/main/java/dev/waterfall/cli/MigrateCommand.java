package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.StoreUri;
import dev.waterfall.config.Waterfall;
import dev.waterfall.export.CopyOptions;
import dev.waterfall.export.CopyResult;
import dev.waterfall.export.ExportProgress;
import dev.waterfall.export.Migration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code waterfall migrate --from URI --to URI}: copies a whole store into another.
 */
@Command(name = "migrate",
        description = {
            "Copies every entry of one store into another (any kinds: json, toml, sqlite, postgresql) and then compares "
                    + "them entry by entry. Into a store never written the entries keep their types, revisions, times and "
                    + "authors, with the history where both keep one; into a store that holds entries only with --merge or "
                    + "--replace. Running it again changes nothing. --dry-run prints the plan.",
        })
final class MigrateCommand extends WaterfallCommand {

    @Option(names = "--from", paramLabel = "URI", description = "The store to copy. Default: the store (--store, <PREFIX>_STORE or the default file).")
    String from;

    @Option(names = "--to", paramLabel = "URI", required = true, description = "The store to copy into.")
    String to;

    @Mixin
    CopyOutput.Options options;

    @Override
    SecretPolicy secretPolicy() {
        return options.plaintextSecrets ? SecretPolicy.allowingAll() : SecretPolicy.refuseSecrets();
    }

    @Override
    public Integer call() {
        try (Waterfall waterfall = open()) {
            ConfigStore source = from == null ? waterfall.store() : waterfall.openStore(StoreUri.parse(from));
            try (ConfigStore target = waterfall.openStore(StoreUri.parse(to))) {
                ExportProgress progress = TerminalProgress.of(this, options.progress, "migrating");
                CopyOptions copy = CopyOptions.DEFAULTS.withMode(options.mode(this)).withDryRun(options.dryRun).withProgress(progress);
                CopyResult result;
                try {
                    result = Migration.migrate(source, target, copy);
                } finally {
                    TerminalProgress.clear(progress);
                }
                return CopyOutput.report(this, result, "migrated");
            } finally {
                if (source != waterfall.store()) {
                    source.close();
                }
            }
        }
    }
}
