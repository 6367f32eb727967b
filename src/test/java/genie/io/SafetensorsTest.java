package genie.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {

    @Test
    void everyDtypeRoundTripsWithItsShapeAndBytes(@TempDir Path dir) throws Exception {
        Map<String, TensorData> in = new LinkedHashMap<>();
        for (Dtype t : Dtype.values()) {
            long[] shape = {2, 3};
            byte[] data = new byte[6 * t.bytes()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (31 * i + t.ordinal()); // distinct per dtype, so a swapped tensor shows
            }
            in.put("t_" + t, new TensorData(t.name(), shape, data));
        }
        in.put("scalar", TensorData.f32(new float[] {2.5f}));
        in.put("empty", TensorData.i64(new long[0], 0, 3));
        Map<String, String> meta = Map.of("format", "pt", "note", "ünï \"quoted\"");
        Path f = dir.resolve("all.safetensors");
        Safetensors.write(f, in, meta);

        Safetensors.Header h = Safetensors.readHeader(f);
        assertEquals(List.copyOf(in.keySet()), List.copyOf(h.tensors().keySet()), "file order kept");
        assertEquals(meta, h.metadata());
        Map<String, TensorData> back = Safetensors.readAll(f, "fix");
        for (Map.Entry<String, TensorData> e : in.entrySet()) {
            TensorData got = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), got.data(), e.getKey());
        }
        assertArrayEquals(new long[0], h.tensors().get("scalar").shape());
    }

    @Test
    void typedValuesRoundTrip(@TempDir Path dir) throws Exception {
        Map<String, TensorData> in = new LinkedHashMap<>();
        float[] f = {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, -3.25f, Float.NEGATIVE_INFINITY};
        in.put("f32", TensorData.f32(f, 2, 3));
        in.put("f64", TensorData.f64(new double[] {1e-300, -2.5}, 2));
        in.put("i64", TensorData.i64(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, 3));
        in.put("i32", TensorData.i32(new int[] {Integer.MIN_VALUE, 7}, 2));
        in.put("u8", TensorData.bytes(new byte[] {(byte) 255, 0, (byte) 128}, true, 3));
        in.put("i8", TensorData.bytes(new byte[] {(byte) 255, 0, (byte) 128}, false, 3));
        // 1.0, -2.0, 65504 (largest half), smallest subnormal, +inf, -0
        in.put("f16", new TensorData("F16", new long[] {6}, le16(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000)));
        in.put("bf16", new TensorData("BF16", new long[] {2}, le16(0x3F80, 0xC0A0))); // 1.0, -5.0
        in.put("u16", new TensorData("U16", new long[] {1}, le16(0xFFFF)));
        Path p = dir.resolve("typed.safetensors");
        Safetensors.write(p, in, null);
        Map<String, TensorData> b = Safetensors.readAll(p, "fix");

        float[] got = b.get("f32").floats();
        for (int i = 0; i < f.length; i++) {
            assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(got[i]), "f32 at " + i);
        }
        assertArrayEquals(new float[] {0f, -2.5f}, b.get("f64").floats(), "1e-300 rounds to float zero");
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, b.get("i64").longs());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 7}, b.get("i32").longs());
        assertArrayEquals(new long[] {255, 0, 128}, b.get("u8").longs());
        assertArrayEquals(new long[] {-1, 0, -128}, b.get("i8").longs());
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY, -0.0f}, b.get("f16").floats());
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(b.get("f16").floats()[5]));
        assertArrayEquals(new float[] {1f, -5f}, b.get("bf16").floats());
        assertArrayEquals(new long[] {65535}, b.get("u16").longs());
        assertThrows(IllegalStateException.class, () -> b.get("f32").longs());
        assertThrows(IllegalStateException.class, () -> b.get("i64").floats());
    }

    @Test
    void writesTheReferenceLayoutByteForByte(@TempDir Path dir) throws Exception {
        Map<String, TensorData> t = new LinkedHashMap<>();
        t.put("a", TensorData.f32(new float[] {1f, 2f}, 2));
        t.put("b", TensorData.bytes(new byte[] {9}, true, 1, 1));
        Path f = dir.resolve("ref.safetensors");
        Safetensors.write(f, t, Map.of("k", "v"));

        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[1,1],\"data_offsets\":[8,9]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer want = ByteBuffer.allocate(8 + padded + 9).order(ByteOrder.LITTLE_ENDIAN);
        want.putLong(padded).put(json.getBytes(StandardCharsets.UTF_8));
        while (want.position() < 8 + padded) {
            want.put((byte) ' ');
        }
        want.putFloat(1f).putFloat(2f).put((byte) 9);
        assertArrayEquals(want.array(), Files.readAllBytes(f));
        assertEquals(List.of("ref.safetensors"), Files.list(dir).map(p -> p.getFileName().toString()).toList(),
                "no temporary file left behind");
        assertTrue(Files.getPosixFilePermissions(f).contains(PosixFilePermission.OTHERS_READ),
                "readable like any other file the user writes, not 0600");
    }

    @Test
    void aTensorCannotDisagreeWithItsShape() {
        assertThrows(IllegalArgumentException.class, () -> new TensorData("F32", new long[] {3}, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> new TensorData("I64", new long[] {-1}, new byte[0]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TensorData("Q7", new long[] {1}, new byte[1]));
        assertTrue(e.getMessage().contains("Q7") && e.getMessage().contains("F32"), e.getMessage());
    }

    @Test
    void arraysConvertBothWaysForEveryEngineType() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray base = m.arange(0f, 6f).reshape(2, 3).sub(2f);
            for (DataType t : List.of(DataType.FLOAT32, DataType.FLOAT64, DataType.FLOAT16, DataType.INT64,
                    DataType.INT32, DataType.INT8, DataType.BOOLEAN)) {
                NDArray a = base.toType(t, false);
                TensorData d = TensorArrays.toTensor(a);
                NDArray back = TensorArrays.toArray(m, d);
                assertEquals(t, back.getDataType());
                assertEquals(new Shape(2, 3), back.getShape());
                assertArrayEquals(a.toType(DataType.FLOAT32, false).toFloatArray(),
                        back.toType(DataType.FLOAT32, false).toFloatArray(), t.toString());
            }
            NDArray u8 = TensorArrays.toArray(m, TensorData.bytes(new byte[] {(byte) 200, 3}, true, 2));
            assertArrayEquals(new float[] {200f, 3f}, u8.toType(DataType.FLOAT32, false).toFloatArray());
            NDArray u32 = TensorArrays.toArray(m, new TensorData("U32", new long[] {1}, new byte[] {-1, -1, -1, -1}));
            assertEquals(DataType.INT64, u32.getDataType());
            assertArrayEquals(new long[] {4294967295L}, u32.toLongArray());
            // The engine cannot hold these safely (libtorch aborts), so they arrive widened.
            NDArray bf16 = TensorArrays.toArray(m, new TensorData("BF16", new long[] {1}, new byte[] {(byte) 0xA0, (byte) 0xC0}));
            assertEquals(DataType.FLOAT32, bf16.getDataType());
            assertArrayEquals(new float[] {-5f}, bf16.toFloatArray());
            NDArray i16 = TensorArrays.toArray(m, new TensorData("I16", new long[] {1}, new byte[] {-2, -1}));
            assertEquals(DataType.INT64, i16.getDataType());
            assertArrayEquals(new long[] {-2}, i16.toLongArray());
        }
    }

    private static byte[] le16(int... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putShort((short) x);
        }
        return b.array();
    }
}
