package genie.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageSetFileTest {

    private static ImageSet sample(boolean labeled) {
        int n = 5;
        float[] px = new float[n * 3 * 4 * 6];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.sin(i * 0.37) * 3.5f;
        }
        px[1] = -0.0f;
        px[2] = Float.MIN_VALUE;
        px[3] = Float.MAX_VALUE;
        int[] labels = labeled ? new int[] {4, 0, 999, 2, 1} : null;
        return new ImageSet(px, labels, n, 3, 4, 6, "synthetic test set");
    }

    private static JsonObject meta() {
        JsonObject m = new JsonObject();
        m.addProperty("method", "genie-d");
        m.addProperty("seed", 7);
        JsonArray a = new JsonArray();
        a.add(1.5);
        a.add("x\"y\\z ünï");
        m.add("list", a);
        return m;
    }

    @Test
    void roundTripIsBitIdentical(@TempDir Path tmp) {
        ImageSet set = sample(true);
        Path f = tmp.resolve("sub/dir/set.safetensors");
        ImageSetFile.save(f, set, meta());
        ImageSetFile.Loaded back = ImageSetFile.load(f);
        ImageSet got = back.images();
        assertArrayEquals(set.imageShape(), got.imageShape());
        assertEquals(set.size(), got.size());
        assertEquals(set.pixels().length, got.pixels().length);
        for (int i = 0; i < set.pixels().length; i++) {
            assertEquals(Float.floatToRawIntBits(set.pixels()[i]), Float.floatToRawIntBits(got.pixels()[i]), "at " + i);
        }
        assertArrayEquals(set.labels(), got.labels());
        assertEquals(meta(), back.metadata());
        assertEquals("synthetic test set", got.description());
    }

    @Test
    void unlabeledRoundTripAndHeaderLayout(@TempDir Path tmp) throws IOException {
        ImageSet set = sample(false);
        Path f = tmp.resolve("u.safetensors");
        ImageSetFile.save(f, set, null);
        ImageSetFile.Loaded back = ImageSetFile.load(f);
        assertFalse(back.images().hasLabels());
        assertNull(back.images().labels());
        assertEquals(new JsonObject(), back.metadata());
        assertArrayEquals(set.pixels(), back.images().pixels());

        byte[] bytes = Files.readAllBytes(f);
        long len = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, len % 8, "header padded to a multiple of 8");
        assertEquals(8 + len + set.pixels().length * 4L, bytes.length);
        Safetensors.Header header = Safetensors.readHeader(f);
        assertEquals("genie-imageset-1", header.metadata().get("format"));
        assertEquals("{}", header.metadata().get("genie"));
        assertEquals("F32", header.tensors().get("images").dtype());
        assertFalse(header.tensors().containsKey("labels"));
        // first float, little endian, right after the header
        float first = ByteBuffer.wrap(bytes, (int) (8 + len), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertEquals(set.pixels()[0], first);
    }

    @Test
    void labelsAreI64AndMetadataIsStringToString(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("l.safetensors");
        ImageSetFile.save(f, sample(true), meta());
        // The raw JSON, not our parser's view of it: other readers must find strings here.
        byte[] bytes = Files.readAllBytes(f);
        long len = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonObject header = JsonParser.parseString(new String(bytes, 8, (int) len, StandardCharsets.UTF_8))
                .getAsJsonObject();
        JsonObject labels = header.getAsJsonObject("labels");
        assertEquals("I64", labels.get("dtype").getAsString());
        assertEquals(5, labels.getAsJsonArray("shape").get(0).getAsInt());
        assertEquals(5 * 3 * 4 * 6 * 4, labels.getAsJsonArray("data_offsets").get(0).getAsInt());
        header.getAsJsonObject("__metadata__").entrySet()
                .forEach(e -> assertTrue(e.getValue().isJsonPrimitive() && e.getValue().getAsJsonPrimitive().isString(),
                        e.getKey()));
    }

    @Test
    void truncatedOrCorruptFilesNameTheFile(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("good.safetensors");
        ImageSetFile.save(f, sample(true), meta());
        byte[] bytes = Files.readAllBytes(f);

        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 9));
        DataFileException e = assertThrows(DataFileException.class, () -> ImageSetFile.load(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        Path cutHeader = tmp.resolve("cuthead.safetensors");
        Files.write(cutHeader, Arrays.copyOf(bytes, 40));
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(cutHeader));
        assertTrue(e.getMessage().contains(cutHeader.toString()) && e.getMessage().contains("truncated"),
                e.getMessage());

        Path tiny = tmp.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(tiny));
        assertTrue(e.getMessage().contains(tiny.toString()), e.getMessage());

        Path garbage = tmp.resolve("garbage.safetensors");
        byte[] g = bytes.clone();
        g[9] = '#';
        g[10] = '!';
        Files.write(garbage, g);
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(garbage));
        assertTrue(e.getMessage().contains(garbage.toString()) && e.getMessage().contains("corrupt"), e.getMessage());

        Path huge = tmp.resolve("huge.safetensors");
        byte[] h = bytes.clone();
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Files.write(huge, h);
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(huge));
        assertTrue(e.getMessage().contains(huge.toString()), e.getMessage());

        Path none = tmp.resolve("none.safetensors");
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
    }

    private static void writeRaw(Path file, String json, int dataBytes) throws IOException {
        byte[] hj = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + hj.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(hj.length).put(hj);
        Files.write(file, b.array());
    }

    @Test
    void missingImagesOrWrongRankIsAClearError(@TempDir Path tmp) throws IOException {
        Path noImages = tmp.resolve("noimages.safetensors");
        writeRaw(noImages, "{\"weights\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        DataFileException e = assertThrows(DataFileException.class, () -> ImageSetFile.load(noImages));
        assertTrue(e.getMessage().contains(noImages.toString()) && e.getMessage().contains("no 'images'")
                && e.getMessage().contains("weights"), e.getMessage());

        Path rank3 = tmp.resolve("rank3.safetensors");
        writeRaw(rank3, "{\"images\":{\"dtype\":\"F32\",\"shape\":[2,2,2],\"data_offsets\":[0,32]}}", 32);
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(rank3));
        assertTrue(e.getMessage().contains(rank3.toString()) && e.getMessage().contains("rank 3"), e.getMessage());

        Path f16 = tmp.resolve("f16.safetensors");
        writeRaw(f16, "{\"images\":{\"dtype\":\"F16\",\"shape\":[1,1,2,2],\"data_offsets\":[0,8]}}", 8);
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(f16));
        assertTrue(e.getMessage().contains("F16"), e.getMessage());

        Path badLabels = tmp.resolve("badlabels.safetensors");
        writeRaw(badLabels, "{\"images\":{\"dtype\":\"F32\",\"shape\":[2,1,1,1],\"data_offsets\":[0,8]},"
                + "\"labels\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[8,32]}}", 32);
        e = assertThrows(DataFileException.class, () -> ImageSetFile.load(badLabels));
        assertTrue(e.getMessage().contains("'labels' has shape [3]"), e.getMessage());

        // a foreign file without metadata loads, description = file name
        Path plain = tmp.resolve("plain.safetensors");
        writeRaw(plain, "{\"images\":{\"dtype\":\"F32\",\"shape\":[1,1,1,2],\"data_offsets\":[0,8]}}    ", 8);
        ImageSetFile.Loaded l = ImageSetFile.load(plain);
        assertEquals(1, l.images().size());
        assertEquals("plain.safetensors", l.images().description());
        assertArrayEquals(new float[] {0f, 0f}, l.images().pixels());
    }

    @Test
    void refusesEmptySet(@TempDir Path tmp) {
        ImageSet empty = new ImageSet(new float[0], null, 0, 1, 2, 2, "empty");
        assertThrows(IllegalArgumentException.class, () -> ImageSetFile.save(tmp.resolve("e.safetensors"), empty, null));
    }
}
