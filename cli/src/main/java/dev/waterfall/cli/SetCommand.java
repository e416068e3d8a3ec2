package dev.waterfall.cli;

import dev.waterfall.config.Change;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.Key;
import dev.waterfall.config.SecretPolicy;
import dev.waterfall.config.StringValue;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.config.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code waterfall set KEY VALUE}: writes one key to the user's store, durably. The value is a
 * JSON literal when it is one ({@code 8080}, {@code true}, {@code [1,2]}, {@code "text"},
 * {@code null}), otherwise the text itself, so a bare word needs no quotes; {@code --string}
 * takes the text as it is. {@code --if-revision} makes it a compare-and-set.
 */
@Command(name = "set",
        description = {
            "Sets KEY to VALUE in the user's store, locked, atomic and durable when the command returns.",
            "VALUE is read as a JSON literal (8080, 2.50, true, null, [1,2], \"text\"); anything else is taken as "
                    + "a string, so a bare word needs no quotes. --string takes VALUE as a string whatever it looks like.",
            "If an environment variable overrides KEY, the value is still stored and a warning says so.",
        })
final class SetCommand extends WaterfallCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "A dotted key, e.g. server.port.")
    String key;

    @Parameters(index = "1", paramLabel = "VALUE", description = "A JSON literal or a bare string.")
    String value;

    @Option(names = "--string", description = "Store VALUE as a string, even if it looks like a number, boolean or JSON.")
    boolean string;

    @Option(names = "--plaintext-secret",
            description = "Store KEY even though its name looks like a secret (password, token, api_key, ...) and the store is a "
                    + "plaintext file (JSON, TOML, NDJSON), which refuses such keys otherwise. Prefer an environment variable "
                    + "(`waterfall explain KEY` names it) or a database store.")
    boolean plaintextSecret;

    @Override
    SecretPolicy secretPolicy() {
        return plaintextSecret ? SecretPolicy.allowing(List.of(Key.of(key))) : SecretPolicy.refuseSecrets();
    }

    @Option(names = "--if-revision", paramLabel = "N",
            description = "Compare-and-set: write only if KEY is still at revision N (from `get --json`); 0 means "
                    + "KEY must be absent. Exits with 4 if another writer changed it.")
    Long ifRevision;

    @Override
    public Integer call() {
        Key parsed = root().writtenKey(Key.of(key));
        refuseUndecodable(value);
        boolean secret = SecretDisplay.secret(parsed);
        if (secret) {
            root().sensitive(value);
        }
        Value parsedValue;
        try {
            parsedValue = string ? new StringValue(value) : Value.parseLiteral(value);
        } catch (InvalidValueException e) {
            if (!secret) {
                throw e;
            }
            throw new InvalidValueException("the VALUE for " + parsed + " starts like JSON but is not valid JSON (the value is not "
                    + "shown: the key looks like a secret); fix it, or pass it as a string with --string");
        }
        Change.Put change = Change.set(parsed, parsedValue);
        if (ifRevision != null) {
            change = change.ifRevision(Revisions.expected(spec, ifRevision));
        }
        try (Waterfall waterfall = open()) {
            WriteResult result = waterfall.apply(change);
            result.warnings().forEach(this::warn);
            if (json()) {
                JsonOutput.write(out(), output -> {
                    output.startObject();
                    output.field("key", parsed.path());
                    output.field("changed", result.changed());
                    if (result.entry().isPresent()) {
                        SecretDisplay.valueFields(output, result.entry().get().value(), secret);
                        output.entryFields(result.entry().get());
                    }
                    output.startArray("warnings");
                    for (String warning : result.warnings()) {
                        output.generator().writeString(warning);
                    }
                    output.endArray();
                    output.endObject();
                });
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Refuses a value the JVM could not decode: under a locale that is not UTF-8 (the POSIX locale
     * of many containers) Java turns every non-ASCII character of an argument into U+FFFD, and
     * storing that would silently lose the text.
     */
    private void refuseUndecodable(String text) {
        String charset = root().world().argumentCharset();
        if (text.indexOf('\uFFFD') >= 0 && !charset.replace("-", "").equalsIgnoreCase("UTF8")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "VALUE has characters that Java could not "
                    + "decode with the locale's character set " + charset + "; run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 "
                    + "(the ./waterfall launcher does this itself)");
        }
    }
}
