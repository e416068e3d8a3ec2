package dev.waterfall.cli;

import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.spi.Echo;
import dev.waterfall.config.spi.StoreContext;
import dev.waterfall.secrets.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
 * <p>The global options ({@link GlobalOption}, one table that {@link QuickGet} reads too) apply to
 * every subcommand and are accepted before or after it ({@code waterfall --json get port} and
 * {@code waterfall get port --json} are the same).
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
            ServeCommand.class,
            BackupsCommand.class,
            DoctorCommand.class,
            SchemaCommand.class,
            ExportCommand.class,
            ImportCommand.class,
            MigrateCommand.class,
            SecretCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class);

    /** The application name used when {@code --app} is not given. */
    static final String DEFAULT_APP = "waterfall";

    /** Which program or part of one the command's writes are recorded as. */
    static final String SURFACE = "cli";

    @Spec
    CommandSpec spec;

    // The global options' values, declared to picocli (and read by QuickGet) from the table GlobalOption.
    String app = DEFAULT_APP;
    String store;
    String defaults;
    String systemFile;
    String envPrefix;
    String schema;
    String profile;
    boolean json;
    boolean verbose;

    private final World world;
    private Secrets secrets; // the secrets of the configuration opened last, opened only when used
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
            GlobalOption option = GlobalOption.named(arg);
            if (option != null && option.takesValue()) {
                i++;
            }
        }
        return null;
    }

    private static CommandLine build(World world, List<Class<?>> commands) {
        WaterfallCli root = new WaterfallCli(world);
        CommandSpec spec = CommandSpec.forAnnotatedObject(root);
        for (GlobalOption option : GlobalOption.values()) {
            spec.addOption(optionSpec(option, root)); // before the subcommands, which inherit them
        }
        CommandLine commandLine = new CommandLine(spec);
        for (Class<?> command : commands) {
            commandLine.addSubcommand(command);
        }
        commandLine.setExitCodeExceptionMapper(new ExitCodes());
        Failures failures = new Failures(root);
        commandLine.setExecutionExceptionHandler(failures);
        commandLine.setParameterExceptionHandler(failures);
        return commandLine;
    }

    /** Picocli's model of a global option of {@code root}, from its row of the table. */
    private static OptionSpec optionSpec(GlobalOption option, WaterfallCli root) {
        OptionSpec.Builder builder = OptionSpec.builder(option.optionName)
                .description(option.description)
                .scopeType(ScopeType.INHERIT)
                .order(option.ordinal() + 1)
                .initialValue(option.initialValue())
                .getter(new CommandLine.Model.IGetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T get() {
                        return (T) option.get(root);
                    }
                })
                .setter(new CommandLine.Model.ISetter() {
                    @Override
                    @SuppressWarnings("unchecked")
                    public <T> T set(T value) {
                        T old = (T) option.get(root);
                        option.set(root, value);
                        return old;
                    }
                });
        if (option.takesValue()) {
            builder.paramLabel(option.paramLabel).type(String.class);
        } else {
            builder.arity("0").type(boolean.class);
        }
        if (option == GlobalOption.STORE) {
            builder.completionCandidates(new StoreSchemes());
        }
        return builder.build();
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
        return open(secrets, SURFACE);
    }

    /** As {@link #open(SecretPolicy)}, its writes recorded as made by {@code surface} (the console's as "console"). */
    Waterfall open(SecretPolicy secrets, String surface) {
        Waterfall.Builder builder = Waterfall.builder(app)
                .environment(world.environment())
                .home(world.home())
                .operatingSystem(world.osName())
                .clock(world.clock())
                .surface(surface)
                .plaintextSecrets(secrets)
                .secrets((name, prefix, environment, folder) -> this.secrets = Secrets.of(name, prefix, environment, folder, World::askPassphrase));
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

    /** The secrets of the configuration {@link #open} opened last. */
    Secrets secrets() {
        if (secrets == null) {
            throw new IllegalStateException("open() first");
        }
        return secrets;
    }

    /** A path as typed, with a leading {@code ~} meaning the home directory (the shell does not expand {@code --opt=~/x}). */
    Path path(String text) {
        return StoreContext.resolvePath(text, world.home());
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
        return switch (waterfall.storeChoice()) {
            case GIVEN -> GlobalOption.STORE.optionName;
            case VARIABLE -> waterfall.storeVariable();
            case DEFAULT -> "the default";
        };
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
