package dev.waterfall.cli;

import dev.waterfall.config.Key;

/**
 * Text as a POSIX shell word, for commands that messages suggest: a key with a quoted segment
 * ({@code target."cfg(unix)".x}) must reach {@code waterfall} with its quotes, so it is put in
 * single quotes ({@code 'target."cfg(unix)".x'}).
 */
final class ShellWords {

    private ShellWords() {
    }

    /** {@code key}'s text as one shell word. */
    static String of(Key key) {
        return of(key.path());
    }

    /** {@code text} as one shell word: itself when nothing in it is special to a shell, else single-quoted. */
    static String of(String text) {
        if (!text.isEmpty() && text.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "_-.,:/=+@%".indexOf(c) >= 0)) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
