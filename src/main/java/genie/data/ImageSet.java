package genie.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Random;

/**
 * A set of images already in the model's input space (normalised, NCHW float32), with optional labels.
 *
 * <p>Pixels live on the Java heap: a calibration set of a few thousand images or the Fashion-MNIST test set
 * is small, and keeping them off the native heap means no {@code NDManager} owns them. {@link #batch}
 * copies a slice into a manager the caller controls.
 */
public final class ImageSet {
    private final float[] pixels;
    private final int[] labels; // null when unlabeled (synthetic or noise images)
    private final int n;
    private final int c;
    private final int h;
    private final int w;
    private final String description;

    public ImageSet(float[] pixels, int[] labels, int n, int c, int h, int w, String description) {
        if ((long) n * c * h * w != pixels.length) {
            throw new IllegalArgumentException("image set " + description + ": " + pixels.length
                    + " values do not make " + n + " images of " + c + "x" + h + "x" + w);
        }
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("image set " + description + ": " + labels.length
                    + " labels for " + n + " images");
        }
        this.pixels = pixels;
        this.labels = labels;
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.description = description;
    }

    public int size() {
        return n;
    }

    public int channels() {
        return c;
    }

    public int height() {
        return h;
    }

    public int width() {
        return w;
    }

    /** [C, H, W] of one image. */
    public int[] imageShape() {
        return new int[] {c, h, w};
    }

    public boolean hasLabels() {
        return labels != null;
    }

    public String description() {
        return description;
    }

    public int label(int i) {
        if (labels == null) {
            throw new IllegalStateException("image set " + description + " has no labels");
        }
        return labels[i];
    }

    /** Raw access for writers; do not modify. */
    public float[] pixels() {
        return pixels;
    }

    /** Raw access for writers; null when unlabeled. Do not modify. */
    public int[] labels() {
        return labels;
    }

    /** Images [from, to) as a new NCHW float32 array in {@code manager}. */
    public NDArray batch(NDManager manager, int from, int to) {
        checkRange(from, to);
        int per = c * h * w;
        float[] slice = Arrays.copyOfRange(pixels, from * per, to * per);
        return manager.create(slice, new Shape(to - from, c, h, w));
    }

    /** Images at the given indices as a new NCHW float32 array in {@code manager}. */
    public NDArray batch(NDManager manager, int[] indices) {
        int per = c * h * w;
        float[] out = new float[indices.length * per];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("image " + i + " of " + n);
            }
            System.arraycopy(pixels, i * per, out, k * per, per);
        }
        return manager.create(out, new Shape(indices.length, c, h, w));
    }

    /** Labels [from, to). */
    public int[] labels(int from, int to) {
        checkRange(from, to);
        if (labels == null) {
            throw new IllegalStateException("image set " + description + " has no labels");
        }
        return Arrays.copyOfRange(labels, from, to);
    }

    /** The first {@code count} images (all of them if there are fewer). */
    public ImageSet head(int count) {
        int k = Math.min(count, n);
        int per = c * h * w;
        return new ImageSet(Arrays.copyOf(pixels, k * per), labels == null ? null : Arrays.copyOf(labels, k),
                k, c, h, w, description + "[:" + k + "]");
    }

    /** Images [from, to), described as such. */
    public ImageSet slice(int from, int to) {
        checkRange(from, to);
        int per = c * h * w;
        return new ImageSet(Arrays.copyOfRange(pixels, from * per, to * per),
                labels == null ? null : Arrays.copyOfRange(labels, from, to), to - from, c, h, w,
                description + "[" + from + ":" + to + "]");
    }

    /** The same images under another description (no copy). */
    ImageSet described(String text) {
        return new ImageSet(pixels, labels, n, c, h, w, text);
    }

    /** {@code count} distinct images drawn without replacement with {@code seed} (same seed, same images). */
    public ImageSet sample(int count, long seed) {
        if (count <= 0 || count > n) {
            throw new IllegalArgumentException("cannot sample " + count + " images from " + description
                    + " which has " + n + "; ask for 1.." + n);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = 0; i < count; i++) { // partial Fisher-Yates
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int per = c * h * w;
        float[] out = new float[count * per];
        int[] lab = labels == null ? null : new int[count];
        for (int k = 0; k < count; k++) {
            System.arraycopy(pixels, idx[k] * per, out, k * per, per);
            if (lab != null) {
                lab[k] = labels[idx[k]];
            }
        }
        return new ImageSet(out, lab, count, c, h, w, description + " sample " + count + " seed " + seed);
    }

    /** Throws a clear error if any value is NaN or infinite (calibration data must be finite). */
    public ImageSet requireFinite() {
        for (int i = 0; i < pixels.length; i++) {
            if (!Float.isFinite(pixels[i])) {
                int per = c * h * w;
                throw new IllegalArgumentException("image set " + description + " holds a non-finite value ("
                        + pixels[i] + ") in image " + (i / per) + "; regenerate or clean the data");
            }
        }
        return this;
    }

    private void checkRange(int from, int to) {
        if (from < 0 || to > n || from > to) {
            throw new IndexOutOfBoundsException("range [" + from + ", " + to + ") of " + n + " images");
        }
    }

    /** The images of several sets one after the other (all of one shape; labels kept only if all have them). */
    public static ImageSet concat(java.util.List<ImageSet> sets) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        ImageSet first = sets.get(0);
        int total = 0;
        boolean labeled = true;
        for (ImageSet s : sets) {
            if (s.c != first.c || s.h != first.h || s.w != first.w) {
                throw new IllegalArgumentException("cannot join image sets of " + first.c + "x" + first.h + "x"
                        + first.w + " and " + s.c + "x" + s.h + "x" + s.w + " images");
            }
            total += s.n;
            labeled &= s.labels != null;
        }
        int per = first.c * first.h * first.w;
        float[] px = new float[total * per];
        int[] lab = labeled ? new int[total] : null;
        int off = 0;
        StringBuilder desc = new StringBuilder();
        for (ImageSet s : sets) {
            System.arraycopy(s.pixels, 0, px, off * per, s.n * per);
            if (lab != null) {
                System.arraycopy(s.labels, 0, lab, off, s.n);
            }
            off += s.n;
            desc.append(desc.length() == 0 ? "" : " + ").append(s.description);
        }
        return new ImageSet(px, lab, total, first.c, first.h, first.w, desc.toString());
    }

    @Override
    public String toString() {
        return "ImageSet(" + description + ": " + n + " x " + c + "x" + h + "x" + w
                + (labels == null ? ", unlabeled" : ", labeled") + ")";
    }
}
