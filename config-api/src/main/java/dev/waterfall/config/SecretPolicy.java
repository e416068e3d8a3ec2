package dev.waterfall.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which secrets a plaintext store may hold (docs/secrets.md). The JSON, TOML and NDJSON stores
 * are files that people open, editors back up, sync tools copy and dumps repeat, so they refuse to
 * write a key that {@linkplain #looksSecret looks like a secret} unless this policy allows that key.
 * The default policy allows none: give a secret through the environment (the waterfall's top layer,
 * {@code <PREFIX>_DB_PASSWORD} for {@code db.password}) or keep it in a database store, or allow the
 * key explicitly with {@link Waterfall.Builder#plaintextSecrets}.
 *
 * <p>A key looks like a secret by its path, split into lower-case words at {@code .}, {@code _},
 * {@code -}, any other character that is not a letter or digit (in a quoted segment,
 * {@code "api key"}) and lower-to-upper case changes, and by its last word:
 * <ul>
 * <li>a secret word: {@code password}, {@code passwd}, {@code pwd}, {@code passphrase}, {@code secret},
 *     {@code token}, {@code apikey}, {@code credential} or {@code credentials} ({@code db.password},
 *     {@code github.token}, {@code client_secret});</li>
 * <li>a word run together that ends in one of them: {@code password}, {@code passwd}, {@code passphrase},
 *     {@code secret}, {@code token}, {@code credential(s)} ({@code x.authtoken}, {@code dbpassword},
 *     {@code clientsecret}), or one of {@code privatekey}, {@code secretkey}, {@code accesskey},
 *     {@code signingkey}, {@code encryptionkey}, {@code authkey}, {@code masterkey}, {@code privkey};</li>
 * <li>{@code key} after {@code api}, {@code private}, {@code priv}, {@code access}, {@code secret},
 *     {@code signing}, {@code encryption}, {@code auth} or {@code master}, in the same segment or the one
 *     before ({@code stripe.api_key}, {@code apiKey}, {@code private-key}, {@code api.key}).</li>
 * </ul>
 * Names that only mention one ({@code password_min_length}, {@code max_tokens}, {@code secret.path},
 * {@code token.ttl}) do not look like secrets, nor do words that merely end in the letters of
 * {@code key} ({@code monkey}, {@code hotkey}, {@code keyboard.layout}, {@code sort_key}). The
 * command line redacts the values of such keys wherever it prints values (docs/secrets.md).
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretPolicy {

    private static final Set<String> SECRET_WORDS = Set.of("password", "passwd", "pwd", "passphrase", "secret", "token", "apikey",
            "credential", "credentials");
    /** What a word run together may end in and still name a secret: {@code authtoken}, {@code dbpassword}, {@code clientsecret}. */
    private static final List<String> SECRET_ENDINGS = List.of("password", "passwd", "passphrase", "secret", "token", "credential",
            "credentials");
    private static final Set<String> KEY_WORDS = Set.of("privatekey", "secretkey", "accesskey", "signingkey", "encryptionkey", "authkey",
            "masterkey", "privkey");
    private static final Set<String> BEFORE_KEY = Set.of("api", "private", "priv", "access", "secret", "signing", "encryption", "auth",
            "master");

    private final boolean allowAll;
    private final Set<Key> allowed;

    private SecretPolicy(boolean allowAll, Set<Key> allowed) {
        this.allowAll = allowAll;
        this.allowed = allowed;
    }

    /** The default: no key that looks like a secret is written to a plaintext store. */
    public static SecretPolicy refuseSecrets() {
        return new SecretPolicy(false, Set.of());
    }

    /** Allows these keys in plaintext stores (and refuses every other key that looks like a secret). */
    public static SecretPolicy allowing(Collection<Key> keys) {
        return new SecretPolicy(false, Set.copyOf(keys));
    }

    /** Allows every key in plaintext stores, e.g. for a migration that must copy a store as it is. */
    public static SecretPolicy allowingAll() {
        return new SecretPolicy(true, Set.of());
    }

    /** Whether {@code key}'s name says it holds a secret (see the class comment for the rule). */
    public static boolean looksSecret(Key key) {
        return looksSecretName(key.path());
    }

    /**
     * {@link #looksSecret(Key)} of the key path in {@code ascii[start, end)}, without making a
     * {@link Key}: for tools that see millions of keys as bytes (exports). Almost every key is
     * answered by comparing its last few bytes.
     *
     * @param ascii the UTF-8 bytes of a valid key path from {@code start} to {@code end} (ASCII but for quoted segments)
     */
    public static boolean looksSecret(byte[] ascii, int start, int end) {
        if (!endsInSecretWord(ascii, start, end)) {
            return false;
        }
        return looksSecretName(new String(ascii, start, end - start, StandardCharsets.UTF_8));
    }

    /**
     * Whether the text ends (any case, before any trailing {@code _} or {@code -}) in the letters
     * that a secret's name ends in: true of every path {@link #looksSecretName} says yes to.
     */
    private static boolean endsInSecretWord(byte[] ascii, int start, int end) {
        int last = end;
        while (last > start && ascii[last - 1] >= 0 && !Character.isLetterOrDigit(ascii[last - 1])) {
            last--; // '_', '-', and the closing quote of a quoted segment ("api key")
        }
        if (last == start) {
            return false;
        }
        if (ascii[last - 1] < 0) {
            return true; // beyond ASCII (in a quoted segment): the full rule decides
        }
        // SECRET_WORDS and "key" (which "apikey" ends in too), by their last letter: most keys are told
        // apart by their last byte alone (a digit, or a letter no such word ends in).
        return switch (lower(ascii[last - 1])) {
            case 'd' -> endsWith(ascii, start, last, "password") || endsWith(ascii, start, last, "passwd")
                    || endsWith(ascii, start, last, "pwd");
            case 'e' -> endsWith(ascii, start, last, "passphrase");
            case 't' -> endsWith(ascii, start, last, "secret");
            case 'n' -> endsWith(ascii, start, last, "token");
            case 'l' -> endsWith(ascii, start, last, "credential");
            case 's' -> endsWith(ascii, start, last, "credentials");
            case 'y' -> endsWith(ascii, start, last, "key");
            default -> false;
        };
    }

    private static boolean endsWith(byte[] ascii, int start, int end, String lowerCaseWord) {
        if (end - start < lowerCaseWord.length()) {
            return false;
        }
        for (int i = lowerCaseWord.length() - 1, at = end - 1; i >= 0; i--, at--) {
            if (lower(ascii[at]) != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lower(byte c) {
        return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
    }

    private static boolean looksSecretName(String path) {
        List<String> words = words(path);
        if (words.isEmpty()) {
            return false;
        }
        String last = words.get(words.size() - 1);
        if (SECRET_WORDS.contains(last) || KEY_WORDS.contains(last)) {
            return true;
        }
        for (String ending : SECRET_ENDINGS) {
            if (last.endsWith(ending)) {
                return true;
            }
        }
        return last.equals("key") && words.size() >= 2 && BEFORE_KEY.contains(words.get(words.size() - 2));
    }

    /** The lower-case words of a key path: split at {@code .}, {@code _}, {@code -} and where a lower-case letter or digit meets an upper-case one. */
    private static List<String> words(String segment) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean boundary = !Character.isLetterOrDigit(c); // '.', '_', '-', and a quoted segment's quotes, spaces, ...
            if (!boundary && Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(segment.charAt(i - 1)) && word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
            }
            if (boundary) {
                if (word.length() > 0) {
                    words.add(word.toString().toLowerCase(Locale.ROOT));
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** Secret names: as key segments are. */
    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("\\$\\{secret:([A-Za-z0-9_.-]+)}");

    /**
     * The name of the secret {@code value} refers to, if it is a reference: a string that is exactly
     * {@code ${secret:NAME}}, {@code NAME} made of ASCII letters, digits, {@code _}, {@code .} and {@code -}.
     */
    public static Optional<String> reference(Value value) {
        if (value instanceof StringValue string) {
            java.util.regex.Matcher matcher = REFERENCE.matcher(string.value());
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
        }
        return Optional.empty();
    }

    /** Whether a plaintext store may write {@code key} under this policy. */
    public boolean allowsInPlaintext(Key key) {
        return allowAll || !looksSecret(key) || allowed.contains(key);
    }

    /**
     * Refuses a write of {@code value} to {@code key} in the plaintext store {@code store} unless this
     * policy allows the key or the value is a {@linkplain #reference reference} to a secret.
     *
     * @param store the store, as it should be printed (its file)
     * @throws InvalidValueException naming the key and the store, and saying what to do instead
     */
    public void checkPlaintext(Key key, Value value, String store) {
        if (!allowsInPlaintext(key) && reference(value).isEmpty()) {
            throw new InvalidValueException("refusing to write " + key + " to " + store + ": the key looks like a secret, and a plaintext "
                    + "store is read by people, backups and sync tools. Keep the secret in the keyring or the secrets file (`waterfall secret set "
                    + "NAME`) and set the key to \"${secret:NAME}\", give it through the environment (`waterfall explain " + key
                    + "` names the variable) or keep it in a database store; to store it in this file anyway, allow the key explicitly "
                    + "(`waterfall set --plaintext-secret`, or Waterfall.builder(...).plaintextSecrets(...) in code)");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SecretPolicy policy && policy.allowAll == allowAll && policy.allowed.equals(allowed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allowAll, allowed);
    }

    @Override
    public String toString() {
        return allowAll ? "SecretPolicy[all allowed]" : "SecretPolicy[allowed " + allowed + "]";
    }
}
