package dev.waterfall.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.waterfall.config.InvalidValueException;
import dev.waterfall.config.SecretSource;
import dev.waterfall.config.StoreBrokenException;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.WaterfallException;
import dev.waterfall.file.AtomicFile;
import dev.waterfall.file.FileLocks;
import dev.waterfall.file.FileOps;
import dev.waterfall.file.StoreFiles;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Secrets kept in one encrypted file (docs/secrets.md), for values that refer to them as
 * {@code ${secret:NAME}}. The file is JSON with the parameters in the clear and the secrets
 * encrypted together with AES-256-GCM, under a key derived from a passphrase with
 * PBKDF2-HMAC-SHA256 and {@value #ITERATIONS} iterations (OWASP's figure) and a random salt:
 *
 * <pre>
 * {"format":"waterfall-secrets","version":1,"kdf":"PBKDF2-HMAC-SHA256","iterations":600000,"salt":"…",
 *  "cipher":"AES-256-GCM","nonce":"…","ciphertext":"…"}
 * </pre>
 *
 * Everything but the nonce and ciphertext is authenticated as associated data, so no parameter can
 * be changed unseen. A write takes the lock ({@code <file>.lock}), decrypts what is there (so a
 * wrong passphrase never overwrites the secrets), and replaces the file atomically and durably with
 * a fresh nonce; the file is created 0600. The derived key is kept for the salt it was derived for,
 * so one instance pays for the derivation (a fraction of a second) once.
 *
 * <p>Thread-safe.
 */
public final class SecretFile implements SecretSource {

    /** PBKDF2 iterations for new files: OWASP's recommendation for PBKDF2-HMAC-SHA256. */
    public static final int ITERATIONS = 600_000;

    private static final String FORMAT = "waterfall-secrets";
    private static final int VERSION = 1;
    private static final String KDF = "PBKDF2-HMAC-SHA256";
    private static final String CIPHER = "AES-256-GCM";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Path file;
    private final char[] passphrase;
    /** 0600: only the owner reads the secrets file. */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.util.Set.copyOf(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    private final FileOps ops;
    private final FileLocks locks;
    private final JsonFactory json = new JsonFactory();
    private final SecureRandom random = new SecureRandom();
    private byte[] keySalt; // guarded by this: the salt the key was derived for
    private SecretKey key;

    private SecretFile(Path file, char[] passphrase, FileOps ops, FileLocks locks) {
        this.file = file.toAbsolutePath().normalize();
        this.passphrase = passphrase.clone();
        this.ops = ops;
        this.locks = locks;
    }

    /**
     * The secrets file at {@code file}, opened with {@code passphrase} (copied). Nothing is read or
     * created until it is used.
     *
     * @throws IllegalArgumentException if the passphrase is empty
     */
    public static SecretFile open(Path file, char[] passphrase) {
        Objects.requireNonNull(file, "file");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("an empty passphrase protects nothing");
        }
        return new SecretFile(file, passphrase, FileOps.real(), new FileLocks());
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public Optional<String> secret(String name) {
        return Optional.ofNullable(read().get(name));
    }

    /** The names of the secrets held, sorted. */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(read().keySet()));
    }

    /**
     * Sets the secret {@code name} to {@code value}, durably.
     *
     * @throws IllegalArgumentException if the name is not made of ASCII letters, digits, {@code _}, {@code .} and {@code -}
     */
    public void set(String name, String value) {
        checkName(name);
        Objects.requireNonNull(value, "value");
        change(secrets -> secrets.put(name, value));
    }

    /** Removes the secret {@code name}; whether it was there. */
    public boolean unset(String name) {
        checkName(name);
        boolean[] removed = {false};
        change(secrets -> removed[0] = secrets.remove(name) != null);
        return removed[0];
    }

    private static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret's name is ASCII letters, digits, '_', '.' and '-', not \"" + name + "\"");
        }
    }

    // ---------------------------------------------------------------- reading

    /** The secrets, decrypted; empty if there is no file. */
    private Map<String, String> read() {
        byte[] bytes;
        try {
            bytes = ops.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot read the secrets file " + file + ": " + dev.waterfall.config.spi.Echo.cause(e), e);
        }
        return decrypt(parse(bytes));
    }

    /** The parameters and ciphertext of a file. */
    private record Sealed(int iterations, byte[] salt, byte[] nonce, byte[] ciphertext) {
    }

    private Map<String, String> decrypt(Sealed sealed) {
        byte[] plain;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(sealed.salt(), sealed.iterations()), new GCMParameterSpec(128, sealed.nonce()));
            cipher.updateAAD(associatedData(sealed.iterations(), sealed.salt()));
            plain = cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new WaterfallException("cannot open the secrets file " + file + ": the passphrase is wrong, or the file was changed "
                    + "or damaged; nothing was read or written", e);
        } catch (GeneralSecurityException e) {
            throw new WaterfallException("cannot decrypt the secrets file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parseSecrets(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private Sealed parse(byte[] bytes) {
        String format = null;
        int version = -1;
        int iterations = -1;
        byte[] salt = null;
        byte[] nonce = null;
        byte[] ciphertext = null;
        String kdf = null;
        String cipher = null;
        try (JsonParser parser = json.createParser(bytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw broken("it is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "format" -> format = parser.getValueAsString();
                    case "version" -> version = parser.getValueAsInt(-1);
                    case "kdf" -> kdf = parser.getValueAsString();
                    case "iterations" -> iterations = parser.getValueAsInt(-1);
                    case "salt" -> salt = base64(parser.getValueAsString(), "salt");
                    case "cipher" -> cipher = parser.getValueAsString();
                    case "nonce" -> nonce = base64(parser.getValueAsString(), "nonce");
                    case "ciphertext" -> ciphertext = base64(parser.getValueAsString(), "ciphertext");
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw broken("it is not JSON (" + e.getMessage() + ")");
        }
        if (!FORMAT.equals(format) || version != VERSION) {
            throw broken("it is not a version " + VERSION + " " + FORMAT + " file");
        }
        if (!KDF.equals(kdf) || !CIPHER.equals(cipher) || iterations < 100_000 || salt == null || salt.length < 16 || nonce == null
                || nonce.length != 12 || ciphertext == null) {
            throw broken("its parameters are not " + KDF + " (at least 100,000 iterations, a 16-byte salt) and " + CIPHER);
        }
        return new Sealed(iterations, salt, nonce, ciphertext);
    }

    private byte[] base64(String text, String field) {
        try {
            return text == null ? null : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw broken("its " + field + " is not base64");
        }
    }

    private StoreBrokenException broken(String problem) {
        return new StoreBrokenException(file.toString(), 0, 0, "not a secrets file: " + problem + "; restore it from a backup, or move it "
                + "aside to start a new one");
    }

    private Map<String, String> parseSecrets(byte[] plain) {
        Map<String, String> secrets = new TreeMap<>();
        try (JsonParser parser = json.createParser(plain)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw broken("its content is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                if (parser.nextToken() != JsonToken.VALUE_STRING) {
                    throw broken("the secret " + name + " is not text");
                }
                secrets.put(name, parser.getText());
            }
        } catch (IOException e) {
            throw broken("its content is not JSON");
        }
        return secrets;
    }

    private synchronized SecretKey key(byte[] salt, int iterations) throws GeneralSecurityException {
        if (key == null || !Arrays.equals(keySalt, salt)) {
            PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
            try {
                byte[] derived = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
                key = new SecretKeySpec(derived, "AES");
                Arrays.fill(derived, (byte) 0);
                keySalt = salt.clone();
            } finally {
                spec.clearPassword();
            }
        }
        return key;
    }

    private static byte[] associatedData(int iterations, byte[] salt) {
        return (FORMAT + "\n" + VERSION + "\n" + KDF + "\n" + iterations + "\n" + Base64.getEncoder().encodeToString(salt) + "\n" + CIPHER)
                .getBytes(StandardCharsets.US_ASCII);
    }

    // ---------------------------------------------------------------- writing

    /**
     * The fewest characters of a passphrase that a new secrets file is made with. The passphrase is
     * all that protects the file from whoever gets a copy of it (a backup, a synced folder), who can
     * try passphrases offline at leisure: 600,000 PBKDF2 rounds make each guess cost, but every
     * passphrase of a few characters is still guessed within days on one GPU. Twelve characters of
     * words or random letters put that beyond reach. A file made before keeps opening with its own.
     */
    public static final int MIN_PASSPHRASE_LENGTH = 12;

    private void checkNewPassphrase() {
        if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
            throw new InvalidValueException("a passphrase of " + passphrase.length + " character" + (passphrase.length == 1 ? "" : "s")
                    + " is too short to protect a new secrets file: use at least " + MIN_PASSPHRASE_LENGTH + " characters (a few words "
                    + "will do), since whoever copies the file can try short passphrases offline until one fits; nothing was written");
        }
    }

    /** A change to the decrypted secrets. */
    @FunctionalInterface
    private interface SecretsChange {
        void apply(Map<String, String> secrets);
    }

    private void change(SecretsChange change) {
        try {
            StoreFiles.ensureFolder(ops, file.getParent());
            locks.withLock(StoreFiles.lockPath(file), Duration.ofSeconds(30), () -> {
                byte[] salt;
                int iterations;
                Map<String, String> secrets;
                try {
                    byte[] bytes = ops.readAllBytes(file);
                    Sealed sealed = parse(bytes);
                    secrets = decrypt(sealed); // a wrong passphrase stops here, before anything is written
                    salt = sealed.salt();
                    iterations = sealed.iterations();
                } catch (NoSuchFileException e) {
                    checkNewPassphrase();
                    secrets = new TreeMap<>();
                    salt = new byte[16];
                    random.nextBytes(salt);
                    iterations = ITERATIONS;
                }
                change.apply(secrets);
                AtomicFile.replace(ops, file, seal(secrets, salt, iterations), OWNER_ONLY); // 0600, even if it was made looser
                return null;
            });
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot write the secrets file " + file + ": " + dev.waterfall.config.spi.Echo.cause(e) + "; nothing was changed", e);
        }
    }

    private byte[] seal(Map<String, String> secrets, byte[] salt, int iterations) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (JsonGenerator generator = json.createGenerator(plain)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                generator.writeStringField(secret.getKey(), secret.getValue());
            }
            generator.writeEndObject();
        }
        byte[] nonce = new byte[12];
        random.nextBytes(nonce);
        byte[] plainBytes = plain.toByteArray();
        byte[] ciphertext;
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt, iterations), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData(iterations, salt));
            ciphertext = cipher.doFinal(plainBytes);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt: " + e.getMessage(), e);
        } finally {
            Arrays.fill(plainBytes, (byte) 0);
        }
        Base64.Encoder base64 = Base64.getEncoder();
        String text = "{\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + ",\"kdf\":\"" + KDF + "\",\"iterations\":" + iterations
                + ",\"salt\":\"" + base64.encodeToString(salt) + "\",\"cipher\":\"" + CIPHER + "\",\"nonce\":\"" + base64.encodeToString(nonce)
                + "\",\"ciphertext\":\"" + base64.encodeToString(ciphertext) + "\"}\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "SecretFile[" + file + "]";
    }
}
