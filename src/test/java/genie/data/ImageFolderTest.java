package genie.data;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Compares against PIL + torchvision outputs written by tools/make_data_fixtures.py. */
class ImageFolderTest {
    private static final Path FOLDER = DataTestSupport.resource("data/folder");

    private static JsonObject reference() throws IOException {
        return JsonParser.parseString(Files.readString(DataTestSupport.resource("data/folder_reference.json")))
                .getAsJsonObject();
    }

    private static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    private static int[] ints(JsonArray a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static String sha256(int[] u8) throws NoSuchAlgorithmException {
        byte[] b = new byte[u8.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) u8[i];
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void classesAndOrderMatchTorchvision() throws IOException {
        JsonObject ref = reference();
        JsonObject c0 = ref.getAsJsonArray("cases").get(0).getAsJsonObject();
        List<String> classes = new ArrayList<>();
        c0.getAsJsonArray("classes").forEach(e -> classes.add(e.getAsString()));
        assertEquals(classes, ImageFolder.classes(FOLDER));
        assertEquals(List.of("ant", "cat", "dog"), classes);
        List<ImageFolder.Entry> entries = ImageFolder.scan(FOLDER);
        JsonArray files = c0.getAsJsonArray("files");
        assertEquals(files.size(), entries.size()); // notes.txt skipped
        for (int i = 0; i < entries.size(); i++) {
            assertEquals(FOLDER.resolve(files.get(i).getAsString()), entries.get(i).file());
            assertEquals(c0.getAsJsonArray("labels").get(i).getAsInt(), entries.get(i).label());
        }
    }

    @Test
    void matchesPilAndTorchvisionOnEveryCase() throws Exception {
        JsonObject ref = reference();
        int checkedFull = 0;
        for (JsonElement ce : ref.getAsJsonArray("cases")) {
            JsonObject c = ce.getAsJsonObject();
            String name = c.get("name").getAsString();
            int ch = c.get("channels").getAsInt();
            int crop = c.get("crop").getAsInt();
            int resize = c.get("resize").getAsInt();
            Normalization norm = new Normalization(1f / 255f, floats(c.getAsJsonArray("mean")),
                    floats(c.getAsJsonArray("std")));
            ImageSet set = ImageFolder.load(FOLDER, ch, crop, resize, norm, 0);
            JsonArray images = c.getAsJsonArray("images");
            assertEquals(images.size(), set.size(), name);
            assertArrayEquals(new int[] {ch, crop, crop}, set.imageShape(), name);
            assertArrayEquals(ints(c.getAsJsonArray("labels")), set.labels(), name);
            int per = ch * crop * crop;
            List<ImageFolder.Entry> entries = ImageFolder.scan(FOLDER);
            for (int i = 0; i < images.size(); i++) {
                JsonObject im = images.get(i).getAsJsonObject();
                String what = name + " image " + i + " (" + entries.get(i).file().getFileName() + ")";
                int[] u8 = ImageFolder.preprocess(entries.get(i).file(), ch, crop, crop, resize);
                if (im.has("uint8")) {
                    assertArrayEquals(ints(im.getAsJsonArray("uint8")), u8, what);
                    float[] expected = floats(im.getAsJsonArray("values"));
                    float maxDiff = 0;
                    for (int j = 0; j < per; j++) {
                        maxDiff = Math.max(maxDiff, Math.abs(expected[j] - set.pixels()[i * per + j]));
                    }
                    assertTrue(maxDiff <= 1e-6f, what + ": max abs diff " + maxDiff);
                    checkedFull++;
                }
                assertEquals(im.get("sha256_uint8_chw").getAsString(), sha256(u8), what + ": uint8 pixels differ");
                float[] head = floats(im.getAsJsonArray("head"));
                double sum = 0;
                for (int j = 0; j < per; j++) {
                    sum += set.pixels()[i * per + j];
                }
                for (int j = 0; j < head.length; j++) {
                    assertEquals(head[j], set.pixels()[i * per + j], 1e-6f, what + " value " + j);
                }
                assertEquals(im.get("sum").getAsDouble(), sum, 1e-6 * per, what + " sum");
            }
        }
        assertEquals(12, checkedFull);
    }

    @Test
    void resizeRuleAndCenterCropRounding() {
        assertArrayEquals(new int[] {341, 256}, ImageFolder.resizedSize(400, 300, 256)); // int(256*400/300)
        assertArrayEquals(new int[] {256, 384}, ImageFolder.resizedSize(200, 300, 256));
        assertArrayEquals(new int[] {28, 28}, ImageFolder.resizedSize(28, 28, 28));
        assertEquals(256, ImageFolder.defaultResize(224));
        assertEquals(28, ImageFolder.defaultResize(28));
        assertEquals(32, ImageFolder.defaultResize(32));
        // 5 wide, crop 2: (5-2)/2 = 1.5 rounds half-to-even to 2; 7 wide: 2.5 -> 2
        int[] row5 = {0, 1, 2, 3, 4};
        assertArrayEquals(new int[] {2, 3}, ImageFolder.centerCrop(row5, 5, 1, 2, 1));
        int[] row7 = {0, 1, 2, 3, 4, 5, 6};
        assertArrayEquals(new int[] {2, 3}, ImageFolder.centerCrop(row7, 7, 1, 2, 1));
        // larger crop pads with zeros: left (4-2)//2 = 1
        assertArrayEquals(new int[] {0, 7, 8, 0}, ImageFolder.centerCrop(new int[] {7, 8}, 2, 1, 4, 1));
    }

    @Test
    void identityResizeLeavesPixelsAlone(@TempDir Path tmp) throws IOException {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        int[] px = new int[28 * 28];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 7) % 256;
        }
        img.getRaster().setPixels(0, 0, 28, 28, px);
        Files.createDirectories(tmp.resolve("only"));
        ImageIO.write(img, "png", tmp.resolve("only/x.png").toFile());
        ImageSet set = ImageFolder.load(tmp, 1, 28, 0, Normalization.unit(), 0);
        assertEquals(1, set.size());
        for (int i = 0; i < px.length; i++) {
            assertEquals(px[i] / 255f, set.pixels()[i]);
        }
    }

