package dev.waterfall.config.spi;

/**
 * How a message shows text that came from outside (a key, a value, a URI, a line of a file, an
 * argument): the one helper every message goes through, in the library and in the command line.
 * Such text reaches a terminal, and a terminal obeys what it is sent: an ESC can move the cursor,
 * recolour or retitle the window, a NUL or a carriage return can hide what came before; and a
 * 100,000-character key would bury the message that names it. So:
 * <ul>
 * <li>control characters (C0, DEL, C1) and the invisible format characters that reorder or hide
 *     text (bidirectional overrides, zero-width characters, line separators) are written as
 *     {@code \\uXXXX};</li>
 * <li>text longer than {@value #MAX_LENGTH} characters is cut, saying how long it was.</li>
 * </ul>
 * Stateless; {@link #controls(String)} escapes without shortening, for a whole message whose parts
 * have been shortened already.
 */
public final class Echo {

    /** The most characters of outside text a message shows. */
    public static final int MAX_LENGTH = 80;

    private Echo() {
    }

    /** {@code text} as a message may show it: control characters escaped, cut to {@value #MAX_LENGTH} characters. */
    public static String of(String text) {
        if (text == null) {
            return "null";
        }
        int length = text.codePointCount(0, text.length());
        if (length <= MAX_LENGTH) {
            return controls(text);
        }
        int cut = text.offsetByCodePoints(0, MAX_LENGTH - 20);
        return controls(text.substring(0, cut)) + "... (" + length + " characters)";
    }

    /** {@code text} with its control and invisible format characters escaped, not shortened. */
    public static String controls(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = unsafe(c);
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (escape) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * Why an operation failed, for after "cannot read X: ". A {@link java.nio.file.FileSystemException}'s
     * message is often nothing but the path ({@code AccessDeniedException: /x/config.json}), which
     * would print as {@code cannot read /x/config.json: /x/config.json}: the cause is lost. Here it
     * is the system's reason ("Read-only file system", "Permission denied"), else what the kind of
     * failure means, with the other file it concerned when there is one; any other failure's message.
     */
    public static String cause(Throwable failure) {
        if (failure instanceof java.nio.file.FileSystemException fileSystem) {
            String reason = fileSystem.getReason();
            if (reason == null || reason.isBlank()) {
                reason = failure instanceof java.nio.file.AccessDeniedException ? "permission denied"
                        : failure instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                        : failure instanceof java.nio.file.FileAlreadyExistsException ? "it already exists"
                        : failure instanceof java.nio.file.DirectoryNotEmptyException ? "the folder is not empty"
                        : failure instanceof java.nio.file.NotDirectoryException ? "not a folder"
                        : failure instanceof java.nio.file.NotLinkException ? "not a symbolic link"
                        : failure instanceof java.nio.file.FileSystemLoopException ? "a loop of symbolic links"
                        : "failed";
            } else {
                reason = reason.substring(0, 1).toLowerCase(java.util.Locale.ROOT) + reason.substring(1);
            }
            String file = fileSystem.getFile();
            boolean named = file == null || reason.contains(file);
            return controls(reason + (named ? "" : " (" + file + (fileSystem.getOtherFile() == null ? "" : " -> "
                    + fileSystem.getOtherFile()) + ")"));
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : controls(message);
    }

    /**
     * A JSON parser's message as ours: its first line, without Jackson's internals (", from
     * `StreamReadConstraints.getMaxNumberLength()`" names a setting of the library, not of the file;
     * " at [Source: REDACTED ...]" says nothing), control characters escaped.
     */
    public static String parserMessage(String message) {
        if (message == null) {
            return "unreadable";
        }
        String first = message.lines().findFirst().orElse(message)
                .replaceAll(", from `[^`]*`", "")
                .replaceAll("\\s*at \\[Source:.*$", "");
        return controls(first);
    }

    private static boolean unsafe(char c) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
