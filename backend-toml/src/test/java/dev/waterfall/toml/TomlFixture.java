package dev.waterfall.toml;

import dev.waterfall.contract.FileStoreFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The TOML store for the contract suites. TOML keeps date-times and has inf and nan, but has no
 * null and only 64-bit integers: the store refuses those. There is no foreign writer: Python's
 * standard library reads TOML but cannot write it.
 */
final class TomlFixture implements FileStoreFixture {

    @Override
    public String scheme() {
        return "toml";
    }

    @Override
    public Path storeFile(Path dir) {
        return dir.resolve("config.toml");
    }

    @Override
    public boolean keepsDateTimes() {
        return true;
    }

    @Override
    public boolean holdsNonFiniteNumbers() {
        return true;
    }

    @Override
    public boolean holdsNull() {
        return false;
    }

    @Override
    public boolean holdsIntegersBeyond64Bits() {
        return false;
    }

    @Override
    public List<BrokenSample> brokenSamples() {
        return List.of(
                new BrokenSample("truncated", bytes("[plant]\nname = \"Ros"), 2, 0),
                new BrokenSample("missing value", bytes("a = 1\nb =\n"), 2, 4),
                new BrokenSample("unclosed array", bytes("ports = [\n  8001,\n  8002\n"), 4, 0),
                new BrokenSample("bad UTF-8", concat(bytes("# ok\nname = \"caf"), new byte[] {(byte) 0xC3, (byte) 0x28}, bytes("\"\n")), 2, 12),
                new BrokenSample("UTF-16", new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'a', 0, ' ', 0, '=', 0, ' ', 0, '1'}, 1, 1),
                new BrokenSample("duplicate key", bytes("a = 1\na = 2\n"), 2, 1),
                new BrokenSample("table defined twice", bytes("[a]\nb = 1\n\n[a]\nc = 2\n"), 4, 0),
                new BrokenSample("null", bytes("a = null\n"), 1, 5),
                new BrokenSample("integer beyond 64 bits", bytes("big = 123456789012345678901234567890\n"), 1, 7),
                new BrokenSample("JSON instead of TOML", bytes("{\"a\": 1}\n"), 1, 1),
                new BrokenSample("key longer than the key rule allows", bytes("[plant]\n\"my key" + "x".repeat(300) + "\" = 1\n"), 2, 1));
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