    @Test
    void limitSpreadsOverClasses() {
        ImageSet set = ImageFolder.load(FOLDER, 3, 8, 8, Normalization.imagenet(), 3);
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {0, 1, 2}, set.labels()); // images 0, 2, 4 of 6
        assertEquals(6, ImageFolder.load(FOLDER, 3, 8, 8, Normalization.imagenet(), 100).size());
    }

    @Test
    void clearErrors(@TempDir Path tmp) throws IOException {
        Path missing = tmp.resolve("missing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.load(missing, 3, 8, 8, Normalization.imagenet(), 0));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.load(empty, 3, 8, 8, Normalization.imagenet(), 0));
        assertTrue(e.getMessage().contains("no class sub-folders"), e.getMessage());

        Path emptyClass = Files.createDirectories(tmp.resolve("ec/cls"));
        Files.writeString(emptyClass.resolve("readme.txt"), "x");
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.load(tmp.resolve("ec"), 3, 8, 8, Normalization.imagenet(), 0));
        assertTrue(e.getMessage().contains(emptyClass.toString()) && e.getMessage().contains("no images"),
                e.getMessage());

        Path bad = Files.createDirectories(tmp.resolve("bad/cls")).resolve("broken.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        DataFileException d = assertThrows(DataFileException.class,
                () -> ImageFolder.load(tmp.resolve("bad"), 3, 8, 8, Normalization.imagenet(), 0));
        assertTrue(d.getMessage().contains(bad.toString()), d.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ImageFolder.load(FOLDER, 2, 8, 8, Normalization.unit(), 0));
        assertTrue(e.getMessage().contains("2 input channels"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFolder.load(FOLDER, 1, 8, 8, Normalization.imagenet(), 0));
    }
}
