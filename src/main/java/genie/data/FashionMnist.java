package genie.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package: gzipped IDX files in
 * {@value #DEFAULT_DIR} ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}). Uncompressed copies (same names without
 * {@code .gz}) are accepted too.
 */
public final class FashionMnist {
    public static final String DEFAULT_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String ENV_DIR = "GENIE_FASHION_MNIST";
    public static final String DEBIAN_PACKAGE = "dataset-fashion-mnist";
    public static final String INSTALL_HINT = "sudo apt-get install " + DEBIAN_PACKAGE;
    public static final int SIDE = 28;
    public static final int NUM_CLASSES = 10;
    /**
     * The last images of the training file form the validation split: quantization settings are chosen on them,
     * so {@code train} (what calibration sets and {@code genie train} draw from) leaves them out, and the test set
     * is scored once per final setting.
     */
    public static final int VALIDATION = 5000;
    public static final String SPLITS = "train (the first 55000 training images), validation (the last 5000) or "
            + "test (10000)";

    private static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final int IDX_UBYTE = 0x08;

    private final Path directory;

    /** The directory from env {@value #ENV_DIR}, else {@value #DEFAULT_DIR}. */
    public FashionMnist() {
        this(defaultDirectory());
    }

    public FashionMnist(Path directory) {
        this.directory = directory;
    }

    /** Env {@value #ENV_DIR} when set and not blank, else {@value #DEFAULT_DIR}. */
    public static Path defaultDirectory() {
        String env = System.getenv(ENV_DIR);
        return env != null && !env.isBlank() ? Path.of(env.trim()) : Path.of(DEFAULT_DIR);
    }

    public Path directory() {
        return directory;
    }

    /** Class names in label order: 0 = T-shirt/top ... 9 = Ankle boot. */
    public static List<String> classes() {
        return CLASSES;
    }

