package dev.waterfall.distribution;

import dev.waterfall.contract.DocExamples;
import dev.waterfall.distribution.TarballTest.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.waterfall.distribution.TarballTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/install.md, run as written against this build's tarball: every shell block of the page is
 * a named block that this test reads with {@link DocExamples} and runs with bash (zsh for the zsh
 * line), so the page cannot drift from what the tarball does.
 *
 * <p>The blocks run in a sandbox, never on the machine: HOME is a scratch folder, VERSION the
 * tarball's version, {@code /opt}, {@code /usr/local/bin} and
 * {@code /usr/share/bash-completion/completions} scratch folders, and {@code sudo } is dropped (the
 * suite may run as root, and must still write nothing outside its scratch folders). The PATH holds
 * the machine's tools (tar, man, groff, zsh, ...) but nothing that lives in a JDK or in Maven, so
 * what runs is the tarball's own runtime, as on a machine with no Java at all.
 *
 * <p>The blocks that build the tarball ({@code scripts/dist}) are not run again here: the build
 * that runs this test made the tarball that way a moment ago, and a second build would cost
 * minutes. They are checked against scripts/dist instead.
 */
class InstallPageTest {

    @TempDir
    static Path sandbox;

    static String version;
    static Path tarball;
    static Path tools;
    /** Where the "for everyone" block unpacked the tarball: the sandbox's {@code /opt/waterfall-VERSION}. */
    static Path installed;

    @BeforeAll
    static void installForEveryone() throws IOException, InterruptedException {
        String property = System.getProperty("waterfall.tarball");
        assertThat(property).as("the tarball's path (set by distribution/pom.xml)").isNotBlank();
        tarball = Path.of(property);
        assertThat(tarball).as("the tarball, made by `package`; run `mvn -pl distribution -am verify`").isRegularFile();
        Matcher name = Pattern.compile("waterfall-(.+)-linux-x64\\.tar\\.gz").matcher(tarball.getFileName().toString());
        assertThat(name.matches()).as(tarball.getFileName() + " is named as docs/install.md says").isTrue();
        version = name.group(1);

        tools = machineWithoutJava(Files.createDirectories(sandbox.resolve("tools")));
        Files.createDirectories(sandbox.resolve("opt"));
        Files.createDirectories(sandbox.resolve("usr-local-bin"));
        Files.createDirectories(sandbox.resolve("completions"));

        // The administrator's working folder, where the downloaded tarball is.
        Path root = Files.createDirectories(sandbox.resolve("root"));
        Files.createSymbolicLink(root.resolve(tarball.getFileName()), tarball);
        Result everyone = runBlock("bash", DocExamples.code("install-everyone"), root);
        assertThat(everyone.exitCode()).as(everyone.toString()).isZero();
        installed = sandbox.resolve("opt/waterfall-" + version);
        assertThat(installed.resolve("bin/waterfall")).isExecutable();
        Path link = sandbox.resolve("usr-local-bin/waterfall");
        assertThat(link).isSymbolicLink();
        assertThat(link.toRealPath()).isEqualTo(installed.resolve("bin/waterfall").toRealPath());
    }

