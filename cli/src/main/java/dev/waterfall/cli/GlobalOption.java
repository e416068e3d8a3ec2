package dev.waterfall.cli;

/**
 * The global options of {@code waterfall}: the one table both ways of reading a command line use.
 * {@link WaterfallCli} declares each to picocli from here (name, label, help text, order, scope
 * {@code INHERIT}, so it is accepted before or after the subcommand), and {@link QuickGet}, which
 * reads a plain {@code get KEY} without building picocli's model, looks names up here. Adding a
 * global option is a constant here, a field of {@link WaterfallCli} for its value, and a case in
 * {@link #set}; both paths see it.
 *
 * <p>This class names no picocli type, so the quick path loads none.
 */
enum GlobalOption {
    APP("--app", "NAME", "The application whose configuration to use; picks the default store folder and the "
            + "environment prefix (my-app reads MY_APP_*). Default: " + WaterfallCli.DEFAULT_APP + "."),
    STORE("--store", "URI", "The user's store: json:PATH, or any scheme an installed backend handles, or a file path "
            + "whose extension picks the format. Default: <PREFIX>_STORE, else the default JSON file."),
    DEFAULTS("--defaults", "FILE", "The application's shipped defaults (read, never written), the lowest layer."),
    SYSTEM_FILE("--system-file", "FILE", "The read-only system file, e.g. /etc/<app>/config.json, between the store and the "
            + "defaults. A missing file is an empty layer."),
    ENV_PREFIX("--env-prefix", "PREFIX", "The environment prefix, when the application sets its own. Default: from the app name."),
    SCHEMA("--schema", "FILE", "The application's settings schema (JSON Schema, draft 2020-12): set refuses a value it rejects "
            + "(exit 2), doctor checks every layer against it, explain shows what it says of the key. "
            + "Default: <PREFIX>_SCHEMA."),
    PROFILE("--profile", "NAMES", "The active profiles, comma-separated, the last winning (docs/references.md): a profile's values "
            + "(%%NAME.KEY keys in any layer, config.NAME.json beside the store or the system file) win over the "
            + "layer's own. set and unset write KEY of the last one named. Default: <PREFIX>_PROFILE."),
    JSON("--json", null, "Print the result as JSON (value, type, origin, revision and more)."),
    VERBOSE("--verbose", null, "Print the stack trace of an error, after its one-line message.");

    /** The option's name as typed, e.g. {@code --store}. */
    final String optionName;
    /** The label of its value in help ({@code URI}), or null for a flag, which takes none. */
    final String paramLabel;
    /** Its help text. */
    final String description;

    GlobalOption(String optionName, String paramLabel, String description) {
        this.optionName = optionName;
        this.paramLabel = paramLabel;
        this.description = description;
    }

    /** Whether the option takes a value ({@code --store URI}); a flag ({@code --json}) does not. */
    boolean takesValue() {
        return paramLabel != null;
    }

    /** The option named {@code name} exactly (no {@code =value}), or null if there is no such global option. */
    static GlobalOption named(String name) {
        for (GlobalOption option : values()) {
            if (option.optionName.equals(name)) {
                return option;
            }
        }
        return null;
    }

    /** The value it starts with before a command line is read: {@code --app}'s default, false for a flag, else none. */
    Object initialValue() {
        return switch (this) {
            case APP -> WaterfallCli.DEFAULT_APP;
            case JSON, VERBOSE -> Boolean.FALSE;
            default -> null;
        };
    }

    /** Its value in {@code options}: a String, or a Boolean for a flag. */
    Object get(WaterfallCli options) {
        return switch (this) {
            case APP -> options.app;
            case STORE -> options.store;
            case DEFAULTS -> options.defaults;
            case SYSTEM_FILE -> options.systemFile;
            case ENV_PREFIX -> options.envPrefix;
            case SCHEMA -> options.schema;
            case PROFILE -> options.profile;
            case JSON -> options.json;
            case VERBOSE -> options.verbose;
        };
    }

    /** Sets it in {@code options}: {@code value} is the String given, or a Boolean for a flag. */
    void set(WaterfallCli options, Object value) {
        switch (this) {
            case APP -> options.app = (String) value;
            case STORE -> options.store = (String) value;
            case DEFAULTS -> options.defaults = (String) value;
            case SYSTEM_FILE -> options.systemFile = (String) value;
            case ENV_PREFIX -> options.envPrefix = (String) value;
            case SCHEMA -> options.schema = (String) value;
            case PROFILE -> options.profile = (String) value;
            case JSON -> options.json = (Boolean) value;
            case VERBOSE -> options.verbose = (Boolean) value;
        }
    }
}
