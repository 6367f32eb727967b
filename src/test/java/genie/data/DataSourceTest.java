package genie.data;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSourceTest {
    private static final int[] MNIST = {1, 28, 28};
    private static final Path FOLDER = DataTestSupport.resource("data/folder");

    @Test
    void parsesEveryForm() {
        assertEquals(new DataSource.Spec(DataSource.Kind.FASHION_MNIST, "test", 0, "fashion-mnist:test"),
                DataSource.parse("fashion-mnist:test"));
        assertEquals(new DataSource.Spec(DataSource.Kind.FASHION_MNIST, "train", 512, "fashion-mnist:train:512"),
                DataSource.parse("fashion-mnist:train:512"));
        assertEquals(new DataSource.Spec(DataSource.Kind.NOISE, "", 64, "noise:64"), DataSource.parse("noise:64"));
        assertEquals(new DataSource.Spec(DataSource.Kind.FOLDER, "/a/b:c", 10, "folder:/a/b:c:10"),
                DataSource.parse("folder:/a/b:c:10"));
        assertEquals(DataSource.Kind.FOLDER, DataSource.parse("folder:imgs").kind());
        assertEquals(0, DataSource.parse("folder:imgs").count());
        assertEquals(DataSource.Kind.FOLDER, DataSource.parse(FOLDER.toString()).kind());
        assertEquals(new DataSource.Spec(DataSource.Kind.FILE, "out/x.safetensors", 0, "out/x.safetensors"),
                DataSource.parse("out/x.safetensors"));
    }

    @Test
    void badSpecsListTheAcceptedForms() {
        for (String bad : new String[] {"cifar10", "fashion-mnist", "fashion-mnist:val", "noise", "noise:0",
                "noise:abc", "fashion-mnist:train:-3", "fashion-mnist:train:5:6", "", "/no/such/dir", "folder:"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains("noise:N") && e.getMessage().contains("fashion-mnist:<train|validation|test>")
                    && e.getMessage().contains(".safetensors"), bad + " -> " + e.getMessage());
        }
    }

    @Test
    void fashionMnistForms() {
        FashionMnist fm = DataTestSupport.fashionMnistOrSkip();
        Normalization n = Normalization.fashionMnist();
        ImageSet test = DataSource.load("fashion-mnist:test", MNIST, n, 1, fm);
        assertEquals(10000, test.size());
        assertTrue(test.hasLabels());
        ImageSet a = DataSource.load("fashion-mnist:train:512", MNIST, n, 42, fm);
        ImageSet b = DataSource.load("fashion-mnist:train:512", MNIST, n, 42, fm);
        ImageSet c = DataSource.load("fashion-mnist:train:512", MNIST, n, 43, fm);
        assertEquals(512, a.size());
        assertArrayEquals(a.pixels(), b.pixels());
        assertArrayEquals(a.labels(), b.labels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
        ImageSet full = fm.load("train", n);
        ImageSet ref = full.sample(512, 42);
        assertArrayEquals(ref.pixels(), a.pixels());
    }

    @Test
    void fashionMnistForAThreeChannelModelNamesBothShapes(@TempDir Path tmp) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSource.load("fashion-mnist:test", new int[] {3, 224, 224}, Normalization.imagenet(), 0,
                        new FashionMnist(tmp)));
        assertTrue(e.getMessage().contains("[1, 28, 28]") && e.getMessage().contains("[3, 224, 224]"),
                e.getMessage());
    }

    @Test
    void missingFashionMnistIsNotAStackTraceSurprise(@TempDir Path tmp) {
        DatasetMissingException e = assertThrows(DatasetMissingException.class,
                () -> DataSource.load("fashion-mnist:test", MNIST, Normalization.fashionMnist(), 0,
                        new FashionMnist(tmp.resolve("x"))));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void joinedSpecsConcatenateInOrder() {
        int[] shape = {1, 4, 4};
        ImageSet a = DataSource.load("noise:3", shape, Normalization.unit(), 1);
        ImageSet b = DataSource.load("noise:2", shape, Normalization.unit(), 1);
        ImageSet ab = DataSource.load("noise:3+noise:2", shape, Normalization.unit(), 1);
        assertEquals(5, ab.size());
        assertArrayEquals(a.pixels(), Arrays.copyOfRange(ab.pixels(), 0, 48));
        assertArrayEquals(b.pixels(), Arrays.copyOfRange(ab.pixels(), 48, 80));
        assertThrows(IllegalArgumentException.class,
                () -> ImageSet.concat(java.util.List.of(a, DataSource.load("noise:1", new int[] {1, 2, 2}, Normalization.unit(), 1))));
    }

    @Test
    void noiseIsSeededGaussian() {
        int[] shape = {3, 8, 8};
        ImageSet a = DataSource.load("noise:50", shape, Normalization.imagenet(), 7);
        ImageSet b = DataSource.load("noise:50", shape, Normalization.imagenet(), 7);
        ImageSet c = DataSource.load("noise:50", shape, Normalization.imagenet(), 8);
        assertEquals(50, a.size());
        assertArrayEquals(shape, a.imageShape());
        assertFalse(a.hasLabels());
        assertArrayEquals(a.pixels(), b.pixels());
        assertFalse(Arrays.equals(a.pixels(), c.pixels()));
        double sum = 0;
        double sq = 0;
        for (float v : a.pixels()) {
            sum += v;
            sq += v * v;
        }
        int n = a.pixels().length;
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertEquals(0.0, mean, 0.05);
        assertEquals(1.0, var, 0.05);
        assertEquals((float) new java.util.Random(7).nextGaussian(), a.pixels()[0]);
    }

    @Test
    void folderForms() {
        ImageSet all = DataSource.load(FOLDER.toString(), new int[] {3, 12, 12}, Normalization.imagenet(), 0);
        assertEquals(6, all.size());
        ImageSet viaPrefix = DataSource.load("folder:" + FOLDER, new int[] {3, 12, 12}, Normalization.imagenet(), 0);
        assertArrayEquals(all.pixels(), viaPrefix.pixels());
        ImageSet two = DataSource.load("folder:" + FOLDER + ":2", new int[] {1, 10, 10}, Normalization.fashionMnist(), 0);
        assertEquals(2, two.size());
        assertArrayEquals(new int[] {1, 10, 10}, two.imageShape());
        assertArrayEquals(new int[] {0, 1}, two.labels());
        // crop = model size, resize = crop for non-224 models: matches the gray_small-style pipeline
        assertArrayEquals(ImageFolder.load(FOLDER, 1, 10, 10, Normalization.fashionMnist(), 2).pixels(),
                two.pixels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSource.load("folder:" + FOLDER, new int[] {4, 8, 8}, Normalization.unit(), 0));
        assertTrue(e.getMessage().contains("[4, 8, 8]"), e.getMessage());
    }

    @Test
    void safetensorsFileAndShapeMismatch(@TempDir Path tmp) {
        ImageSet noise = DataSource.noise(4, new int[] {3, 5, 5}, 3);
        Path f = tmp.resolve("n.safetensors");
        JsonObject meta = new JsonObject();
        meta.addProperty("source", "noise");
        ImageSetFile.save(f, noise, meta);
        ImageSet back = DataSource.load(f.toString(), new int[] {3, 5, 5}, Normalization.imagenet(), 0);
        assertArrayEquals(noise.pixels(), back.pixels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSource.load(f.toString(), new int[] {1, 5, 5}, Normalization.unit(), 0));
        assertTrue(e.getMessage().contains("[3, 5, 5]") && e.getMessage().contains("[1, 5, 5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> DataSource.load("noise:3", new int[] {3, 5}, Normalization.unit(), 0));
    }
}
