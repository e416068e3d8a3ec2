package dev.waterfall.contract;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An ext4 file system of its own (4 KiB blocks), made in an image file and mounted through a loop device, whose
 * power can be cut: {@link #cut()} shuts the file system down with {@code EXT4_IOC_SHUTDOWN} and
 * {@code EXT4_GOING_FLAGS_NOLOGFLUSH} (through {@code xfs_io -x -c shutdown}, whose ioctl number and
 * default flag are ext4's), so that from that instant nothing more reaches the device: not the
 * dirty pages, not the journal's uncommitted transactions. What was made durable by an fsync that
 * returned is on the device; anything else may or may not be. {@link #remount()} then does what a
 * machine does when it boots again: the file system is checked ({@code e2fsck}, which replays the
 * journal) and mounted.
 *
 * <p>It needs root, a loop device and the tools ({@code mkfs.ext4}, {@code losetup}, {@code mount},
 * {@code e2fsck}, {@code xfs_io}); {@code scripts/ensure-test-services} installs them. A machine that
 * refuses any of it makes {@link #create} fail with the tool's own words: the power-cut trials are
 * never skipped. {@link #close()} unmounts, detaches the loop device and deletes the image whatever
 * happened before, and a shutdown hook does the same if the JVM is stopped first.
 */
public final class LoopMount implements AutoCloseable {

    /** What a command printed and how it ended. */
    record Result(int exit, String output) {
    }

    private final Path image;
    private final Path mountPoint;
    private final String device;
    private final Thread hook;
    private Process cutter;
    private boolean mounted;
    private boolean closed;

    private LoopMount(Path image, Path mountPoint, String device) {
        this.image = image;
        this.mountPoint = mountPoint;
        this.device = device;
        this.hook = new Thread(this::closeQuietly, "loop-mount-cleanup");
    }

    /**
     * Makes a {@code megabytes} ext4 image in {@code work} (a sparse file), attaches it to a free
     * loop device and mounts it on {@code work/mnt}.
     *
     * @throws AssertionError naming what the machine refused, if it refused
     */
    public static LoopMount create(Path work, int megabytes) throws IOException, InterruptedException {
        Path image = work.resolve("power-cut.img");
        Path mountPoint = work.resolve("mnt");
        Files.createDirectories(mountPoint);
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(megabytes * 1024L * 1024L);
        }
        // 4 KiB blocks, as on any disk of today; mke2fs would give an image this small 1 KiB blocks
        require("make an ext4 file system", List.of("mkfs.ext4", "-q", "-F", "-b", "4096", image.toString()));
        Result attach = require("attach a loop device", List.of("losetup", "--find", "--show", image.toString()));
        LoopMount mount = new LoopMount(image, mountPoint, attach.output().strip());
        Runtime.getRuntime().addShutdownHook(mount.hook);
        try {
            mount.mount();
        } catch (Throwable e) {
            mount.close();
            throw e;
        }
        return mount;
    }

    /** The folder where the file system is mounted. */
    public Path root() {
        return mountPoint;
    }

    /** The loop device, e.g. {@code /dev/loop3}. */
    public String device() {
        return device;
    }

    /**
     * Readies the cut: starts {@code xfs_io -x} on the mount point, reading its commands from a
     * pipe, so that {@link #cut()} costs one write to that pipe rather than a process start (tens of
     * milliseconds, during which writes would go on being acknowledged).
     */
    public void armCut() throws IOException {
        if (cutter == null) {
            try {
                cutter = new ProcessBuilder("xfs_io", "-x", mountPoint.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new AssertionError("the power-cut trials cannot start xfs_io, which cuts the power (EXT4_IOC_SHUTDOWN): "
                        + e.getMessage() + " (scripts/ensure-test-services installs xfsprogs)", e);
            }
        }
    }

    /**
     * Cuts the power: the file system is shut down without flushing its journal
     * ({@code EXT4_GOING_FLAGS_NOLOGFLUSH}, xfs_io's {@code shutdown} without {@code -f}). Every later
     * operation on it fails with EIO, and what was not on the device stays off it. Checked: a file
     * can no longer be made there.
     */
    public void cut() throws IOException, InterruptedException {
        armCut();
        Process running = cutter;
        cutter = null;
        try (var commands = running.getOutputStream()) {
            commands.write("shutdown\nquit\n".getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(running.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!running.waitFor(60, TimeUnit.SECONDS) || running.exitValue() != 0) {
            running.destroyForcibly();
            throw new AssertionError("the power-cut trials cannot shut the file system down with `xfs_io -x -c shutdown "
                    + mountPoint + "` (EXT4_IOC_SHUTDOWN, NOLOGFLUSH): " + output.strip());
        }
        try {
            Files.createFile(mountPoint.resolve("after-the-cut"));
        } catch (IOException expected) {
            return; // EIO: the power is off
        }
        throw new AssertionError("xfs_io's shutdown left " + mountPoint + " writable; it said: " + output.strip());
    }

    /**
     * Unmounts the shut-down file system, checks and repairs it with {@code e2fsck -f -y} (which
     * replays the journal, as at boot) and mounts it again. Call once no process has a file open
     * on it.
     *
     * @return {@code e2fsck}'s exit status: 0 nothing to do, 1 errors corrected (after a cut the
     *         free-block and free-inode counts, which the journal does not carry, are always
     *         recounted); 4 or more means errors left, which fails here
     */
    public int remount() throws IOException, InterruptedException {
        unmount();
        Result check = run(List.of("e2fsck", "-f", "-y", device));
        if (check.exit() >= 4) {
            throw new AssertionError("e2fsck " + device + " left errors (exit " + check.exit() + "):\n" + check.output());
        }
        mount();
        return check.exit();
    }

    /** Remounts the file system read-only ({@code EROFS} for every write from then on) or read-write again. */
    public void remount(boolean readOnly) throws IOException, InterruptedException {
        require("remount " + mountPoint + (readOnly ? " read-only" : " read-write"),
                List.of("mount", "-o", readOnly ? "remount,ro" : "remount,rw", mountPoint.toString()));
    }

    private void mount() throws IOException, InterruptedException {
        require("mount " + device + " on " + mountPoint, List.of("mount", "-t", "ext4", device, mountPoint.toString()));
        mounted = true;
    }

    private void unmount() throws IOException, InterruptedException {
        Result last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            last = run(List.of("umount", mountPoint.toString()));
            if (last.exit() == 0) {
                mounted = false;
                return;
            }
            Thread.sleep(100); // a process just killed may still be letting go of its files
        }
        throw new AssertionError("cannot unmount " + mountPoint + ": " + last.output().strip());
    }

    /** Unmounts (lazily, if a process still holds a file there), detaches the loop device and deletes the image. */
    @Override
    public void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        if (cutter != null) {
            cutter.destroyForcibly();
            cutter.waitFor(30, TimeUnit.SECONDS);
            cutter = null;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
        List<String> problems = new ArrayList<>();
        if (mounted) {
            Result plain = run(List.of("umount", mountPoint.toString()));
            if (plain.exit() != 0) {
                Result lazy = run(List.of("umount", "-l", mountPoint.toString()));
                if (lazy.exit() != 0) {
                    problems.add("umount " + mountPoint + ": " + plain.output().strip() + "; umount -l: " + lazy.output().strip());
                }
            }
            mounted = false;
        }
        Result detach = run(List.of("losetup", "-d", device));
        if (detach.exit() != 0) {
            problems.add("losetup -d " + device + ": " + detach.output().strip());
        }
        Files.deleteIfExists(image);
        if (!problems.isEmpty()) {
            throw new IOException("cleaning up the power-cut file system: " + String.join("; ", problems));
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | InterruptedException e) {
            System.err.println(e.getMessage());
        }
    }

    private static Result require(String what, List<String> command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exit() != 0) {
            throw new AssertionError("the power-cut trials cannot " + what + ": `" + String.join(" ", command) + "` exited "
                    + result.exit() + ": " + result.output().strip()
                    + " (they need root, loop devices, mkfs.ext4, losetup, mount, e2fsck and xfs_io;"
                    + " scripts/ensure-test-services installs the tools)");
        }
        return result;
    }

    /** Runs {@code command}, output and errors together; a tool that is not installed ends with exit 127 and says so. */
    static Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            return new Result(127, command.get(0) + " is not installed: " + e.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(124, String.join(" ", command) + " did not finish within 120 s: " + output);
        }
        return new Result(process.exitValue(), output);
    }
}
