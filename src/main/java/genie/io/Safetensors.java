package genie.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors container: header validation before DJL decodes a file (so a truncated or corrupt file is a
 * clear error, never a crash inside the decoder), and a writer that keeps {@code __metadata__} and pads the
 * header to 8 bytes as the reference implementation does (DJL's encoder does neither).
 */
public final class Safetensors {
    private Safetensors() {}

    /** One tensor's entry in the header. */
    public record Entry(String dtype, long[] shape, long begin, long end) {}

    /** A parsed, validated header. */
    public record Header(Map<String, Entry> tensors, Map<String, String> metadata, long dataStart) {}

    /** A tensor to write: dtype is a safetensors dtype name (F32, I64, I8, U8, F16), data little-endian. */
    public record Tensor(String dtype, long[] shape, byte[] data) {}

    /** Reads and checks the header: length, JSON, dtypes, offsets inside the file and consistent with shapes. */
    public static Header readHeader(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "safetensors file not found");
        }
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (size < 8) {
                throw corrupt(file, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > size - 8 || headerLen > 100_000_000L) {
                throw corrupt(file, "header length " + headerLen + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            String json = new String(hb.array(), StandardCharsets.UTF_8);
            JsonObject root;
            try {
                root = JsonParser.parseString(json).getAsJsonObject();
            } catch (RuntimeException e) {
                throw corrupt(file, "header is not a JSON object (" + e.getMessage() + ")");
            }
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Map<String, Entry> tensors = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : root.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    e.getValue().getAsJsonObject().entrySet()
                            .forEach(m -> metadata.put(m.getKey(), m.getValue().getAsString()));
                    continue;
                }
                try {
                    JsonObject t = e.getValue().getAsJsonObject();
                    String dtype = t.get("dtype").getAsString();
                    long[] shape = new long[t.getAsJsonArray("shape").size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = t.getAsJsonArray("shape").get(i).getAsLong();
                    }
                    long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
                    long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
                    long count = 1;
                    for (long d : shape) {
                        count *= d;
                    }
                    int width = dtypeBytes(dtype);
                    if (width < 0) {
                        throw corrupt(file, "tensor '" + e.getKey() + "' has unsupported dtype " + dtype);
                    }
                    if (begin < 0 || end < begin || end > dataLen) {
                        throw corrupt(file, "tensor '" + e.getKey() + "' spans bytes " + begin + ".." + end
                                + " but the data section has " + dataLen + " bytes (file truncated?)");
                    }
                    if (end - begin != count * width) {
                        throw corrupt(file, "tensor '" + e.getKey() + "' holds " + (end - begin) + " bytes, its "
                                + dtype + " shape needs " + count * width);
                    }
                    tensors.put(e.getKey(), new Entry(dtype, shape, begin, end));
                } catch (IOException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw corrupt(file, "malformed entry for tensor '" + e.getKey() + "'");
                }
            }
            return new Header(tensors, metadata, dataStart);
        }
    }

    /** Bytes per element of a safetensors dtype, or -1 if unsupported here. */
    public static int dtypeBytes(String dtype) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> -1;
        };
    }

    /** Writes tensors (in the given order) and string metadata. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype());
            com.google.gson.JsonArray shape = new com.google.gson.JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            com.google.gson.JsonArray off = new com.google.gson.JsonArray();
            off.add(offset);
            off.add(offset + t.data().length);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            offset += t.data().length;
        }
        byte[] hj = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (hj.length + 7) / 8 * 8;
        byte[] hp = new byte[padded];
        java.util.Arrays.fill(hp, (byte) ' ');
        System.arraycopy(hj, 0, hp, 0, hj.length);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(hp);
            for (Tensor t : tensors.values()) {
                out.write(t.data());
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Raw little-endian bytes of a tensor from a validated header. */
    public static byte[] readData(Path file, Header header, String name) throws IOException {
        Entry e = header.tensors().get(name);
        if (e == null) {
            throw new IOException(file + " has no tensor '" + name + "'; it has " + header.tensors().keySet());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) (e.end() - e.begin()));
            ch.read(b, header.dataStart() + e.begin());
            return b.array();
        }
    }

    private static IOException corrupt(Path file, String why) {
        return new CorruptFileException(file + " is not a valid safetensors file: " + why
                + "; re-export it with safetensors.torch.save_file(model.state_dict(), path)");
    }

    /** A safetensors file that fails validation. */
    public static final class CorruptFileException extends IOException {
        public CorruptFileException(String message) {
            super(message);
        }
    }
}
