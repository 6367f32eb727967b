package genie.data;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.io.Safetensors;
import genie.io.TensorData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@link ImageSet} as a safetensors file: tensor {@code images} (F32 [N,C,H,W]), tensor {@code labels}
 * (I64 [N], only when labelled) and string metadata {@code format = genie-imageset-1}, {@code description}, and
 * {@code genie} = the caller's JSON object as a string. The container itself is {@link Safetensors}; this class
 * only maps an image set onto its tensors and metadata, and words errors for the user of an image set.
 */
public final class ImageSetFile {
    public static final String FORMAT = "genie-imageset-1";
    public static final String IMAGES = "images";
    public static final String LABELS = "labels";
    private static final String FIX = "write it again with `genie synth --out FILE.safetensors`";

    private ImageSetFile() {
    }

    /** What {@link #load} returns: the images and the caller's metadata (an empty object if none was stored). */
    public record Loaded(ImageSet images, JsonObject metadata) {
    }

    /**
     * Writes {@code set} to {@code file} (atomically: a temporary file in the same folder, then a move).
     *
     * @param metadata stored as the JSON string entry {@code genie}; may be null
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public static void save(Path file, ImageSet set, JsonObject metadata) {
        if (set.size() == 0) {
            throw new IllegalArgumentException("refusing to write an empty image set to " + file);
        }
        long imageBytes = (long) set.size() * set.channels() * set.height() * set.width() * Float.BYTES;
        if (imageBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image set " + set.description() + " is " + imageBytes
                    + " bytes of pixels; one tensor must stay under 2 GiB (save fewer images per file)");
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("description", set.description());
        meta.put("genie", (metadata == null ? new JsonObject() : metadata).toString());
        Map<String, TensorData> tensors = new LinkedHashMap<>();
        tensors.put(IMAGES, TensorData.f32(set.pixels(), set.size(), set.channels(), set.height(), set.width()));
        if (set.hasLabels()) {
            tensors.put(LABELS, TensorData.i64(Arrays.stream(set.labels()).asLongStream().toArray(), set.size()));
        }
        try {
            Safetensors.write(file, tensors, meta);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image set to " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads an image set written by {@link #save} (or any safetensors file with an F32 rank-4 {@code images}
     * tensor and an optional integer rank-1 {@code labels} tensor).
     *
     * @throws DataFileException naming the file when it is missing, truncated, corrupt or has the wrong layout
     */
    public static Loaded load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "no such file");
        }
        try {
            Safetensors.Header header = Safetensors.readHeader(file, FIX);
            Safetensors.Entry images = header.tensors().get(IMAGES);
            if (images == null) {
                throw new DataFileException(file, "holds no 'images' tensor (tensors: " + header.tensors().keySet()
                        + ")");
            }
            long[] shape = images.shape();
            if (shape.length != 4) {
                throw new DataFileException(file, "'images' has rank " + shape.length + " (shape "
                        + Arrays.toString(shape) + "); expected [N, C, H, W]");
            }
            if (!images.dtype().equals("F32")) {
                throw new DataFileException(file, "'images' is " + images.dtype() + "; expected F32");
            }
            int[] labels = null;
            Safetensors.Entry l = header.tensors().get(LABELS);
            if (l != null) {
                if (l.shape().length != 1 || l.shape()[0] != shape[0]) {
                    throw new DataFileException(file, "'labels' has shape " + Arrays.toString(l.shape())
                            + "; expected [" + shape[0] + "] to match 'images'");
                }
                labels = classIndices(file, Safetensors.read(file, header, LABELS));
            }
            String description = header.metadata().getOrDefault("description", file.getFileName().toString());
            ImageSet set = new ImageSet(Safetensors.read(file, header, IMAGES).floats(), labels, (int) shape[0],
                    (int) shape[1], (int) shape[2], (int) shape[3], description);
            return new Loaded(set, callerMetadata(file, header.metadata()));
        } catch (Safetensors.CorruptFileException e) {
            throw new DataFileException(file, "corrupt safetensors file: " + e.problem() + "; " + FIX, e);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonObject callerMetadata(Path file, Map<String, String> metadata) {
        String genie = metadata.get("genie");
        try {
            return genie == null ? new JsonObject() : JsonParser.parseString(genie).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new DataFileException(file, "corrupt metadata: 'genie' is not a JSON object (" + e.getMessage()
                    + ")", e);
        }
    }

    private static int[] classIndices(Path file, TensorData lab) {
        if (!lab.dtype().equals("I64") && !lab.dtype().equals("I32")) {
            throw new DataFileException(file, "'labels' is " + lab.dtype() + "; expected I64");
        }
        long[] v = lab.longs();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > Integer.MAX_VALUE) {
                throw new DataFileException(file, "label " + v[i] + " at index " + i + " is not a class index");
            }
            out[i] = (int) v[i];
        }
        return out;
    }
}
