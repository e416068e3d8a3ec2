package dev.waterfall.cli;

import dev.waterfall.config.ConfigStore;
import dev.waterfall.config.Entry;
import dev.waterfall.config.HistoryQuery;
import dev.waterfall.config.HistoryRecord;
import dev.waterfall.config.Key;
import dev.waterfall.config.Snapshot;
import dev.waterfall.config.StoreUnavailableException;
import dev.waterfall.config.Value;
import dev.waterfall.config.Waterfall;
import dev.waterfall.contract.PostgresPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PostgreSQL failover trials of {@code docs/reliability.md} (issue 19), run by
 * {@code scripts/failover-trials}: a primary and a synchronous standby of the test's own
 * ({@link PostgresPair}); two Java-library writers ({@link FailoverWriter}: distinct keys and a
 * compare-and-set counter) and two CLI writers ({@code waterfall set} in a shell loop) write through
 * a URI that lists both servers; the primary is killed ({@code pg_ctl stop -m immediate}, and in the
 * other trial {@code kill -9} of the postmaster) and the standby promoted. Then, on the new primary:
 * every acknowledged write is there, none was applied twice, the counter equals the acknowledged
 * increments, and no write failed. The figures (time from the kill until writes succeed again) are
 * printed, never asserted.
 */
class PostgresFailoverTrials {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void primaryStoppedImmediately_standbyPromoted_noAcknowledgedWriteLostOrDoubled() throws Exception {
        trial("pg_ctl stop -m immediate", true);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void primaryPostmasterKilled_standbyPromoted_noAcknowledgedWriteLostOrDoubled() throws Exception {
        trial("kill -9 postmaster", false);
    }

    private void trial(String how, boolean immediate) throws Exception {
        try (PostgresPair pair = PostgresPair.start()) {
            String options = "/postgres?namespace=trial&sslmode=disable&connect_timeout=3";
            String uri = "postgresql://" + PostgresPair.USER + "@" + pair.hosts() + options
                    + "&target_session_attrs=read-write&failover_timeout=60";
            Path home = Files.createDirectories(dir.resolve("home"));
            try (Waterfall waterfall = open(uri, home)) {
                waterfall.store().set(Key.of("counter"), Value.of(0));
            }
            standbyChosenByMistake_isAClearErrorNamingIt(pair, options, home);

            Path stop = dir.resolve("stop");
            Map<String, Process> writers = new LinkedHashMap<>();
            Map<String, Path> outputs = new LinkedHashMap<>();
            for (String name : List.of("lib1", "lib2")) {
                List<String> command = javaCommand(FailoverWriter.class.getName(), uri, name, stop.toString());
                outputs.put(name, dir.resolve(name + ".out"));
                writers.put(name, new ProcessBuilder(command).redirectOutput(outputs.get(name).toFile())
                        .redirectError(dir.resolve(name + ".err").toFile()).start());
            }
            for (String name : List.of("cli1", "cli2")) {
                String cli = String.join(" ", javaCommand(Main.class.getName(), "--store", "'" + uri + "'", "set"));
                String loop = "i=0; while [ ! -e '" + stop + "' ]; do i=$((i+1)); "
                        + "if " + cli + " " + name + ".k$i $i >/dev/null 2>>'" + dir.resolve(name + ".err") + "'; "
                        + "then echo \"ack " + name + ".k$i $(date +%s%3N)\"; else echo \"fail " + name + ".k$i $(date +%s%3N)\"; fi; done";
                outputs.put(name, dir.resolve(name + ".out"));
                ProcessBuilder builder = new ProcessBuilder("bash", "-c", loop).redirectOutput(outputs.get(name).toFile())
                        .redirectError(dir.resolve(name + ".shell.err").toFile());
                builder.environment().clear();
                builder.environment().putAll(Processes.cleanEnvironment(home));
                writers.put(name, builder.start());
            }
            // Every writer is writing before the kill.
            long until = System.currentTimeMillis() + 90_000;
            while (!outputs.values().stream().allMatch(out -> count(out, "ack ") >= 1) && System.currentTimeMillis() < until) {
                Thread.sleep(100);
            }
            Thread.sleep(1_000);

            long killed = System.currentTimeMillis();
            if (immediate) {
                pair.stopPrimaryImmediately();
            } else {
                pair.killPrimary();
            }
            long promoting = System.currentTimeMillis();
            pair.promoteStandby();
            long promoted = System.currentTimeMillis();

            // Every writer succeeds again, then writes a little longer.
            until = System.currentTimeMillis() + 45_000;
            while (!outputs.values().stream().allMatch(out -> lastAck(out) > promoted) && System.currentTimeMillis() < until) {
                Thread.sleep(50);
            }
            Thread.sleep(1_000);
            Files.writeString(stop, "");
            if (!outputs.values().stream().allMatch(out -> lastAck(out) > promoted)) {
                System.out.println("not every writer wrote after the promotion (" + how + "):");
                try (var files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".out") || f.toString().endsWith(".err")).toList()) {
                        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                        System.out.println("--- " + file.getFileName() + " (" + lines.size() + " lines)");
                        lines.subList(Math.max(0, lines.size() - 8), lines.size()).forEach(System.out::println);
                    }
                }
            }
            for (Map.Entry<String, Process> writer : writers.entrySet()) {
                if (!writer.getValue().waitFor(70, TimeUnit.SECONDS)) {
                    writer.getValue().descendants().forEach(ProcessHandle::destroyForcibly);
                    writer.getValue().destroyForcibly();
                    throw new AssertionError(writer.getKey() + " did not stop within 70 s of the stop file");
                }
            }

