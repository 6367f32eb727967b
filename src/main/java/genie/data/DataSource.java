package genie.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Turns a command-line data spec into an {@link ImageSet} shaped for the model's input [C, H, W].
 *
 * <p>Accepted forms ({@link #FORMS}):
 * <ul>
 *   <li>{@code fashion-mnist:test}, {@code fashion-mnist:train}, {@code fashion-mnist:validation}: the whole split,
 *       labelled ({@link FashionMnist#SPLITS}: train and validation partition the training file)</li>
 *   <li>{@code fashion-mnist:train:512}: 512 images of the split drawn without replacement with the seed</li>
 *   <li>{@code noise:512}: 512 images of N(0,1) values in model input space ({@code java.util.Random(seed)})</li>
 *   <li>{@code folder:DIR}, {@code folder:DIR:N} or a bare existing directory: an {@link ImageFolder} (N images
 *       spread evenly over it)</li>
 *   <li>{@code FILE.safetensors}: an {@link ImageSetFile}</li>
 * </ul>
 */
public final class DataSource {
    public static final String FORMS = "fashion-mnist:<train|validation|test> | fashion-mnist:<train|validation|test>:N"
            + " | noise:N | folder:DIR | folder:DIR:N | DIR (class-per-folder images) | FILE.safetensors";

    private DataSource() {
    }

    public enum Kind { FASHION_MNIST, NOISE, FOLDER, FILE }

    /**
     * A parsed spec. {@code location} is the split (fashion-mnist), the directory or the file; {@code count} is
     * the requested number of images, or 0 for all.
     */
    public record Spec(Kind kind, String location, int count, String text) {
    }

    /** Parses without loading anything (so a command line can be checked up front). */
    public static Spec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw unknown(spec);
        }
        String s = spec.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("fashion-mnist:") || lower.equals("fashion-mnist")) {
            String[] parts = s.split(":", -1);
            if (parts.length < 2 || parts.length > 3) {
                throw unknown(spec);
            }
            String split = parts[1].toLowerCase(Locale.ROOT);
            if (!split.equals("train") && !split.equals("validation") && !split.equals("test")) {
                throw new IllegalArgumentException("data spec '" + spec + "': Fashion-MNIST split must be "
                        + FashionMnist.SPLITS + ", got '" + parts[1] + "'. Accepted forms: " + FORMS);
            }
            int n = parts.length == 3 ? count(spec, parts[2]) : 0;
            return new Spec(Kind.FASHION_MNIST, split, n, s);
        }
        if (lower.startsWith("noise:") || lower.equals("noise")) {
            String[] parts = s.split(":", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("data spec '" + spec + "': noise needs a count, e.g. noise:512. "
                        + "Accepted forms: " + FORMS);
            }
            return new Spec(Kind.NOISE, "", count(spec, parts[1]), s);
        }
        if (lower.startsWith("folder:")) {
            String rest = s.substring("folder:".length());
            int n = 0;
            int colon = rest.lastIndexOf(':');
            if (colon > 0 && rest.substring(colon + 1).matches("-?\\d+")) {
                n = count(spec, rest.substring(colon + 1));
                rest = rest.substring(0, colon);
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("data spec '" + spec + "': folder needs a directory, e.g. "
                        + "folder:images/val:1000. Accepted forms: " + FORMS);
            }
            return new Spec(Kind.FOLDER, rest, n, s);
        }
        if (lower.endsWith(".safetensors")) {
            return new Spec(Kind.FILE, s, 0, s);
        }
        if (Files.isDirectory(Path.of(s))) {
            return new Spec(Kind.FOLDER, s, 0, s);
        }
        throw unknown(spec);
    }

    private static IllegalArgumentException unknown(String spec) {
        return new IllegalArgumentException("unknown data spec '" + spec + "' (not one of the forms below, nor an "
                + "existing directory). Accepted forms: " + FORMS);
    }

    private static int count(String spec, String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("data spec '" + spec + "': the image count must be a positive integer, "
                + "got '" + text + "'. Accepted forms: " + FORMS);
    }

    /** {@link #load(String, int[], Normalization, long, FashionMnist)} with the default Fashion-MNIST directory. */
    public static ImageSet load(String spec, int[] inputShape, Normalization norm, long seed) {
        return load(spec, inputShape, norm, seed, new FashionMnist());
    }

    /**
     * Loads the images for {@code spec}, checked against the model's {@code inputShape} [C, H, W].
     *
     * @param norm  maps pixels to model input space (fashion-mnist, folders); noise and files are already there
     * @param seed  for sampling ({@code fashion-mnist:split:N}) and noise
     * @throws IllegalArgumentException for an unknown spec or data whose shape does not fit the model
     */
    public static ImageSet load(String spec, int[] inputShape, Normalization norm, long seed, FashionMnist fashion) {
        if (inputShape == null || inputShape.length != 3 || Arrays.stream(inputShape).anyMatch(d -> d <= 0)) {
            throw new IllegalArgumentException("model input shape must be [C, H, W] with positive sizes, got "
                    + Arrays.toString(inputShape));
        }
        if (spec.contains("+")) {
            // Several sets joined: "a.safetensors+b.safetensors" (e.g. synthetic batches made by parallel runs).
            List<ImageSet> parts = new ArrayList<>();
            for (String part : spec.split("\\+")) {
                parts.add(load(part.trim(), inputShape, norm, seed, fashion));
            }
            return ImageSet.concat(parts);
        }
        Spec p = parse(spec);
        ImageSet set = switch (p.kind()) {
            case FASHION_MNIST -> {
                int[] data = {1, FashionMnist.SIDE, FashionMnist.SIDE};
                checkShape(spec, data, inputShape);
                ImageSet all = fashion.load(p.location(), norm);
                yield p.count() > 0 ? all.sample(p.count(), seed) : all;
            }
            case NOISE -> noise(p.count(), inputShape, seed);
            case FOLDER -> {
                int c = inputShape[0];
                if (c != 1 && c != 3) {
                    throw new IllegalArgumentException("data spec '" + spec + "': image folders give 1- or 3-channel "
                            + "images but the model input is " + Arrays.toString(inputShape));
                }
                yield ImageFolder.load(Path.of(p.location()), c, inputShape[1], inputShape[2],
                        ImageFolder.defaultResize(Math.min(inputShape[1], inputShape[2])), norm, p.count());
            }
            case FILE -> {
                ImageSet s = ImageSetFile.load(Path.of(p.location())).images();
                checkShape(spec, s.imageShape(), inputShape);
                yield s;
            }
        };
        return set;
    }

    private static void checkShape(String spec, int[] data, int[] model) {
        if (!Arrays.equals(data, model)) {
            throw new IllegalArgumentException("data spec '" + spec + "' gives images of shape "
                    + Arrays.toString(data) + " [C, H, W] but the model input is " + Arrays.toString(model));
        }
    }

    /** {@code count} unlabeled images of N(0,1) values, shape [count, C, H, W]; same seed, same images. */
    public static ImageSet noise(int count, int[] inputShape, long seed) {
        if (count <= 0) {
            throw new IllegalArgumentException("noise image count must be positive, got " + count);
        }
        long total = (long) count * inputShape[0] * inputShape[1] * inputShape[2];
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(count + " noise images of " + Arrays.toString(inputShape)
                    + " do not fit in one Java array; ask for fewer");
        }
        Random rnd = new Random(seed);
        float[] px = new float[(int) total];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) rnd.nextGaussian();
        }
        return new ImageSet(px, null, count, inputShape[0], inputShape[1], inputShape[2],
                "noise:" + count + " seed " + seed);
    }
}
