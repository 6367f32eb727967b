package genie.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistTest {

    @Test
    void testSplitHasTenThousandBalancedImages() {
        FashionMnist fm = DataTestSupport.fashionMnistOrSkip();
        ImageSet set = fm.load("test", Normalization.unit());
        assertEquals(10000, set.size());
        assertArrayEquals(new int[] {1, 28, 28}, set.imageShape());
        assertEquals("fashion-mnist:test", set.description());
        int[] counts = new int[10];
        for (int l : set.labels()) {
            counts[l]++;
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, counts);
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, set.labels(0, 10));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : set.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += Math.round(v * 255f);
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertEquals(73.14656658163265, sum / set.pixels().length, 1e-9); // mean pixel, from numpy
        double img0 = 0;
        for (int i = 0; i < 784; i++) {
            img0 += Math.round(set.pixels()[i] * 255f);
        }
        assertEquals(33456, img0);
    }

    @Test
    void normalisationGivesExpectedValues() {
        FashionMnist fm = DataTestSupport.fashionMnistOrSkip();
        Normalization n = new Normalization(1f / 255f, new float[] {0.286f}, new float[] {0.353f});
        ImageSet set = fm.load("test", n);
        assertEquals((0f - 0.286f) / 0.353f, set.pixels()[0], 1e-7);
        assertEquals(-0.81019831f, set.pixels()[0], 1e-6);
        assertEquals(-0.7768706f, set.pixels()[215], 1e-7); // pixel 3 in image 0 (numpy float32)
    }

    @Test
    void trainAndValidationPartitionTheTrainingFile() {
        FashionMnist fm = DataTestSupport.fashionMnistOrSkip();
        ImageSet train = fm.load("train", Normalization.unit());
        ImageSet validation = fm.load("validation", Normalization.unit());
        assertEquals(55000, train.size());
        assertEquals(FashionMnist.VALIDATION, validation.size());
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, train.labels(0, 10));
        assertEquals(1 / 255f, train.pixels()[96]);
        assertEquals(0f, train.pixels()[95]);
        // Labels of rows 54990..55009 of train-labels-idx1-ubyte (read with numpy): the split is at row 55000.
        assertArrayEquals(new int[] {8, 3, 2, 4, 3, 9, 1, 9, 0, 2}, train.labels(54990, 55000));
        assertArrayEquals(new int[] {0, 8, 0, 6, 5, 8, 0, 4, 7, 8}, validation.labels(0, 10));
        assertEquals("fashion-mnist:validation", validation.description());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fm.load("val", Normalization.unit()));
        assertTrue(e.getMessage().contains("validation (the last 5000)"), e.getMessage());
    }


    @Test
    void classNames() {
        assertEquals(10, FashionMnist.classes().size());
        assertEquals("T-shirt/top", FashionMnist.classes().get(0));
        assertEquals("Trouser", FashionMnist.classes().get(1));
        assertEquals("Ankle boot", FashionMnist.classes().get(9));
    }

    @Test
    void missingDirectoryNamesTheFix(@TempDir Path tmp) {
        Path dir = tmp.resolve("nowhere");
        FashionMnist fm = new FashionMnist(dir);
        assertFalse(fm.isInstalled());
        DatasetMissingException e = assertThrows(DatasetMissingException.class,
                () -> fm.load("test", Normalization.unit()));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains(FashionMnist.ENV_DIR), e.getMessage());
        assertEquals(dir, e.directory());
        assertTrue(e instanceof IllegalStateException);
    }

    @Test
    void missingFileNamesTheFile(@TempDir Path tmp) throws IOException {
        writeIdx(tmp.resolve("t10k-images-idx3-ubyte.gz"), 3, new int[] {2, 28, 28}, new byte[2 * 784], true);
        DatasetMissingException e = assertThrows(DatasetMissingException.class,
                () -> new FashionMnist(tmp).load("test", Normalization.unit()));
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void readsSmallHandMadeIdxFiles(@TempDir Path tmp) throws IOException {
        byte[] px = new byte[3 * 784];
        px[0] = (byte) 255;
        px[784 + 5] = (byte) 128;
        writeIdx(tmp.resolve("t10k-images-idx3-ubyte.gz"), 3, new int[] {3, 28, 28}, px, true);
        writeIdx(tmp.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {3}, new byte[] {4, 0, 9}, false);
        ImageSet set = new FashionMnist(tmp).load("test", Normalization.unit());
        assertEquals(3, set.size());
        assertArrayEquals(new int[] {4, 0, 9}, set.labels());
        assertEquals(1f, set.pixels()[0]);
        assertEquals(128 / 255f, set.pixels()[784 + 5]);
        assertThrows(IllegalArgumentException.class, () -> new FashionMnist(tmp).load("valid", Normalization.unit()));
    }

    @Test
    void truncatedGzipCopyIsAClearError(@TempDir Path tmp) throws IOException {
        FashionMnist fm = DataTestSupport.fashionMnistOrSkip();
        Path real = fm.directory().resolve("t10k-labels-idx1-ubyte.gz");
        byte[] bytes = Files.readAllBytes(real);
        Path cut = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(cut, 1));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        assertEquals(cut, e.file());
        // through load as well, with a valid images file
        Files.copy(fm.directory().resolve("t10k-images-idx3-ubyte.gz"), tmp.resolve("t10k-images-idx3-ubyte.gz"));
        DataFileException e2 = assertThrows(DataFileException.class,
                () -> new FashionMnist(tmp).load("test", Normalization.unit()));
        assertTrue(e2.getMessage().contains("t10k-labels-idx1-ubyte.gz"), e2.getMessage());
    }

    @Test
    void strictIdxChecks(@TempDir Path tmp) throws IOException {
        // data shorter than the header promises
        Path shortData = tmp.resolve("short");
        writeIdx(shortData, 1, new int[] {10}, new byte[7], false);
        DataFileException e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(shortData, 1));
        assertTrue(e.getMessage().startsWith(shortData.toString()) && e.getMessage().contains("truncated")
                && e.getMessage().contains("only 7"), e.getMessage());
        // trailing garbage
        Path longData = tmp.resolve("long");
        writeIdx(longData, 1, new int[] {2}, new byte[5], false);
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(longData, 1));
        assertTrue(e.getMessage().contains("3 unexpected trailing bytes"), e.getMessage());
        // wrong magic (int32 element type 0x0C)
        Path magic = tmp.resolve("magic");
        Files.write(magic, new byte[] {0, 0, 0x0C, 1, 0, 0, 0, 1, 0, 0, 0, 0});
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(magic, 1));
        assertTrue(e.getMessage().contains("magic 00 00 0c 01"), e.getMessage());
        // wrong rank
        Path rank = tmp.resolve("rank");
        writeIdx(rank, 1, new int[] {3}, new byte[3], true);
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(rank, 3));
        assertTrue(e.getMessage().contains("1 dimension(s), expected 3"), e.getMessage());
        // header cut short, and a non-gzip non-IDX text file
        Path head = tmp.resolve("head");
        Files.write(head, new byte[] {0, 0, 8, 3, 0, 0});
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(head, 3));
        assertTrue(e.getMessage().contains("header needs 16"), e.getMessage());
        Path text = tmp.resolve("text.gz");
        Files.writeString(text, "hello, not a dataset");
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(text, 3));
        assertTrue(e.getMessage().contains("not an unsigned-byte IDX file"), e.getMessage());
        // valid gzip header, corrupt deflate data
        Path corrupt = tmp.resolve("corrupt.gz");
        byte[] good = gzip(idxBytes(1, new int[] {100}, new byte[100]));
        for (int i = 12; i < good.length - 8; i++) {
            good[i] = (byte) 0xff;
        }
        Files.write(corrupt, good);
        e = assertThrows(DataFileException.class, () -> FashionMnist.readIdx(corrupt, 1));
        assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
        // label out of range and image/label count mismatch
        writeIdx(tmp.resolve("t10k-images-idx3-ubyte"), 3, new int[] {2, 28, 28}, new byte[2 * 784], false);
        writeIdx(tmp.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {2}, new byte[] {1, 10}, false);
        e = assertThrows(DataFileException.class, () -> new FashionMnist(tmp).load("test", Normalization.unit()));
        assertTrue(e.getMessage().contains("label 10 at index 1"), e.getMessage());
        writeIdx(tmp.resolve("t10k-labels-idx1-ubyte"), 1, new int[] {3}, new byte[] {1, 2, 3}, false);
        e = assertThrows(DataFileException.class, () -> new FashionMnist(tmp).load("test", Normalization.unit()));
        assertTrue(e.getMessage().contains("3 labels for 2 images"), e.getMessage());
    }

    @Test
    void rejectsNormalizationForThreeChannels(@TempDir Path tmp) {
        assertThrows(IllegalArgumentException.class, () -> new FashionMnist(tmp).load("test", Normalization.imagenet()));
    }

    static byte[] idxBytes(int rank, int[] dims, byte[] data) {
        byte[] out = new byte[4 + 4 * rank + data.length];
        out[2] = 8;
        out[3] = (byte) rank;
        for (int d = 0; d < dims.length; d++) {
            int v = dims[d];
            out[4 + 4 * d] = (byte) (v >>> 24);
            out[5 + 4 * d] = (byte) (v >>> 16);
            out[6 + 4 * d] = (byte) (v >>> 8);
            out[7 + 4 * d] = (byte) v;
        }
        System.arraycopy(data, 0, out, 4 + 4 * rank, data.length);
        return out;
    }

    static byte[] gzip(byte[] raw) throws IOException {
        var bos = new java.io.ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(raw);
        }
        return bos.toByteArray();
    }

    static void writeIdx(Path file, int rank, int[] dims, byte[] data, boolean gz) throws IOException {
        byte[] raw = idxBytes(rank, dims, data);
        Files.write(file, gz ? gzip(raw) : raw);
    }
}