            String newPrimary = "postgresql://" + PostgresPair.USER + "@127.0.0.1:" + pair.standbyPort() + options;
            try (Waterfall waterfall = open(newPrimary, home)) {
                verify(how, waterfall.store(), outputs, killed, promoting, promoted);
            }
        }
    }

    /** The URI names only the standby, with libpq's default target_session_attrs=any: a write is refused, naming it. */
    private void standbyChosenByMistake_isAClearErrorNamingIt(PostgresPair pair, String options, Path home) throws Exception {
        String standbyOnly = "postgresql://" + PostgresPair.USER + "@127.0.0.1:" + pair.standbyPort() + options;
        try (Waterfall waterfall = open(standbyOnly, home)) {
            assertThatThrownBy(() -> waterfall.store().set(Key.of("misdirected"), Value.of(1)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("the server 127.0.0.1:" + pair.standbyPort() + " is a read-only standby")
                    .hasMessageContaining("target_session_attrs=read-write")
                    .hasMessageContaining("nothing was changed");
            assertThat(waterfall.store().get(Key.of("misdirected"))).isEmpty();
        }
    }

    private void verify(String how, ConfigStore store, Map<String, Path> outputs, long killed, long promoting, long promoted)
            throws Exception {
        Snapshot snapshot = store.snapshot();
        int acknowledged = 0;
        int lost = 0;
        int failed = 0;
        List<Long> increments = new ArrayList<>();
        // No write can commit between the kill and the promotion (there is no primary), so an
        // acknowledgement printed then is of a commit made before the kill: writes "succeed again"
        // at the first acknowledgement after the promotion began.
        long firstAfter = Long.MAX_VALUE;
        long allAfter = 0;
        long libraryAfter = 0;
        Map<String, Integer> perWriter = new LinkedHashMap<>();
        for (Map.Entry<String, Path> output : outputs.entrySet()) {
            long writerFirstAfter = Long.MAX_VALUE;
            for (String line : Files.readAllLines(output.getValue(), StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 4);
                switch (parts[0]) {
                    case "ack" -> {
                        acknowledged++;
                        perWriter.merge(output.getKey(), 1, Integer::sum);
                        String key = parts[1];
                        long index = Long.parseLong(key.substring(key.lastIndexOf(".k") + 2));
                        if (!snapshot.get(Key.of(key)).map(Entry::value).equals(java.util.Optional.of(Value.of(index)))) {
                            lost++;
                        }
                        long at = Long.parseLong(parts[2]);
                        if (at > promoting) {
                            writerFirstAfter = Math.min(writerFirstAfter, at);
                        }
                    }
                    case "inc" -> {
                        increments.add(Long.parseLong(parts[1]));
                        long at = Long.parseLong(parts[2]);
                        if (at > promoting) {
                            writerFirstAfter = Math.min(writerFirstAfter, at);
                        }
                    }
                    case "fail" -> failed++;
                    default -> throw new AssertionError("unexpected line from " + output.getKey() + ": " + line);
                }
            }
            firstAfter = Math.min(firstAfter, writerFirstAfter);
            allAfter = Math.max(allAfter, writerFirstAfter);
            if (output.getKey().startsWith("lib")) {
                libraryAfter = Math.max(libraryAfter, writerFirstAfter);
            }
        }
        long counter = snapshot.get(Key.of("counter")).map(entry -> ((dev.waterfall.config.NumberValue) entry.value()).longValueExact())
                .orElse(-1L);
        List<HistoryRecord> history = store.history(HistoryQuery.all().limit(1_000_000));
        Map<Key, Integer> recordsPerKey = new HashMap<>();
        for (HistoryRecord record : history) {
            recordsPerKey.merge(record.key(), 1, Integer::sum);
        }
        Set<Long> distinctIncrements = new LinkedHashSet<>(increments);
        long appliedTwice = recordsPerKey.entrySet().stream()
                .filter(e -> !e.getKey().path().equals("counter") && e.getValue() > 1).count()
                + Math.max(0, counter - increments.size()) + (increments.size() - distinctIncrements.size());

        System.out.printf("failover trial (%s): promotion took %.1f s; writes succeed again %.1f s after the kill"
                        + " (%.1f s after the promotion); every library writer by %.1f s after the promotion, every CLI writer (a new JVM"
                        + " per write) by %.1f s; acknowledged: %d sets (%s) and %d counter increments; lost: %d; applied twice: %d;"
                        + " counter %d for %d acknowledged increments; failed writes: %d%n",
                how, (promoted - promoting) / 1000.0, (firstAfter - killed) / 1000.0, (firstAfter - promoted) / 1000.0,
                (libraryAfter - promoted) / 1000.0, (allAfter - promoted) / 1000.0, acknowledged, perWriter, increments.size(), lost,
                appliedTwice, counter, increments.size(), failed);

        assertThat(perWriter.keySet()).as("every writer had writes acknowledged").hasSize(4);
        assertThat(allAfter).as("every writer wrote after the promotion").isGreaterThan(promoted);
        assertThat(lost).as("acknowledged writes lost").isZero();
        assertThat(appliedTwice).as("writes applied twice").isZero();
        assertThat(counter).as("the counter equals the acknowledged increments").isEqualTo(increments.size());
        assertThat(failed).as("writes that failed (each is a clear error; none expected within failover_timeout)").isZero();
    }

    private static Waterfall open(String uri, Path home) {
        return Waterfall.builder("trial").store(uri).environment(Map.of()).home(home).open();
    }

    private static int count(Path output, String prefix) {
        try {
            return (int) Files.readAllLines(output, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith(prefix)).count();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long lastAck(Path output) {
        try {
            long last = 0;
            for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ");
                if ((line.startsWith("ack ") || line.startsWith("inc ")) && parts.length >= 3) {
                    last = Math.max(last, Long.parseLong(parts[2]));
                }
            }
            return last;
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** A JVM with this test's class and module path, running {@code mainClass}. */
    private static List<String> javaCommand(String mainClass, String... args) {
        Set<String> entries = new LinkedHashSet<>();
        for (String property : new String[] {"jdk.module.path", "java.class.path"}) {
            String value = System.getProperty(property);
            if (value != null) {
                for (String entry : value.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry);
                    }
                }
            }
        }
        List<String> command = new ArrayList<>(List.of(Processes.java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", String.join(File.pathSeparator, entries), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
