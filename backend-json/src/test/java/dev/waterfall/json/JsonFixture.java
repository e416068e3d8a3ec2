package dev.waterfall.json;

import dev.waterfall.contract.DocExamples;
import dev.waterfall.contract.FileStoreFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The JSON store for the contract suites. */
final class JsonFixture implements FileStoreFixture {

    @Override
    public String scheme() {
        return "json";
    }

    @Override
    public Path storeFile(Path dir) {
        return dir.resolve("config.json");
    }

    @Override
    public boolean keepsDateTimes() {
        return false;
    }

    @Override
    public boolean holdsNonFiniteNumbers() {
        return false;
    }

    @Override
    public List<BrokenSample> brokenSamples() {
        return List.of(
                new BrokenSample("truncated", bytes("{\n  \"plant\": {\n    \"name\": \"Ros"), 3, 0),
                new BrokenSample("trailing comma", bytes("{\n  \"a\": 1,\n  \"b\": 2,\n}\n"), 4, 1),
                new BrokenSample("bad UTF-8", concat(bytes("{\n  \"name\": \"caf"), new byte[] {(byte) 0xC3, (byte) 0x28}, bytes("\"\n}\n")), 2, 15),
                new BrokenSample("byte order mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes("{\"a\": 1}\n")), 1, 1),
                new BrokenSample("empty file", new byte[0], 1, 1),
                new BrokenSample("not an object", bytes("[1, 2]\n"), 1, 1),
                new BrokenSample("duplicate member", bytes("{\n  \"a\": 1,\n  \"a\": 2\n}\n"), 3, 0),
                new BrokenSample("comment", bytes("{\n  // a comment\n  \"a\": 1\n}\n"), 2, 0),
                new BrokenSample("key longer than the key rule allows", bytes("{\n  \"my key" + "x".repeat(300) + "\": 1\n}\n"), 2, 3));
    }

    /**
     * The Python writer of docs/protocol.md, run by python3: the same code a reader would copy.
     */
    @Override
    public Optional<List<String>> foreignWriter(Path file, String prefix, int count) {
        String script = DocExamples.code("python-protocol") + "\nimport sys\n"
                + "for i in range(int(sys.argv[3])):\n"
                + "    waterfall_set(sys.argv[1], sys.argv[2] + '.k' + str(i), i)\n";
        return Optional.of(List.of("python3", "-c", script, file.toString(), prefix, Integer.toString(count)));
    }

    /**
     * The Python writer of docs/protocol.md as an incrementer: under the lock it reads the number and hands
     * the next one to {@code waterfall_set}, which takes the same lock again (POSIX record locks
     * belong to the process, so that is no deadlock) and releases it when it closes its descriptor,
     * after the rename: the read and the write are one step under the lock.
     */
    @Override
    public Optional<List<String>> foreignIncrementer(Path file, String key, int count) {
        String script = DocExamples.code("python-protocol") + "\nimport sys\n"
                + "path, key = sys.argv[1], sys.argv[2]\n"
                + "for i in range(int(sys.argv[3])):\n"
                + "    lock = os.open(path + '.lock', os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)\n"
                + "    try:\n"
                + "        fcntl.lockf(lock, fcntl.LOCK_EX)\n"
                + "        with open(path, encoding='utf-8') as f:\n"
                + "            value = json.load(f)[key]\n"
                + "        waterfall_set(path, key, value + 1)\n"
                + "    finally:\n"
                + "        os.close(lock)\n"
                + "print('done')\n";
        return Optional.of(List.of("python3", "-c", script, file.toString(), key, Integer.toString(count)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }
}
