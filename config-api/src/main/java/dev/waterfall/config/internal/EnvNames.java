package dev.waterfall.config.internal;

import dev.waterfall.config.Key;

import java.util.Locale;

/**
 * The environment layer's naming rule: {@code <PREFIX>_<KEY>}, upper-cased, every character that
 * is not a letter or digit turned into {@code '_'}.
 */
public final class EnvNames {

    private EnvNames() {
    }

    /** The prefix for an application name: {@code my-app} becomes {@code MY_APP}. */
    public static String prefixFor(String app) {
        return normalize(app);
    }

    /**
     * The variable name of {@code key} under {@code prefix}; empty for a key with a quoted segment
     * ({@code target."cfg(unix)"}), which has none: a variable's name cannot say where such a segment ends.
     */
    public static String nameOf(String prefix, Key key) {
        return key.isBare() ? prefix + "_" + normalize(key.path()) : "";
    }

    private static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_');
        }
        return out.toString().toUpperCase(Locale.ROOT);
    }
}
