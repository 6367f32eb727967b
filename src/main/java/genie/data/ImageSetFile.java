package genie.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * An {@link ImageSet} as a safetensors file: tensor {@code images} (F32 [N,C,H,W]), tensor {@code labels}
 * (I64 [N], only when labelled) and string metadata {@code format = genie-imageset-1}, {@code description}, and
 * {@code genie} = the caller's JSON object as a string.
 *
 * <p>Written by hand (DJL's encoder cannot write {@code __metadata__}): 8-byte little-endian header length, JSON
 * header padded with spaces to a multiple of 8, then raw little-endian data. Read back with DJL's decoder, after
 * the header has been checked here so that a truncated or corrupt file gives a clear error naming it.
 */
public final class ImageSetFile {
    public static final String FORMAT = "genie-imageset-1";
    public static final String IMAGES = "images";
    public static final String LABELS = "labels";
    private static final long MAX_HEADER = 100L << 20;

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
        long nImages = (long) set.size() * set.channels() * set.height() * set.width();
        long imageBytes = nImages * 4;
        long labelBytes = set.hasLabels() ? (long) set.size() * 8 : 0;
        if (imageBytes + labelBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image set " + set.description() + " is "
                    + (imageBytes + labelBytes) + " bytes; safetensors files read by DJL must stay under 2 GiB");
        }
        JsonObject meta = new JsonObject();
        meta.addProperty("format", FORMAT);
        meta.addProperty("description", set.description());
        meta.addProperty("genie", (metadata == null ? new JsonObject() : metadata).toString());
        JsonObject header = new JsonObject();
        header.add("__metadata__", meta);
        header.add(IMAGES, tensor("F32", new long[] {set.size(), set.channels(), set.height(), set.width()},
                0, imageBytes));
        if (set.hasLabels()) {
            header.add(LABELS, tensor("I64", new long[] {set.size()}, imageBytes, imageBytes + labelBytes));
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) {
            head[i] = ' ';
        }
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir != null) {
                Files.createDirectories(dir);
            }
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                out.write(head);
                ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : set.pixels()) {
                    if (buf.remaining() < 8) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putFloat(v);
                }
                if (set.hasLabels()) {
                    for (int l : set.labels()) {
                        if (buf.remaining() < 8) {
                            out.write(buf.array(), 0, buf.position());
                            buf.clear();
                        }
                        buf.putLong(l);
                    }
                }
                out.write(buf.array(), 0, buf.position());
            }
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image set to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort
                }
            }
        }
    }

    private static JsonObject tensor(String dtype, long[] shape, long begin, long end) {
        JsonObject t = new JsonObject();
        t.addProperty("dtype", dtype);
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        t.add("shape", s);
        JsonArray o = new JsonArray();
        o.add(begin);
        o.add(end);
        t.add("data_offsets", o);
        return t;
    }

    /** Reads the header of a safetensors file (checked: length, JSON, offsets within the file). */
    public static JsonObject readHeader(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e, e);
        }
        if (size < 8) {
            throw new DataFileException(file, "truncated: " + size + " bytes, not a safetensors file");
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf);
            long len = lenBuf.flip().getLong();
            if (len <= 0 || len > MAX_HEADER) {
                throw new DataFileException(file, "not a safetensors file (header length " + len + ")");
            }
            if (8 + len > size) {
                throw new DataFileException(file, "truncated: the header needs " + len + " bytes, the file has "
                        + (size - 8) + " after the length");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) len);
            readFully(ch, hb);
            String text = new String(hb.array(), StandardCharsets.UTF_8);
            JsonElement el;
            try {
                el = JsonParser.parseString(text);
            } catch (RuntimeException e) {
                throw new DataFileException(file, "corrupt safetensors header (not JSON): " + e.getMessage(), e);
            }
            if (!el.isJsonObject()) {
                throw new DataFileException(file, "corrupt safetensors header (not a JSON object)");
            }
            JsonObject header = el.getAsJsonObject();
            long dataSize = size - 8 - len;
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                long[] off = offsets(file, e.getKey(), e.getValue());
                if (off[1] > dataSize) {
                    throw new DataFileException(file, "truncated: tensor '" + e.getKey() + "' ends at byte "
                            + off[1] + " of the data, which holds only " + dataSize + " bytes");
                }
            }
            return header;
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e, e);
        }
    }

    private static void readFully(SeekableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new java.io.EOFException("unexpected end of file");
            }
        }
    }

    private static long[] offsets(Path file, String name, JsonElement el) {
        try {
            JsonArray o = el.getAsJsonObject().getAsJsonArray("data_offsets");
            long a = o.get(0).getAsLong();
            long b = o.get(1).getAsLong();
            if (o.size() != 2 || a < 0 || b < a) {
                throw new IllegalStateException("bad offsets " + o);
            }
            return new long[] {a, b};
        } catch (RuntimeException e) {
            throw new DataFileException(file, "corrupt safetensors header: tensor '" + name
                    + "' has no valid data_offsets", e);
        }
    }

    private static long[] shape(Path file, JsonObject header, String name) {
        try {
            JsonArray s = header.getAsJsonObject(name).getAsJsonArray("shape");
            long[] out = new long[s.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s.get(i).getAsLong();
            }
            return out;
        } catch (RuntimeException e) {
            throw new DataFileException(file, "corrupt safetensors header: tensor '" + name + "' has no valid shape",
                    e);
        }
    }

    private static String dtype(Path file, JsonObject header, String name) {
        try {
            return header.getAsJsonObject(name).get("dtype").getAsString();
        } catch (RuntimeException e) {
            throw new DataFileException(file, "corrupt safetensors header: tensor '" + name + "' has no dtype", e);
        }
    }

    /** Loads with a temporary base manager (closed before returning: the result lives on the Java heap). */
    public static Loaded load(Path file) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return load(file, manager);
        }
    }

    /**
     * Loads an image set written by {@link #save} (or any safetensors file with an F32 rank-4 {@code images}
     * tensor and an optional integer rank-1 {@code labels} tensor). Arrays created while decoding are closed.
     *
     * @throws DataFileException naming the file when it is missing, truncated, corrupt or has the wrong layout
     */
    public static Loaded load(Path file, NDManager manager) {
        if (!Files.isRegularFile(file)) {
            throw new DataFileException(file, "no such file");
        }
        JsonObject header = readHeader(file);
        if (!header.has(IMAGES)) {
            throw new DataFileException(file, "holds no 'images' tensor (tensors: "
                    + header.keySet().stream().filter(k -> !k.equals("__metadata__")).toList() + ")");
        }
        long[] shape = shape(file, header, IMAGES);
        if (shape.length != 4) {
            throw new DataFileException(file, "'images' has rank " + shape.length + " (shape "
                    + java.util.Arrays.toString(shape) + "); expected [N, C, H, W]");
        }
        String dt = dtype(file, header, IMAGES);
        if (!dt.equals("F32")) {
            throw new DataFileException(file, "'images' is " + dt + "; expected F32");
        }
        long per = shape[1] * shape[2] * shape[3];
        long[] off = offsets(file, IMAGES, header.get(IMAGES));
        if (off[1] - off[0] != shape[0] * per * 4) {
            throw new DataFileException(file, "'images' data is " + (off[1] - off[0]) + " bytes, shape "
                    + java.util.Arrays.toString(shape) + " needs " + shape[0] * per * 4);
        }
        boolean labeled = header.has(LABELS);
        if (labeled) {
            long[] ls = shape(file, header, LABELS);
            if (ls.length != 1 || ls[0] != shape[0]) {
                throw new DataFileException(file, "'labels' has shape " + java.util.Arrays.toString(ls)
                        + "; expected [" + shape[0] + "] to match 'images'");
            }
        }
        JsonObject meta = new JsonObject();
        String description = file.getFileName().toString();
        if (header.has("__metadata__")) {
            try {
                JsonObject m = header.getAsJsonObject("__metadata__");
                if (m.has("genie")) {
                    meta = JsonParser.parseString(m.get("genie").getAsString()).getAsJsonObject();
                }
                if (m.has("description")) {
                    description = m.get("description").getAsString();
                }
            } catch (RuntimeException e) {
                throw new DataFileException(file, "corrupt metadata: " + e.getMessage(), e);
            }
        }
        float[] pixels;
        int[] labels = null;
        try (NDManager sub = manager.newSubManager();
             InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            NDList list;
            try {
                list = NDList.decode(sub, in);
            } catch (RuntimeException e) {
                throw new DataFileException(file, "cannot decode safetensors data: " + e.getMessage(), e);
            }
            NDArray images = list.get(IMAGES);
            if (images == null || images.getDataType() != DataType.FLOAT32 || images.getShape().dimension() != 4) {
                throw new DataFileException(file, "decoded 'images' is not an F32 [N,C,H,W] tensor: " + images);
            }
            pixels = images.toFloatArray();
            if (labeled) {
                NDArray lab = list.get(LABELS);
                if (lab == null) {
                    throw new DataFileException(file, "'labels' listed in the header but not decoded");
                }
                labels = toInts(file, lab);
            }
        } catch (IOException e) {
            throw new DataFileException(file, "cannot be read: " + e, e);
        }
        ImageSet set = new ImageSet(pixels, labels, (int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3],
                description);
        return new Loaded(set, meta);
    }

    private static int[] toInts(Path file, NDArray lab) {
        DataType t = lab.getDataType();
        int[] out;
        if (t == DataType.INT64) {
            long[] v = lab.toLongArray();
            out = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                if (v[i] < 0 || v[i] > Integer.MAX_VALUE) {
                    throw new DataFileException(file, "label " + v[i] + " at index " + i + " is not a class index");
                }
                out[i] = (int) v[i];
            }
        } else if (t == DataType.INT32) {
            out = lab.toIntArray();
        } else {
            throw new DataFileException(file, "'labels' is " + t + "; expected I64");
        }
        return out;
    }
}
