package dev.waterfall.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one extractor of the examples in {@code README.md} and every {@code docs/*.md} page, for the
 * tests that run them. The documentation shows nothing that the suite does not run: {@link #unexecuted()}
 * lists every example block that no test claims, and {@code DocExamplesCoverageTest} (module
 * {@code cli}) fails on any.
 *
 * <h2>How a page declares its examples</h2>
 *
 * An example is a fenced block ({@code ```LANGUAGE} ... {@code ```}) on a page. Every fence needs a
 * language; {@code ```text} marks printed output or a picture shown for reading (a JMH report, the
 * module map) and is the only kind that is not an example. Each example is executed in one of
 * three ways:
 *
 * <ul>
 * <li><b>{@code ```console} sessions</b> are run by {@code DocExamplesJarTest} (module {@code cli},
 *     after {@code package}), page by page, with nothing to declare: every console block of a page,
 *     in the page's order, in one empty home folder per page (shown as {@code /home/me}), from the
 *     repository root, so a later block sees what an earlier one wrote. Each block is one bash
 *     session: a line {@code $ COMMAND} runs, and the lines after it, up to the next {@code $ }, are
 *     what it must print (stdout and stderr together). In expected lines {@code <time>},
 *     {@code <stamp>}, {@code <pid>} and {@code <size>} stand for one word that varies and
 *     {@code ...} for any text ({@link #pattern}). A command must not end in a comment.</li>
 * <li><b>Named blocks</b>: the lines between {@code <!-- NAME:begin -->} and {@code <!-- NAME:end -->}
 *     (NAME unique over all pages) are read by a test with {@link #code}, {@link #codes},
 *     {@link #block} or {@link #exports}, called with NAME as a string literal, which is how
 *     {@link #unexecuted()} finds the claim. Use them for code another program runs (Python, SQL,
 *     a crontab line, a systemd unit) or for files a test writes and reads back.</li>
 * <li><b>{@code ```java} blocks</b> are code from a test: the lines between {@code // example:NAME}
 *     and {@code // example:end} in a test's source, de-indented, which the test runs and
 *     {@link #assertShown} checks that a page shows exactly, as a whole fenced block.</li>
 * </ul>
 *
 * The pages in {@link #RECORD_PAGES} are exempt: a lab notebook's commands are records of what was
 * run at the commits it names, not instructions.
 *
 * <p>To add a page: write it under {@code docs/} and link it from the README's table of pages
 * ({@code DocExamplesCoverageTest} checks both, and every link between pages). Its console sessions
 * run by themselves, from the repository root with the checkout's {@code ./waterfall}; commands that
 * need another setting (an unpacked release, a server of their own) go in a named block that the
 * test which sets that up reads and runs, for instance:
 *
 * <pre>{@code
 * <!-- install-unpack:begin -->
 * ```sh
 * tar -xzf waterfall-0.1.0-linux-x64.tar.gz
 * waterfall-0.1.0/bin/waterfall get server.port
 * ```
 * <!-- install-unpack:end -->
 * }</pre>
 *
 * with {@code String script = DocExamples.code("install-unpack");} in that test.
 * {@code DocExamplesCoverageTest} names every block that still needs a test, with its page and line.
 */
public final class DocExamples {

    /** Pages whose fenced blocks are records of past runs rather than examples. */
    public static final Set<String> RECORD_PAGES = Set.of("docs/benchmarks-history.md");

    private static final Pattern FENCE_OPEN = Pattern.compile("```([A-Za-z0-9_+-]*)\\s*");
    private static final Pattern MARKER = Pattern.compile("<!-- ([A-Za-z0-9_-]+):(begin|end) -->");
    private static final Pattern SNIPPET = Pattern.compile("// example:([a-z0-9-]+)\\n(.*?)\\n\\s*// example:end", Pattern.DOTALL);
    private static final Pattern CLAIM = Pattern.compile("DocExamples\\s*\\.\\s*(?:code|codes|block|exports)\\s*\\(\\s*\"([A-Za-z0-9_-]+)\"");
    private static final Pattern PLACEHOLDER = Pattern.compile("<(time|stamp|pid|size)>|\\.\\.\\.");

    private DocExamples() {
    }

    /** One fenced block: its page (relative to the repository), the line of its opening fence, its language and code. */
    public record Fence(Path page, int line, String language, String code, Optional<String> block) {
        @Override
        public String toString() {
            return page + ":" + line + " (```" + language + block.map(name -> ", block " + name).orElse("") + ")";
        }
    }

    /** The lines between the markers of one named block, and the fences among them. */
    public record Block(Path page, String name, String text, List<Fence> fences) {
    }

    /** One {@code $ command} line of a console session and the lines it must print. */
    public record Command(String command, List<String> expected) {
    }

    /** One {@code ```console} block. */
    public record Session(Path page, int line, List<Command> commands) {
    }

    /** The checkout the tests run in ({@code waterfall.repo.dir}, set by the root pom for surefire). */
    public static Path repository() {
        return Path.of(System.getProperty("waterfall.repo.dir", "..")).toAbsolutePath().normalize();
    }

    /** README.md, then every page under docs/ in name order, relative to the repository. */
    public static List<Path> pages() {
        return pages(repository());
    }

    private static List<Path> pages(Path repository) {
        List<Path> pages = new ArrayList<>();
        pages.add(Path.of("README.md"));
        try (Stream<Path> docs = Files.list(repository.resolve("docs"))) {
            docs.filter(file -> file.getFileName().toString().endsWith(".md")).map(file -> Path.of("docs", file.getFileName().toString()))
                    .sorted().forEach(pages::add);
        } catch (IOException e) {
            throw new UncheckedIOException("the docs folder must be readable at " + repository.resolve("docs"), e);
        }
        return pages;
    }

    /** The text of a page. */
    public static String text(Path page) {
        return read(repository().resolve(page));
    }

    /** Every fenced block of a page, in order, with the named block it lies in. */
    public static List<Fence> fences(Path page) {
        return fences(page, text(page));
    }

    private static List<Fence> fences(Path page, String text) {
        List<String> lines = text.lines().toList();
        List<Fence> fences = new ArrayList<>();
        String block = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher marker = MARKER.matcher(line.strip());
            if (marker.matches()) {
                if (marker.group(2).equals("begin")) {
                    if (block != null) {
                        throw new AssertionError(page + ":" + (i + 1) + ": block " + marker.group(1) + " begins inside block " + block);
                    }
                    block = marker.group(1);
                } else {
                    if (!marker.group(1).equals(block)) {
                        throw new AssertionError(page + ":" + (i + 1) + ": block " + marker.group(1) + " ends but " + block + " is open");
                    }
                    block = null;
                }
                continue;
            }
            Matcher open = FENCE_OPEN.matcher(line);
            if (open.matches()) {
                int start = i;
                StringBuilder code = new StringBuilder();
                for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                    code.append(lines.get(i)).append('\n');
                }
                if (i == lines.size()) {
                    throw new AssertionError(page + ":" + (start + 1) + ": a fenced block that never ends");
                }
                fences.add(new Fence(page, start + 1, open.group(1), code.toString(), Optional.ofNullable(block)));
            }
        }
        if (block != null) {
            throw new AssertionError(page + ": block " + block + " never ends");
        }
        return fences;
    }

    /** The named block {@code name}, wherever it is; it must be on exactly one page. */
    public static Block block(String name) {
        List<Block> found = new ArrayList<>();
        for (Path page : pages()) {
            String text = text(page);
            int begin = text.indexOf("<!-- " + name + ":begin -->");
            if (begin >= 0) {
                int end = text.indexOf("<!-- " + name + ":end -->", begin);
                if (end < 0) {
                    throw new AssertionError(page + ": block " + name + " never ends");
                }
                List<Fence> fences = fences(page).stream().filter(fence -> fence.block().equals(Optional.of(name))).toList();
                found.add(new Block(page, name, text.substring(begin, end), fences));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("the block " + name + " must be on exactly one page of README.md and docs/, but is on "
                    + found.stream().map(Block::page).toList());
        }
        return found.get(0);
    }

    /** The code of the only fenced block between the markers of {@code name}. */
    public static String code(String name) {
        List<String> codes = codes(name);
        if (codes.size() != 1) {
            throw new AssertionError("the block " + name + " has " + codes.size() + " fenced blocks; use codes(\"" + name + "\")");
        }
        return codes.get(0);
    }

    /** The code of every fenced block between the markers of {@code name}, in order. */
    public static List<String> codes(String name) {
        return block(name).fences().stream().map(Fence::code).toList();
    }

    /**
     * The {@code export NAME=VALUE} lines of a block's code, in order, keyed {@code "<index>:NAME"},
     * with single quotes around a value removed as the shell would.
     */
    public static Map<String, String> exports(String name) {
        Map<String, String> exports = new LinkedHashMap<>();
        int n = 0;
        for (String line : code(name).split("\n")) {
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

    /** The {@code ```console} blocks of a page, in order, each as its commands and their expected output. */
    public static List<Session> consoleSessions(Path page) {
        List<Session> sessions = new ArrayList<>();
        for (Fence fence : fences(page)) {
            if (!fence.language().equals("console")) {
                continue;
            }
            List<Command> commands = new ArrayList<>();
            for (String line : fence.code().split("\n")) {
                if (line.startsWith("$ ")) {
                    commands.add(new Command(line.substring(2), new ArrayList<>()));
                } else if (commands.isEmpty()) {
                    throw new AssertionError(fence + ": output before the first command: " + line);
                } else {
                    commands.get(commands.size() - 1).expected().add(line);
                }
            }
            sessions.add(new Session(page, fence.line(), commands));
        }
        return sessions;
    }

    /** An expected line of a console session as a pattern: literal text, with placeholders for what varies. */
    public static String pattern(String expected) {
        StringBuilder regex = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(expected);
        int at = 0;
        while (placeholder.find()) {
            regex.append(Pattern.quote(expected.substring(at, placeholder.start())));
            regex.append(placeholder.group().equals("...") ? ".*" : "\\S+");
            at = placeholder.end();
        }
        return regex.append(Pattern.quote(expected.substring(at))).toString();
    }

    /** The snippets of a source text: the code between {@code // example:NAME} and {@code // example:end}, de-indented, by name. */
    public static Map<String, String> snippets(String source) {
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher matcher = SNIPPET.matcher(source);
        while (matcher.find()) {
            if (snippets.put(matcher.group(1), dedent(matcher.group(2))) != null) {
                throw new AssertionError("two snippets are named " + matcher.group(1));
            }
        }
        return snippets;
    }

    /** The source file of a test class, found under some module's {@code src/test/java}. */
    public static Path sourceOf(Class<?> test) {
        String relative = "src/test/java/" + test.getName().replace('.', '/') + ".java";
        List<Path> found = testSources(repository()).stream().filter(file -> file.toString().endsWith("/" + relative)).toList();
        if (found.size() != 1) {
            throw new AssertionError("the source of " + test.getName() + " must be one file, found " + found);
        }
        return found.get(0);
    }

    /**
     * Checks that the snippets of {@code test}'s source are exactly {@code names}, in order, and
     * that each is shown on a page as a whole {@code ```java} block, character for character.
     */
    public static void assertShown(Class<?> test, String... names) {
        Map<String, String> snippets = snippets(read(sourceOf(test)));
        if (!List.copyOf(snippets.keySet()).equals(List.of(names))) {
            throw new AssertionError(test.getSimpleName() + " holds the snippets " + snippets.keySet() + ", expected " + List.of(names));
        }
        List<String> shown = pages().stream().flatMap(page -> fences(page).stream())
                .filter(fence -> fence.language().equals("java")).map(Fence::code).toList();
        for (Map.Entry<String, String> snippet : snippets.entrySet()) {
            if (!shown.contains(snippet.getValue())) {
                throw new AssertionError("no page shows the example " + snippet.getKey() + " of " + test.getSimpleName()
                        + " exactly as tested, as a ```java block:\n" + snippet.getValue());
            }
        }
    }

    /**
     * Every example block that nothing executes: a fence without a language, a {@code ```java}
     * block that is not a test's snippet, and any other block that is neither a console session
     * (when a test runs {@link #consoleSessions}) nor inside a named block that some test reads by
     * name. Empty when the documentation is fully tested.
     */
    public static List<String> unexecuted() {
        return unexecuted(repository());
    }

    /** {@link #unexecuted()} of the checkout at {@code repository}, so that the check itself can be tested. */
    public static List<String> unexecuted(Path repository) {
        List<Path> sources = testSources(repository);
        Set<String> claimed = new TreeSet<>();
        Set<String> snippets = new java.util.HashSet<>();
        boolean sessionsRun = false;
        for (Path source : sources) {
            String text = read(source);
            Matcher claim = CLAIM.matcher(text);
            while (claim.find()) {
                claimed.add(claim.group(1));
            }
            snippets.addAll(snippets(text).values());
            sessionsRun |= text.contains("DocExamples.consoleSessions(");
        }
        List<String> unexecuted = new ArrayList<>();
        for (Path page : pages(repository)) {
            if (RECORD_PAGES.contains(page.toString())) {
                continue;
            }
            for (Fence fence : fences(page, read(repository.resolve(page)))) {
                boolean executed;
                if (fence.language().isEmpty()) {
                    unexecuted.add(fence + ": a fenced block without a language (```text for output shown for reading)");
                    continue;
                } else if (fence.language().equals("text")) {
                    executed = true;
                } else if (fence.block().isPresent()) {
                    executed = claimed.contains(fence.block().get());
                } else if (fence.language().equals("console")) {
                    executed = sessionsRun;
                } else if (fence.language().equals("java")) {
                    executed = snippets.contains(fence.code());
                } else {
                    executed = false;
                }
                if (!executed) {
                    unexecuted.add(fence + ": no test executes it");
                }
            }
        }
        return unexecuted;
    }

    /**
     * The Java sources of every module's tests, and of this module (whose contract suites run
     * examples too), but not of this class; build output, version control and node_modules folders
     * are not entered.
     */
    private static List<Path> testSources(Path repository) {
        List<Path> sources = new ArrayList<>();
        try {
            Files.walkFileTree(repository, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    boolean skip = !dir.equals(repository) && (name.startsWith(".") || name.equals("target") || name.equals("node_modules"));
                    return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String path = repository.relativize(file).toString().replace('\\', '/');
                    if (path.endsWith(".java") && !path.endsWith("/DocExamples.java")
                            && (path.contains("/src/test/java/") || path.startsWith("store-contract/src/main/java/"))) {
                        sources.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the sources must be readable under " + repository, e);
        }
        sources.sort(null);
        return sources;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + " must be readable", e);
        }
    }

    /** The lines of {@code block} without the indent they share, each ending in a newline. */
    public static String dedent(String block) {
        List<String> lines = block.lines().toList();
        int indent = lines.stream().filter(line -> !line.isBlank()).mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.length() >= indent ? line.substring(indent) : line.strip()).append('\n');
        }
        return out.toString();
    }
}
