package dev.waterfall.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The README's marked examples, for the tests that run them. */
final class ReadmeBlocks {

    private ReadmeBlocks() {
    }

    static String readme() {
        Path file = Path.of(System.getProperty("waterfall.repo.dir", "..")).resolve("README.md");
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the README must be readable at " + file, e);
        }
    }

    /** The code of the {@code ```language} block between {@code <!-- name:begin -->} and {@code <!-- name:end -->}. */
    static String code(String name, String language) {
        String text = readme();
        int begin = text.indexOf("<!-- " + name + ":begin -->");
        int end = text.indexOf("<!-- " + name + ":end -->");
        if (begin < 0 || end < begin) {
            throw new AssertionError("the README has no " + name + " block");
        }
        String block = text.substring(begin, end);
        int start = block.indexOf("```" + language + "\n");
        if (start < 0) {
            throw new AssertionError("the README's " + name + " block has no ```" + language + " code");
        }
        start += language.length() + 4;
        return block.substring(start, block.lastIndexOf("```"));
    }
}