    /** True when both splits' files are present (does not parse them). */
    public boolean isInstalled() {
        for (String split : List.of("train", "test")) {
            if (find(prefix(split) + "-images-idx3-ubyte") == null || find(prefix(split) + "-labels-idx1-ubyte") == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Loads a split ({@code train}: the first 55000 training images, {@code validation}: the last {@value
     * #VALIDATION}, {@code test}: 10000) as [N,1,28,28] in model input space, labelled 0..9.
     *
     * @throws DatasetMissingException when the files are not there (the message says how to install them)
     * @throws DataFileException when a file is truncated or not valid IDX
     */
    public ImageSet load(String split, Normalization norm) {
        norm.checkChannels(1);
        String name = split == null ? null : split.toLowerCase(Locale.ROOT);
        String p = prefix(name);
        Path imagesFile = require(p + "-images-idx3-ubyte");
        Path labelsFile = require(p + "-labels-idx1-ubyte");
        Idx images = readIdx(imagesFile, 3);
        Idx labels = readIdx(labelsFile, 1);
        if (images.dims()[1] != SIDE || images.dims()[2] != SIDE) {
            throw new DataFileException(imagesFile, "images are " + images.dims()[1] + "x" + images.dims()[2]
                    + ", Fashion-MNIST images are " + SIDE + "x" + SIDE);
        }
        int n = images.dims()[0];
        if (labels.dims()[0] != n) {
            throw new DataFileException(labelsFile, labels.dims()[0] + " labels for " + n + " images in "
                    + imagesFile.getFileName());
        }
        int[] lab = new int[n];
        for (int i = 0; i < n; i++) {
            int v = labels.data()[i] & 0xff;
            if (v >= NUM_CLASSES) {
                throw new DataFileException(labelsFile, "label " + v + " at index " + i + " is not a class 0.."
                        + (NUM_CLASSES - 1));
            }
            lab[i] = v;
        }
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = norm.apply(v, 0);
        }
        byte[] raw = images.data();
        float[] px = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            px[i] = lut[raw[i] & 0xff];
        }
        ImageSet file = new ImageSet(px, lab, n, 1, SIDE, SIDE, "fashion-mnist:" + name);
        if (p.equals("t10k")) {
            return file;
        }
        if (n <= VALIDATION) {
            throw new DataFileException(imagesFile, n + " training images; the validation split alone needs "
                    + VALIDATION);
        }
        ImageSet part = name.equals("train") ? file.slice(0, n - VALIDATION) : file.slice(n - VALIDATION, n);
        return part.described("fashion-mnist:" + name);
    }

    private static String prefix(String split) {
        return switch (split == null ? "" : split) {
            case "train", "validation" -> "train";
            case "test", "t10k" -> "t10k";
            default -> throw new IllegalArgumentException("Fashion-MNIST split must be " + SPLITS + ", got '"
                    + split + "'");
        };
    }

    private Path find(String base) {
        for (String name : new String[] {base + ".gz", base}) {
            Path f = directory.resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        return null;
    }

    private Path require(String base) {
        Path f = find(base);
        if (f != null) {
            return f;
        }
        String where = Files.isDirectory(directory)
                ? "Fashion-MNIST file " + base + ".gz is missing from " + directory
                : "Fashion-MNIST directory " + directory + " does not exist";
        throw new DatasetMissingException(directory, where + ". Install it with: " + INSTALL_HINT
                + " (or point env " + ENV_DIR + " at a directory holding the four IDX files)");
    }

    /** A parsed IDX file of unsigned bytes. */
    record Idx(int[] dims, byte[] data) {
    }

    /**
     * Strict IDX reader: magic {@code 00 00 08 rank}, big-endian dimensions, exactly the product of the dimensions
     * in bytes, nothing after. Gzip is detected by its magic bytes.
     */
    static Idx readIdx(Path file, int expectedRank) {
        byte[] bytes;
        try {
            bytes = readMaybeGzip(file);
        } catch (EOFException e) {
            throw new DataFileException(file, "truncated (the compressed stream ends early); reinstall with "
                    + INSTALL_HINT, e);
        } catch (ZipException e) {
            throw new DataFileException(file, "corrupt gzip data (" + e.getMessage() + "); reinstall with "
                    + INSTALL_HINT, e);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e, e);
        }
        if (bytes.length < 4) {
            throw new DataFileException(file, "truncated: " + bytes.length + " bytes, not even an IDX header");
        }
        if (bytes[0] != 0 || bytes[1] != 0 || (bytes[2] & 0xff) != IDX_UBYTE) {
            throw new DataFileException(file, String.format(
                    "not an unsigned-byte IDX file: magic %02x %02x %02x %02x, expected 00 00 08 %02x",
                    bytes[0] & 0xff, bytes[1] & 0xff, bytes[2] & 0xff, bytes[3] & 0xff, expectedRank));
        }
        int rank = bytes[3] & 0xff;
        if (rank != expectedRank) {
            throw new DataFileException(file, "IDX file has " + rank + " dimension(s), expected " + expectedRank);
        }
        int header = 4 + 4 * rank;
        if (bytes.length < header) {
            throw new DataFileException(file, "truncated: " + bytes.length + " bytes, the IDX header needs "
                    + header);
        }
        int[] dims = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++) {
            int o = 4 + 4 * d;
            dims[d] = ((bytes[o] & 0xff) << 24) | ((bytes[o + 1] & 0xff) << 16) | ((bytes[o + 2] & 0xff) << 8)
                    | (bytes[o + 3] & 0xff);
            if (dims[d] <= 0) {
                throw new DataFileException(file, "IDX dimension " + d + " is " + dims[d] + ", must be positive");
            }
            count *= dims[d];
        }
        long expected = header + count;
        if (bytes.length < expected) {
            throw new DataFileException(file, "truncated: header promises " + dimsText(dims) + " = " + count
                    + " bytes of data but only " + (bytes.length - header) + " are present");
        }
        if (bytes.length > expected) {
            throw new DataFileException(file, (bytes.length - expected) + " unexpected trailing bytes after "
                    + dimsText(dims) + " of data");
        }
        byte[] data = new byte[(int) count];
        System.arraycopy(bytes, header, data, 0, data.length);
        return new Idx(dims, data);
    }

    private static String dimsText(int[] dims) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }

    private static byte[] readMaybeGzip(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw, 1 << 16)) {
                    return readAll(gz);
                }
            }
            return readAll(raw);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
        in.transferTo(out);
        return out.toByteArray();
    }
}
