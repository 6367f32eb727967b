package genie.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way a header can be wrong gives a CorruptFileException that names the file, the problem and the fix. */
class CorruptHeaderTest {
    private static final String FIX = "write it again with the test";
    private static final String A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    @TempDir
    Path dir;

    private Path raw(String name, long length, String json, int dataBytes) throws Exception {
        byte[] hj = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hj.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(hj);
        Path f = dir.resolve(name + ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private Path raw(String name, String json, int dataBytes) throws Exception {
        return raw(name, json.getBytes(StandardCharsets.UTF_8).length, json, dataBytes);
    }

    /** Asserts the error and returns its problem; every message must name the file and end with the fix. */
    private static String problem(Path f, String... words) {
        Safetensors.CorruptFileException e = assertThrows(Safetensors.CorruptFileException.class,
                () -> Safetensors.readHeader(f, FIX));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + " is not a valid safetensors file: "), m);
        assertTrue(m.endsWith("; " + FIX), m);
        assertEquals(f, e.file());
        for (String w : words) {
            assertTrue(e.problem().contains(w), "'" + w + "' missing from: " + m);
        }
        return e.problem();
    }

    @Test
    void aWellFormedFilePasses() throws Exception {
        Path ok = raw("ok", "{" + A + "}", 8);
        assertEquals(8, Safetensors.readHeader(ok, FIX).tensors().get("a").end());
    }

    @Test
    void truncatedFiles() throws Exception {
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        problem(tiny, "truncated", "3 bytes");
        problem(raw("cuthead", 400, "{" + A + "}", 8), "truncated", "header needs 400 bytes");
        problem(raw("cutdata", "{" + A + "}", 5), "truncated", "tensor 'a' ends at byte 8", "only 5 bytes");
        byte[] whole = Files.readAllBytes(raw("whole", "{" + A + "}", 8));
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(whole, whole.length - 1));
        problem(cut, "truncated");
    }

    @Test
    void badLength() throws Exception {
        problem(raw("zero", 0, "{}", 0), "bad header length 0");
        problem(raw("negative", -5, "{}", 0), "bad header length -5");
        problem(raw("huge", Long.MAX_VALUE, "{" + A + "}", 8), "bad header length " + Long.MAX_VALUE);
    }

    @Test
    void notAJsonObject() throws Exception {
        problem(raw("garbage", "{#!" + A + "}", 8), "not JSON");
        problem(raw("array", "[1, 2]  ", 0), "not a JSON object");
        problem(raw("lenient", "{a:{dtype:F32,shape:[2],data_offsets:[0,8]}}", 8), "not JSON");
        problem(raw("trailing", "{" + A + "}{}", 8), "not JSON");
        problem(raw("nul", "{" + A + "}\0\0\0", 8), "not JSON");
    }

    @Test
    void overlappingGapsAndLeftoverBytes() throws Exception {
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}";
        problem(raw("overlap", "{" + A + "," + b + "}", 12), "'a' and 'b' overlap", "bytes 4 to 8");
        String c = "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}";
        problem(raw("gap", "{" + A + "," + c + "}", 16), "bytes 8 to 12", "belong to no tensor", "before 'c'");
        problem(raw("late", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}", 2), "bytes 0 to 1");
        problem(raw("leftover", "{" + A + "}", 11), "3 bytes after the last tensor");
        problem(raw("reversed", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8),
                "end is before the start");
    }

    @Test
    void dtypeShapeAndLengthMustAgree() throws Exception {
        problem(raw("short", "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a' holds 8 bytes", "F32 with shape [3] needs 12");
        problem(raw("wide", "{\"a\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "I64", "needs 16");
        problem(raw("unknown", "{\"a\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a' has unknown dtype 'Q7'", "F32", "BF16");
        problem(raw("lower", "{\"a\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "unknown dtype");
    }

    @Test
    void malformedEntriesAndMetadata() throws Exception {
        problem(raw("noshape", "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8), "'a' has no valid shape");
        problem(raw("negshape", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8),
                "no valid shape", "negative");
        problem(raw("fraction", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8),
                "no valid shape", "not an integer");
        problem(raw("threeoff", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8),
                "no valid data_offsets");
        problem(raw("nodtype", "{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "'a' has no dtype");
        problem(raw("notobj", "{\"a\":3}", 0), "tensor 'a' is 3");
        problem(raw("metanum", "{\"__metadata__\":{\"seed\":7}," + A + "}", 8), "'seed' is 7");
        problem(raw("metaarr", "{\"__metadata__\":[]," + A + "}", 8), "__metadata__ is []");
    }

    @Test
    void missingFileAndMissingTensor() throws Exception {
        assertThrows(NoSuchFileException.class, () -> Safetensors.readHeader(dir.resolve("none.safetensors")));
        Path ok = raw("ok", "{" + A + "}", 8);
        var e = assertThrows(java.io.IOException.class,
                () -> Safetensors.read(ok, Safetensors.readHeader(ok), "zz"));
        assertTrue(e.getMessage().contains("no tensor 'zz'") && e.getMessage().contains("[a]"), e.getMessage());
        assertEquals(Map.of(), Safetensors.readHeader(ok).metadata());
    }
}
