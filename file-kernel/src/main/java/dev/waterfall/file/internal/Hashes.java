package dev.waterfall.file.internal;

import dev.waterfall.config.Value;
import dev.waterfall.config.engine.JsonValues;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 fingerprints of files and values. */
public final class Hashes {

    private Hashes() {
    }

    /** The SHA-256 of {@code bytes}, in lower-case hex. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    /** A 64-bit fingerprint of a value (type and canonical JSON), to notice values changed outside Waterfall. */
    public static String valueHash(Value value) {
        MessageDigest digest = digest();
        digest.update(value.type().label().getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(JsonValues.write(value, true).getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
