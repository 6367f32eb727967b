package genie.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A torchvision-style {@code ImageFolder}: one sub-folder per class (classes sorted by folder name, label = index),
 * images found recursively inside each class folder in {@code os.walk} order, preprocessed like torchvision's
 * evaluation transform on PIL images:
 * {@code Resize(resize) -> CenterCrop(crop) -> ToTensor() -> Normalize(mean, std)}.
 *
 * <p>The loader converts every image to RGB (alpha dropped, like PIL's {@code convert("RGB")}); 1-channel models get
 * PIL's {@code convert("L")} of that ({@code (R*19595 + G*38470 + B*7471 + 0x8000) >> 16}). Resize uses PIL's
 * antialiased bilinear resampling bit for bit ({@link PilResize}). PNG, BMP and GIF decode to the same pixels as
 * PIL; JPEG decoders may differ from libjpeg by a unit here and there.
 */
public final class ImageFolder {
    /** Extensions read (case-insensitive); ImageIO decodes these without plug-ins. */
    public static final Set<String> EXTENSIONS = Set.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFolder() {
    }

    /** torchvision's ImageNet evaluation default: 256 for a 224 crop; otherwise the crop itself (no rescale). */
    public static int defaultResize(int crop) {
        return crop == 224 ? 256 : crop;
    }

    /** One image file and its class index. */
    public record Entry(Path file, int label) {
    }

    /** Class names: the sub-folders of {@code dir}, sorted by name (torchvision's {@code find_classes}). */
    public static List<String> classes(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("image folder " + dir + " does not exist or is not a directory");
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list image folder " + dir + ": " + e.getMessage(), e);
        }
        names.sort(Comparator.naturalOrder());
        if (names.isEmpty()) {
            throw new IllegalArgumentException("image folder " + dir + " has no class sub-folders; expected "
                    + dir + "/<class>/<image>.png (one folder per class)");
        }
        return List.copyOf(names);
    }

    /** All image files with their labels, in torchvision's order (class, then os.walk order, then file name). */
    public static List<Entry> scan(Path dir) {
        List<String> classes = classes(dir);
        List<Entry> out = new ArrayList<>();
        for (int label = 0; label < classes.size(); label++) {
            Path classDir = dir.resolve(classes.get(label));
            List<Path> dirs;
            try (Stream<Path> s = Files.walk(classDir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                dirs = new ArrayList<>(s.filter(Files::isDirectory).toList());
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("cannot list class folder " + classDir + ": " + e.getMessage(), e);
            }
            dirs.sort(Comparator.comparing(Path::toString));
            int before = out.size();
            for (Path d : dirs) {
                List<String> files = new ArrayList<>();
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> !Files.isDirectory(p) && isImage(p)).forEach(p -> files.add(p.getFileName().toString()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot list folder " + d + ": " + e.getMessage(), e);
                }
                files.sort(Comparator.naturalOrder());
                for (String f : files) {
                    out.add(new Entry(d.resolve(f), label));
                }
            }
            if (out.size() == before) {
                throw new IllegalArgumentException("class folder " + classDir + " holds no images (" + String.join(
                        ", ", EXTENSIONS.stream().sorted().toList()) + ")");
            }
        }
        return out;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot));
    }

    /** Square crop; see {@link #load(Path, int, int, int, int, int, Normalization, int)}. */
    public static ImageSet load(Path dir, int channels, int crop, int resize, Normalization norm, int limit) {
        return load(dir, channels, crop, crop, resize, norm, limit);
    }

    /**
     * Loads the folder as [N, channels, cropH, cropW] in model input space with labels (class indices into
     * {@link #classes(Path)}).
     *
     * @param channels 1 (PIL "L") or 3 (RGB)
     * @param resize   shorter side after resizing; {@code <= 0} for {@link #defaultResize(int)} of the crop
     * @param limit    {@code <= 0} for all images, else at most this many, spread evenly over the folder's order
     *                 (image {@code floor(i * total / limit)}) so every class is represented
     */
    public static ImageSet load(Path dir, int channels, int cropH, int cropW, int resize, Normalization norm,
                                int limit) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("image folder " + dir + ": models with " + channels
                    + " input channels are not supported (1 = grayscale, 3 = RGB)");
        }
        if (cropH <= 0 || cropW <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + cropH + "x" + cropW);
        }
        norm.checkChannels(channels);
        int size = resize > 0 ? resize : defaultResize(Math.min(cropH, cropW));
        List<Entry> all = scan(dir);
        List<Entry> chosen = all;
        if (limit > 0 && limit < all.size()) {
            chosen = new ArrayList<>(limit);
            for (int i = 0; i < limit; i++) {
                chosen.add(all.get((int) ((long) i * all.size() / limit)));
            }
        }
        int n = chosen.size();
        int per = channels * cropH * cropW;
        float[] px = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = chosen.get(i);
            int[] img = preprocess(e.file(), channels, cropH, cropW, size);
            for (int j = 0; j < per; j++) {
                px[i * per + j] = norm.apply(img[j], j / (cropH * cropW));
            }
            labels[i] = e.label();
        }
        return new ImageSet(px, labels, n, channels, cropH, cropW, "folder:" + dir
                + (chosen.size() < all.size() ? ":" + n : ""));
    }

    /** torchvision's {@code Resize(int)} output size: shorter side to {@code size}, aspect kept, truncated. */
    static int[] resizedSize(int w, int h, int size) {
        int shortSide = Math.min(w, h);
        int longSide = Math.max(w, h);
        int newLong = (int) ((double) ((long) size * longSide) / shortSide);
        return w <= h ? new int[] {size, newLong} : new int[] {newLong, size};
    }

    /**
     * Decodes, converts, resizes and center-crops one file; returns 0..255 pixels [channels, cropH, cropW].
     */
    static int[] preprocess(Path file, int channels, int cropH, int cropW, int resize) {
        int[][] planes = readPlanes(file, channels);
        int w = planes[planes.length - 1][0];
        int h = planes[planes.length - 1][1];
        int[] ws = resizedSize(w, h, resize);
        int rw = ws[0];
        int rh = ws[1];
        int[] out = new int[channels * cropH * cropW];
        for (int c = 0; c < channels; c++) {
            int[] r = (rw == w && rh == h) ? planes[c] : PilResize.resize(planes[c], w, h, rw, rh);
            int[] cropped = centerCrop(r, rw, rh, cropW, cropH);
            System.arraycopy(cropped, 0, out, c * cropH * cropW, cropH * cropW);
        }
        return out;
    }

    /** torchvision's center_crop: zero-pad when the crop is larger, then top/left = round-half-even of half. */
    static int[] centerCrop(int[] plane, int w, int h, int cropW, int cropH) {
        int padL = 0;
        int padT = 0;
        if (cropW > w || cropH > h) {
            padL = cropW > w ? (cropW - w) / 2 : 0;
            padT = cropH > h ? (cropH - h) / 2 : 0;
            int padR = cropW > w ? (cropW - w + 1) / 2 : 0;
            int padB = cropH > h ? (cropH - h + 1) / 2 : 0;
            int nw = w + padL + padR;
            int nh = h + padT + padB;
            int[] padded = new int[nw * nh];
            for (int y = 0; y < h; y++) {
                System.arraycopy(plane, y * w, padded, (y + padT) * nw + padL, w);
            }
            plane = padded;
            w = nw;
            h = nh;
        }
        int top = (int) Math.rint((h - cropH) / 2.0);
        int left = (int) Math.rint((w - cropW) / 2.0);
        int[] out = new int[cropW * cropH];
        for (int y = 0; y < cropH; y++) {
            System.arraycopy(plane, (y + top) * w + left, out, y * cropW, cropW);
        }
        return out;
    }

    /**
     * Reads {@code file} as RGB (or L) 8-bit planes. The returned array holds {@code channels} planes followed by
     * one {@code {width, height}} pair.
     */
    private static int[][] readPlanes(Path file, int channels) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataFileException(file, "cannot decode image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw new DataFileException(file, "not a readable image (ImageIO has no decoder for it, or it is "
                    + "corrupt)");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] r = new int[w * h];
        int[] g = new int[w * h];
        int[] b = new int[w * h];
        Raster raster = img.getRaster();
        int type = img.getType();
        if (type == BufferedImage.TYPE_BYTE_GRAY || type == BufferedImage.TYPE_USHORT_GRAY
                || (img.getColorModel().getNumComponents() <= 2 && raster.getNumBands() <= 2
                && !(img.getColorModel() instanceof java.awt.image.IndexColorModel))) {
            // Gray (optionally with alpha): take the stored samples, no colour-space conversion.
            int bits = img.getColorModel().getComponentSize(0);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = raster.getSample(x, y, 0);
                    if (bits > 8) {
                        v >>= bits - 8;
                    } else if (bits < 8) {
                        v = v * 255 / ((1 << bits) - 1);
                    }
                    r[y * w + x] = v;
                    g[y * w + x] = v;
                    b[y * w + x] = v;
                }
            }
        } else {
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int i = 0; i < argb.length; i++) {
                r[i] = (argb[i] >> 16) & 0xff;
                g[i] = (argb[i] >> 8) & 0xff;
                b[i] = argb[i] & 0xff;
            }
        }
        int[] dims = {w, h};
        if (channels == 3) {
            return new int[][] {r, g, b, dims};
        }
        int[] l = new int[w * h];
        for (int i = 0; i < l.length; i++) {
            l[i] = (r[i] * 19595 + g[i] * 38470 + b[i] * 7471 + 0x8000) >> 16;
        }
        return new int[][] {l, dims};
    }
}
