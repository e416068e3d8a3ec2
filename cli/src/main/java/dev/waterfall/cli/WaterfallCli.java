package dev.waterfall.cli;

import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.Echo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The {@code waterfall} command: reads and writes an application's configuration from a shell or a
 * script. The subcommands are the classes listed in {@link #COMMANDS}; adding one is a new class
 * and one line there.
 *
 * <p>The options here apply to every subcommand and are accepted before or after it
 * ({@code waterfall --json get port} and {@code waterfall get port --json} are the same).
 */
@Command(name = "waterfall",
        mixinStandardHelpOptions = true,
        versionProvider = WaterfallCli.Version.class,
        scope = ScopeType.INHERIT,
        sortOptions = false,
        usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "COMMAND",
        description = {
            "Reads and writes an application's configuration: environment variable > the user's store > "
                    + "system file > defaults, each value with where it came from. Writes go to the store only, "
                    + "locked, atomic and durable.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:ok",
            " 1:not found: the key has no value in any layer (get, explain)",
            " 2:usage: bad option or argument, invalid key, value or store URI, or a key that would be "
                    + "both a value and a table",
            " 3:store broken, unreadable or unreachable (see `waterfall doctor`; `waterfall backups restore` "
                    + "repairs a broken file)",
            " 4:conflict: --if-revision did not match, another writer changed the key; re-read and retry",
            " 5:verification failed: after import or migrate the target differs from the source (the "
                    + "differences are printed)",
            "70:internal error: a bug; run again with --verbose and report the stack trace",
        },
        footerHeading = "%nStore and environment:%n",
        footer = {
            "The store is --store URI, else $<PREFIX>_STORE, else the default JSON file:",
            "  $XDG_CONFIG_HOME/<app>/config.json, else ~/.config/<app>/config.json (Linux),",
            "  ~/Library/Application Support/<app>/config.json (macOS),",
            "  %%APPDATA%%\\<app>\\config.json (Windows).",
            "<PREFIX>_<KEY> overrides KEY: upper-cased, other characters as '_', so",
            "  WATERFALL_SERVER_PORT overrides server.port of app waterfall.",
        })
public final class WaterfallCli implements Callable<Integer> {

    /**
     * The subcommands, in the order {@code --help} lists them. Adding a command is a new class (a
     * {@link WaterfallCommand} annotated with {@code @Command(name = ...)}) and one line here.
     */
    static final List<Class<?>> COMMANDS = List.of(
            GetCommand.class,
            SetCommand.class,
            UnsetCommand.class,
            ListCommand.class,
            ExplainCommand.class,
            HistoryCommand.class,
            UndoCommand.class,
            WatchCommand.class,
            BackupsCommand.class,
            DoctorCommand.class,
            SchemaCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            MigrateCommand.class,
            SecretCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /**
     * The global options that take a value: the subcommand lookup of
     * {@link #commandLine(World, String...)} skips their values, and {@link QuickGet} reads them.
     */
    static final Set<String> OPTIONS_WITH_VALUE = Set.of("--app", "--store", "--defaults", "--system-file", "--env-prefix",
            "--schema", "--profile");

    /** The application name used when {@code --app} is not given. */
    static final String DEFAULT_APP = "waterfall";

    /** Which program or part of one the command's writes are recorded as. */
    static final String SURFACE = "cli";

    @Spec
    CommandSpec spec;

    @Option(names = "--app", paramLabel = "NAME", scope = ScopeType.INHERIT, order = 1,
            description = "The application whose configuration to use; picks the default store folder and the "
                    + "environment prefix (my-app reads MY_APP_*). Default: " + DEFAULT_APP + ".")
    String app = DEFAULT_APP;

    @Option(names = "--store", paramLabel = "URI", scope = ScopeType.INHERIT, order = 2, completionCandidates = StoreSchemes.class,
            description = "The user's store: json:PATH, or any scheme an installed backend handles, or a file path "
                    + "whose extension picks the format. Default: <PREFIX>_STORE, else the default JSON file.")
    String store;

    @Option(names = "--defaults", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 3,
            description = "The application's shipped defaults (read, never written), the lowest layer.")
    String defaults;

    @Option(names = "--system-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 4,
            description = "The read-only system file, e.g. /etc/<app>/config.json, between the store and the "
                    + "defaults. A missing file is an empty layer.")
    String systemFile;

    @Option(names = "--env-prefix", paramLabel = "PREFIX", scope = ScopeType.INHERIT, order = 5,
            description = "The environment prefix, when the application sets its own. Default: from the app name.")
    String envPrefix;

    @Option(names = "--schema", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 5,
            description = "The application's settings schema (JSON Schema, draft 2020-12): set refuses a value it rejects "
                    + "(exit 2), doctor checks every layer against it, explain shows what it says of the key. "
                    + "Default: <PREFIX>_SCHEMA.")
    String schema;

    @Option(names = "--profile", paramLabel = "NAMES", scope = ScopeType.INHERIT, order = 5,
            description = "The active profiles, comma-separated, the last winning (docs/references.md): a profile's values "
                    + "(%%NAME.KEY keys in any layer, config.NAME.json beside the store or the system file) win over the "
                    + "layer's own. set and unset write KEY of the last one named. Default: <PREFIX>_PROFILE.")
    String profile;

    @Option(names = "--json", scope = ScopeType.INHERIT, order = 6,
            description = "Print the result as JSON (value, type, origin, revision and more).")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, order = 7,
            description = "Print the stack trace of an error, after its one-line message.")
    boolean verbose;

    private final World world;
    private CliSecrets secrets; // the secrets file of the configuration opened last, opened only when used
    /** Texts no message may show: values given for keys that look like secrets, and secret variables' values. */
    private final Set<String> sensitive = new java.util.LinkedHashSet<>();

    /** A command that runs in {@code world}. */
    public WaterfallCli(World world) {
        this.world = world;
    }

    /**
     * Runs {@code waterfall} with the real environment, home and clock, printing UTF-8 whatever the
     * locale says, and exits with its exit code.
     */
    public static void main(String[] args) {
        System.exit(run(World.current(),
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true),
                args));
    }

    /**
     * Runs {@code waterfall args} in {@code world}, printing to {@code out} and {@code err}, and
     * returns the exit code: a plain {@code get KEY} through {@link QuickGet}, which skips building
     * picocli's model, anything else through {@link #commandLine(World, String...)}.
     */
    static int run(World world, PrintWriter out, PrintWriter err, String... args) {
        OptionalInt quick = QuickGet.run(world, out, err, args);
        if (quick.isPresent()) {
            return quick.getAsInt();
        }
        CommandLine commandLine = commandLine(world, args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }

    /**
     * The command line of {@code waterfall} in {@code world}, with every subcommand, its exit codes
     * and one-line error messages wired in. Set its out and err writers, then {@code execute} it.
     */
    public static CommandLine commandLine(World world) {
        return build(world, COMMANDS);
    }

    /**
     * The command line for running {@code args}: as {@link #commandLine(World)}, but when
     * {@code args} name a subcommand, only that one is built. Building picocli's model of every
     * command (each with a copy of the global options) is most of the start-up time of a one-shot
     * command such as {@code waterfall get KEY}; parsing, help and errors are the same, since a
     * command line that names no known subcommand gets them all.
     */
    public static CommandLine commandLine(World world, String... args) {
        String named = subcommandIn(args);
        if ("help".equals(named)) {
            return build(world, COMMANDS); // `help COMMAND` needs every command
        }
        for (Class<?> command : COMMANDS) {
            if (command.getAnnotation(Command.class).name().equals(named)) {
                return build(world, List.of(command));
            }
        }
        return build(world, COMMANDS);
    }

    /** The first argument that is not a global option or its value: the subcommand's name, or null. */
    private static String subcommandIn(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                return null;
            }
            if (!arg.startsWith("-")) {
                return arg;
            }
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            }
        }
        return null;
    }

    private static CommandLine build(World world, List<Class<?>> commands) {
        WaterfallCli root = new WaterfallCli(world);
        CommandLine commandLine = new CommandLine(root);
        for (Class<?> command : commands) {
            commandLine.addSubcommand(command);
        }
        commandLine.setExitCodeExceptionMapper(new ExitCodes());
        Failures failures = new Failures(root);
        commandLine.setExecutionExceptionHandler(failures);
        commandLine.setParameterExceptionHandler(failures);
        return commandLine;
    }

    /** {@code waterfall} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    World world() {
        return world;
    }

    /**
     * Opens the configuration the options describe, as surface {@value #SURFACE}. The caller closes it.
     */
    Waterfall open() {
        return open(SecretPolicy.refuseSecrets());
    }

    /** As {@link #open()}, letting plaintext stores write the keys that look like secrets that {@code secrets} allows. */
    Waterfall open(SecretPolicy secrets) {
        Waterfall.Builder builder = Waterfall.builder(app)
                .environment(world.environment())
                .home(world.home())
                .operatingSystem(world.osName())
                .clock(world.clock())
                .surface(SURFACE)
                .plaintextSecrets(secrets)
                .secrets(this.secrets = new CliSecrets(world));
        if (envPrefix != null) {
            builder.envPrefix(envPrefix);
        }
        if (store != null) {
            builder.store(store);
        }
        if (systemFile != null) {
            builder.systemFile(path(systemFile));
        }
        if (defaults != null) {
            builder.defaultsFile(path(defaults));
        }
        if (schema != null) {
            builder.schema(path(schema));
        }
        if (profile != null) {
            builder.profiles(profiles().toArray(String[]::new));
        }
        Waterfall opened = builder.open();
        this.secrets.attach(opened);
        for (java.util.Map.Entry<String, String> variable : world.environment().entrySet()) {
            if (opened.looksSecretVariable(variable.getKey()) || variable.getKey().equals(this.secrets.passphraseVariable())) {
                sensitive(variable.getValue());
            }
        }
        return opened;
    }

    /**
     * The shortest registered secret that {@link #scrub} replaces. Scrubbing is the net under the
     * rule that no message is built with a secret's value: a shorter text ("wrong", "8080") is as
     * likely a word of the message itself, which replacing would garble.
     */
    private static final int SCRUBBED_LENGTH = 8;

    /** Registers a text that no message may show (a secret's value): {@link #scrub} replaces it. */
    void sensitive(String text) {
        if (text != null && text.strip().length() >= SCRUBBED_LENGTH) {
            sensitive.add(text);
        }
    }

    /**
     * A message as the terminal may get it: every {@linkplain #sensitive registered secret} in it
     * replaced by {@code <redacted>}, control characters escaped ({@link Echo#controls}), on one line.
     */
    String scrub(String message) {
        String scrubbed = message;
        for (String secret : sensitive) {
            scrubbed = scrubbed.replace(secret, SecretDisplay.REDACTED);
            String quoted = new dev.waterfall.config.StringValue(secret).toJson();
            scrubbed = scrubbed.replace(quoted.substring(1, quoted.length() - 1), SecretDisplay.REDACTED);
        }
        return Echo.controls(oneLine(scrubbed));
    }

    /** The secrets file of the configuration {@link #open} opened last. */
    CliSecrets secrets() {
        if (secrets == null) {
            throw new IllegalStateException("open() first");
        }
        return secrets;
    }

    /** A path as typed, with a leading {@code ~} meaning the home directory (the shell does not expand {@code --opt=~/x}). */
    private Path path(String text) {
        if (text.equals("~")) {
            return world.home();
        }
        if (text.startsWith("~/")) {
            return world.home().resolve(text.substring(2));
        }
        return Path.of(text);
    }

    /** The profiles {@code --profile} names, in order; empty without the option. */
    List<String> profiles() {
        if (profile == null) {
            return List.of();
        }
        return java.util.Arrays.stream(profile.split(",")).map(String::strip).filter(name -> !name.isEmpty()).toList();
    }

    /**
     * {@code key} as a write of this command line stores it: in the last profile {@code --profile}
     * names ({@code %dev.server.port}), else as it is. {@code <PREFIX>_PROFILE} alone never redirects a write.
     */
    dev.waterfall.config.Key writtenKey(dev.waterfall.config.Key key) {
        List<String> named = profiles();
        return named.isEmpty() || key.profile().isPresent() ? key : key.inProfile(named.get(named.size() - 1));
    }

    /** Where the store came from, for {@code doctor}: the option, the variable, or the default. */
    String storeChoice(Waterfall waterfall) {
        if (store != null) {
            return "--store";
        }
        String variable = waterfall.storeVariable();
        String fromEnv = world.environment().get(variable);
        return fromEnv != null && !fromEnv.isBlank() ? variable : "the default";
    }

    /** An error message on one line, whatever the exception put in it. */
    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * {@code waterfall --version}. Picocli asks for it whenever it builds the command line (the
     * subcommands inherit it), so it stays cheap: the jar's manifest, which the class loader has
     * read already, and {@code version.properties} only where there is no manifest (a module or
     * class folder).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            String version = WaterfallCli.class.getPackage().getImplementationVersion();
            if (version == null) {
                Properties properties = new Properties();
                try (InputStream in = WaterfallCli.class.getResourceAsStream("version.properties")) {
                    if (in != null) {
                        properties.load(in);
                    }
                }
                version = properties.getProperty("version", "(unknown version)");
            }
            return new String[] {
                "waterfall ".concat(version),
                String.join("", "Java ", System.getProperty("java.version"), " (", System.getProperty("java.vm.name"), ")"),
            };
        }
    }
}