    @Test
    void forEveryone_theCommandOnThePath_runsOnTheBundledRuntime(@TempDir Path elsewhere) throws Exception {
        // The link in /usr/local/bin is on every user's PATH; nothing else of Java is.
        Result version = runBlock("bash", "waterfall --version\ncommand -v java || echo no java\n", elsewhere);
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).as(version.toString()).startsWith("waterfall " + InstallPageTest.version + "\nJava ")
                .endsWith("no java\n");
    }

    @Test
    void forOneUser_withoutRoot_thenWaterfallVersion(@TempDir Path downloads) throws Exception {
        Path home = Files.createDirectories(downloads.resolve("home"));
        Files.createSymbolicLink(downloads.resolve(tarball.getFileName()), tarball);
        // ~/.local/bin is on the PATH of a user who has it (Debian's and Ubuntu's ~/.profile);
        // /usr/local/bin of the sandbox is not, so the block's last line finds the user's link.
        Map<String, String> environment = environment(home);
        environment.put("PATH", home.resolve(".local/bin") + ":" + tools);

        Result user = run(List.of("bash", "-euo", "pipefail", "-c", sandboxed(DocExamples.code("install-user"))), downloads, environment);

        assertThat(user.exitCode()).as(user.toString()).isZero();
        assertThat(user.out()).as(user.toString()).startsWith("waterfall " + version + "\nJava ");
        assertThat(user.err()).as("nothing on stderr").isEmpty();
        Path link = home.resolve(".local/bin/waterfall");
        assertThat(link).isSymbolicLink();
        assertThat(link.toRealPath()).isEqualTo(home.resolve(".local/opt/waterfall-" + version + "/bin/waterfall").toRealPath());
    }

    @Test
    void whatIsInIt_everyListedPathIsInTheTarball_andNothingElse() throws Exception {
        String listing = DocExamples.code("install-tree");
        List<String> lines = listing.lines().toList();
        assertThat(lines.get(0)).isEqualTo("waterfall-VERSION/");
        boolean aot = Integer.parseInt(Files.readString(installed.resolve("runtime/release"))
                .replaceAll("(?s).*JAVA_VERSION=\"(\\d+).*", "$1")) >= 25;
        List<Path> listed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            Matcher entry = Pattern.compile(" {2}([^\\s,]+(?:, [^\\s,]+)*) +(\\S.*)").matcher(line);
            assertThat(entry.matches()).as("a path and what it is: " + line).isTrue();
            for (String path : entry.group(1).split(", ")) {
                List<Path> found = glob(path);
                if (entry.group(2).contains("(JDK 25 and newer)") && !aot) {
                    assertThat(found).as(path + " with a runtime older than 25").isEmpty();
                    continue;
                }
                assertThat(found).as(path + " in the unpacked tarball").isNotEmpty();
                if (path.endsWith("/")) {
                    assertThat(found.get(0)).as(path).isDirectory();
                } else {
                    assertThat(found).as(path).allMatch(Files::isRegularFile);
                }
                listed.addAll(found);
            }
        }
        // The converse: the listing is the whole tarball.
        List<Path> unlisted;
        try (Stream<Path> files = Files.walk(installed)) {
            unlisted = files.filter(Files::isRegularFile).filter(file -> listed.stream().noneMatch(file::startsWith))
                    .map(installed::relativize).toList();
        }
        assertThat(unlisted).as("files of the tarball that docs/install.md does not list").isEmpty();
    }

    @Test
    void bashCompletion_forOneUser_registersTheCommand(@TempDir Path home) throws Exception {
        Result completion = runBlock("bash", DocExamples.code("install-completion-bash") + "complete -p waterfall\n", home);
        assertThat(completion.exitCode()).as(completion.toString()).isZero();
        assertThat(completion.out()).as(completion.toString()).isEqualTo("complete -o default -F _complete_waterfall waterfall\n");
    }

    @Test
    void bashCompletion_forEveryone_linksTheShippedScript(@TempDir Path home) throws Exception {
        Result link = runBlock("bash", DocExamples.code("install-completion-system"), home);
        assertThat(link.exitCode()).as(link.toString()).isZero();

        // bash-completion loads /usr/share/bash-completion/completions/waterfall when waterfall is
        // first completed; sourcing it is what it does.
        Path linked = sandbox.resolve("completions/waterfall");
        assertThat(linked.toRealPath()).isEqualTo(installed.resolve("share/bash-completion/completions/waterfall").toRealPath());
        Result loaded = runBlock("bash", "source " + linked + "\ncomplete -p waterfall\n", home);
        assertThat(loaded.exitCode()).as(loaded.toString()).isZero();
        assertThat(loaded.out()).as(loaded.toString()).isEqualTo("complete -o default -F _complete_waterfall waterfall\n");
    }

    @Test
    void zshCompletion_bothWays_registersTheCommand(@TempDir Path home) throws Exception {
        String line = DocExamples.code("install-completion-zsh");
        Matcher alternative = Pattern.compile("(?s)(.*\\S) +# or: (.*\\S)\\s*").matcher(line);
        assertThat(alternative.matches()).as("a command, then `# or:` another: " + line).isTrue();
        // ${_comps[waterfall]} is the completion function zsh calls for the command: bashcompinit's
        // wrapper around the bash completion function.
        for (String command : List.of(alternative.group(1), alternative.group(2))) {
            Result zsh = runBlock("zsh", command + "\nprint -r -- \"${_comps[waterfall]}\"\n", home);
            assertThat(zsh.exitCode()).as(command + ": " + zsh).isZero();
            assertThat(zsh.out()).as(command + ": " + zsh).isEqualTo("_bash_complete -F _complete_waterfall -o default\n");
        }
    }

    @Test
    void manPages_readWithoutInstalling(@TempDir Path home) throws Exception {
        Result man = runBlock("bash", DocExamples.code("install-man-read"), home);
        assertThat(man.exitCode()).as(man.toString()).isZero();
        assertThat(man.err()).as("no complaint from man or groff").isEmpty();
        assertThat(man.out()).as(man.toString()).contains("NAME").contains("waterfall-get").contains("SYNOPSIS").contains("KEY");
    }

    @Test
    void manPages_onTheManualPath(@TempDir Path home) throws Exception {
        Result man = runBlock("bash", DocExamples.code("install-man-path"), home);
        assertThat(man.exitCode()).as(man.toString()).isZero();
        assertThat(man.err()).as("no complaint from man or groff").isEmpty();
        assertThat(man.out()).as(man.toString()).contains("NAME").contains("waterfall-export").contains("SYNOPSIS");
    }

    @Test
    void buildingTheTarball_isWhatScriptsDistDoes() throws Exception {
        // This build made the tarball the way these blocks do (scripts/dist runs this module's
        // build); they are checked against the scripts rather than run a second time.
        Path repository = DocExamples.repository();
        Path dist = repository.resolve("scripts/dist");
        assertThat(dist).isRegularFile().isExecutable();
        String script = Files.readString(dist);
        String assemble = Files.readString(repository.resolve("distribution/src/main/dist/assemble"));

        List<String> build = DocExamples.code("install-build").lines().toList();
        assertThat(build).hasSize(2);
        assertThat(build.get(0)).matches("scripts/dist +# writes dist/waterfall-VERSION-linux-x64\\.tar\\.gz");
        assertThat(script).as("scripts/dist copies the tarball to dist/")
                .contains("built=(distribution/target/waterfall-*-linux-x64.tar.gz)").contains("cp -f \"${built[0]}\" dist/");
        assertThat(tarball.getParent().getFileName().toString()).isEqualTo("target");
        assertThat(script).as("the build the page describes: `mvn -pl distribution -am package`")
                .contains("goal=package").contains("mvn -B -q -pl distribution -am \"$goal\"");

        Matcher test = Pattern.compile("scripts/dist --test +# .*runs its tests \\((.*)\\)").matcher(build.get(1));
        assertThat(test.matches()).as(build.get(1)).isTrue();
        List<String> named = List.of(test.group(1).split(", "));
        assertThat(script).as("--test runs `verify` with the tests the page names")
                .contains("if [[ \"${1:-}\" == --test ]]; then\n  goal=verify\n  skip=(-Dtest='" + String.join(",", named) + "' ");
        List<String> tests;
        try (Stream<Path> sources = Files.list(repository.resolve("distribution/src/test/java/dev/waterfall/distribution"))) {
            tests = sources.map(file -> file.getFileName().toString().replace(".java", "")).sorted().toList();
        }
        assertThat(named).as("--test runs every test of the distribution module").containsExactlyInAnyOrderElementsOf(tests);

        String jdk = DocExamples.code("install-build-jdk");
        assertThat(jdk).matches("WATERFALL_DIST_JDK=/usr/lib/jvm/\\S+ scripts/dist +# .*\\n");
        assertThat(assemble).as("the assemble script links the JDK WATERFALL_DIST_JDK names")
                .contains("jdk=\"${WATERFALL_DIST_JDK:-}\"");
    }

    /** The files of the installation that a listed path names: one, or those its {@code *} matches in one folder. */
    static List<Path> glob(String listed) throws IOException {
        String path = listed.endsWith("/") ? listed.substring(0, listed.length() - 1) : listed;
        if (!path.contains("*")) {
            Path file = installed.resolve(path);
            return Files.exists(file) ? List.of(file) : List.of();
        }
        Path folder = installed.resolve(path).getParent();
        assertThat(folder.relativize(installed.resolve(path)).toString()).as("a * only in the last name: " + listed).doesNotContain("/");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        java.nio.file.PathMatcher matcher = folder.getFileSystem().getPathMatcher("glob:" + installed.resolve(path));
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(matcher::matches).sorted().toList();
        }
    }

    /**
     * The block as it runs in the sandbox: VERSION the tarball's, {@code sudo } dropped, and the
     * machine's folders the scratch ones; nothing may still name /opt or /usr.
     */
    static String sandboxed(String block) {
        String script = block.replace("VERSION", version).replace("sudo ", "")
                .replace("/usr/share/bash-completion/completions", sandbox.resolve("completions").toString())
                .replace("/usr/local/bin", sandbox.resolve("usr-local-bin").toString())
                .replaceAll("(?<![\\w.])/opt\\b", Matcher.quoteReplacement(sandbox.resolve("opt").toString()));
        assertThat(script).as("the sandboxed block writes nowhere on the machine").doesNotContainPattern("(^|[\\s\"'=:])/(opt|usr)\\b");
        return script;
    }

    /** Runs a block in {@code shell} (-e: a failing line fails the block), sandboxed, with {@code home} as HOME and working folder. */
    static Result runBlock(String shell, String block, Path home) throws IOException, InterruptedException {
        List<String> command = shell.equals("bash") ? List.of("bash", "-eo", "pipefail", "-c", sandboxed(block))
                : List.of(shell, "-e", "-c", sandboxed(block));
        return run(command, home, environment(home));
    }

    /** The sandbox's environment: PATH the tools and the sandbox's /usr/local/bin, HOME, a UTF-8 locale, no JAVA_HOME, a plain pager. */
    static Map<String, String> environment(Path home) throws IOException {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", sandbox.resolve("usr-local-bin") + ":" + tools);
        environment.put("HOME", home.toString());
        environment.put("LANG", "C.UTF-8");
        environment.put("TMPDIR", Files.createDirectories(home.resolve("tmp")).toString());
        environment.put("MANPAGER", "cat");
        environment.put("MANWIDTH", "80");
        return environment;
    }

    /**
     * A PATH of everything in /usr/bin and /bin except what belongs to a JDK or to Maven (links into
     * /usr/lib/jvm or /usr/share/maven): a machine with its usual tools and no Java.
     */
    static Path machineWithoutJava(Path into) throws IOException, InterruptedException {
        for (String dir : List.of("/usr/bin", "/bin")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path file : files.toList()) {
                    Path link = into.resolve(file.getFileName().toString());
                    if (!Files.isExecutable(file) || Files.isDirectory(file) || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        continue;
                    }
                    String real = file.toRealPath().toString();
                    if (real.startsWith("/usr/lib/jvm/") || real.contains("/maven") || file.getFileName().toString().startsWith("java")) {
                        continue;
                    }
                    Files.createSymbolicLink(link, file);
                }
            }
        }
        Map<String, String> environment = Map.of("PATH", into.toString());
        Result noJava = run(List.of(into.resolve("bash").toString(), "-c", "command -v java || command -v javac || command -v mvn || command -v jshell"),
                sandbox, environment);
        assertThat(noJava.exitCode()).as("no java, javac, jshell or mvn on the sandbox's PATH: " + noJava).isEqualTo(1);
        for (String tool : List.of("tar", "gzip", "ln", "mkdir", "man", "manpath", "groff", "zsh")) {
            assertThat(into.resolve(tool)).as(tool + " (scripts/ensure-test-services installs it)").isExecutable();
        }
        return into;
    }
}
