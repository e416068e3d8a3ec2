package dev.waterfall.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The examples of the README, for the tests that run them: what lies between
 * {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}.
 */
public final class ReadmeExamples {

    private ReadmeExamples() {
    }

    /** The README of the repository the tests run in ({@code waterfall.repo.dir}). */
    public static Path readme() {
        return Path.of(System.getProperty("waterfall.repo.dir", "..")).resolve("README.md");
    }

    /** The text between the markers of {@code name}. */
    public static String block(String name) {
        try {
            String text = Files.readString(readme(), StandardCharsets.UTF_8);
            int begin = text.indexOf("<!-- " + name + ":begin -->");
            int end = text.indexOf("<!-- " + name + ":end -->");
            if (begin < 0 || end < begin) {
                throw new AssertionError("the README has no " + name + " block");
            }
            return text.substring(begin, end);
        } catch (IOException e) {
            throw new UncheckedIOException("the README must be readable at " + readme(), e);
        }
    }

    /** The code of the first fenced block ({@code ```lang ... ```}) between the markers of {@code name}. */
    public static String code(String name) {
        String block = block(name);
        int fence = block.indexOf("```");
        int start = block.indexOf('\n', fence) + 1;
        int end = block.indexOf("```", start);
        return block.substring(start, end);
    }

    /**
     * The {@code export NAME=VALUE} lines of a block, in order, with single quotes around a value
     * removed as the shell would.
     */
    public static Map<String, String> exports(String name) {
        Map<String, String> exports = new LinkedHashMap<>();
        int n = 0;
        for (String line : block(name).split("\n")) {
            if (line.startsWith("export ")) {
                String assignment = line.substring("export ".length());
                int equals = assignment.indexOf('=');
                String value = assignment.substring(equals + 1);
                if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1);
                }
                exports.put((n++) + ":" + assignment.substring(0, equals), value);
            }
        }
        return exports;
    }
}
