package genie.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationTest {

    @Test
    void appliesScaleMeanStdPerChannel() {
        Normalization n = new Normalization(1f / 255f, new float[] {0.5f, 0.25f, 0f}, new float[] {0.5f, 0.25f, 2f});
        assertEquals(1f, n.apply(255, 0), 1e-7);
        assertEquals(-1f, n.apply(0, 0), 1e-7);
        assertEquals(-1f, n.apply(0, 1), 1e-7);
        assertEquals(0.5f, n.apply(255, 2), 1e-7);
        // torchvision's ToTensor divides by 255: bit-identical float32
        Normalization unit = Normalization.unit();
        for (int p = 0; p < 256; p++) {
            assertEquals(p / 255f, unit.apply(p, 0));
        }
        Normalization custom = new Normalization(0.01f, new float[] {1f}, new float[] {2f});
        assertEquals((200 * 0.01f - 1f) / 2f, custom.apply(200, 0));
    }

    @Test
    void normalizeAndDenormalizeRoundTripAllPixelValues() {
        Normalization n = Normalization.imagenet();
        int[] px = new int[3 * 16 * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37) % 256;
        }
        float[] x = n.normalize(px, 3, 16, 16);
        assertEquals((px[300] / 255f - 0.456f) / 0.224f, x[300], 0f); // 300 is in channel 1
        assertArrayEquals(px, n.denormalize(x, 3, 16, 16));
        // out-of-range model values are clamped to 0..255
        int[] clamped = n.denormalize(new float[] {100f, -100f, 0f}, 3, 1, 1);
        assertArrayEquals(new int[] {255, 0, Math.round(0.406f * 255)}, clamped);
    }

    @Test
    void denormalizeOneImageOfASet() {
        Normalization n = Normalization.fashionMnist();
        int[] px = {0, 17, 128, 255};
        float[] x = n.normalize(px, 1, 2, 2);
        float[] two = new float[8];
        System.arraycopy(x, 0, two, 4, 4);
        ImageSet set = new ImageSet(two, null, 2, 1, 2, 2, "t");
        assertArrayEquals(px, n.denormalize(set, 1));
    }

    @Test
    void channelCountMismatchIsAClearError() {
        Normalization n = Normalization.imagenet();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> n.checkChannels(1));
        assertTrue(e.getMessage().contains("3 mean values") && e.getMessage().contains("1 channel"), e.getMessage());
        Normalization two = new Normalization(1f, new float[] {0f}, new float[] {1f, 2f});
        e = assertThrows(IllegalArgumentException.class, () -> two.checkChannels(3));
        assertTrue(e.getMessage().contains("2 std values"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> n.normalize(new int[12], 1, 2, 2));
        Normalization.fashionMnist().checkChannels(3); // one value is shared by all channels
    }

    @Test
    void rejectsInvalidParameters() {
        assertThrows(IllegalArgumentException.class, () -> new Normalization(0f, new float[] {0f}, new float[] {1f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(1f, new float[] {0f}, new float[] {0f}));
        assertThrows(IllegalArgumentException.class, () -> new Normalization(1f, new float[0], new float[] {1f}));
        assertThrows(IllegalArgumentException.class,
                () -> new Normalization(1f, new float[] {Float.NaN}, new float[] {1f}));
    }

    @Test
    void isImmutableAndComparesByValue() {
        float[] mean = {0.1f};
        Normalization n = new Normalization(1f, mean, new float[] {1f});
        mean[0] = 9f;
        assertEquals(0.1f, n.mean()[0]);
        n.mean()[0] = 7f;
        assertEquals(0.1f, n.meanOf(0));
        assertEquals(new Normalization(1f, new float[] {0.1f}, new float[] {1f}), n);
    }
}
