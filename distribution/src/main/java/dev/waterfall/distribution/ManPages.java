package dev.waterfall.distribution;

import dev.waterfall.cli.WaterfallCli;
import dev.waterfall.cli.World;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

import java.io.File;
import java.io.IOException;

/**
 * Writes the man pages of {@code waterfall}, one AsciiDoc page per command and subcommand
 * ({@code waterfall.adoc}, {@code waterfall-get.adoc}, {@code waterfall-secret-set.adoc}, ...), from
 * the command model the tool itself parses with: picocli-codegen's {@link ManPageGenerator} over
 * {@link WaterfallCli#commandLine(World)}. A build-time tool, run by this module's build
 * (asciidoctor then turns the pages into roff); never part of the tarball.
 *
 * <p>Picocli's own command-line entry point for the generator instantiates a command class by its
 * annotations, which would miss the subcommands that {@link WaterfallCli} adds from its list, hence
 * this class. The {@link World} only feeds defaults shown in help, none of which depend on this
 * machine.
 */
public final class ManPages {

    private ManPages() {
    }

    /** {@code ManPages OUTPUT_DIR}: writes the pages into OUTPUT_DIR, made if missing. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ManPages OUTPUT_DIR");
        }
        File output = new File(args[0]);
        if (!output.isDirectory() && !output.mkdirs()) {
            throw new IOException("cannot make the folder " + output);
        }
        CommandLine waterfall = WaterfallCli.commandLine(World.current());
        int status = ManPageGenerator.generateManPage(output, null, new boolean[0], true, waterfall.getCommandSpec());
        if (status != 0) {
            throw new IOException("picocli's man page generator failed with status " + status + " writing into " + output);
        }
    }
}
