package genie.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The safetensors format, the one implementation behind weights, image sets and integer exports. Reading checks
 * the whole header first (so a truncated or corrupt file is one clear sentence, never a crash in a decoder);
 * writing keeps {@code __metadata__} and pads the header with spaces to a multiple of 8, as the reference
 * implementation does, so PyTorch's {@code safetensors} reads what we write.
 */
public final class Safetensors {
    /** What to tell the user when nothing more specific is known about who wrote the file. */
    public static final String GENERIC_FIX = "write it again with the program that made it";

    private Safetensors() {}

    /** One tensor's entry in the header: offsets are relative to the start of the data section. */
    public record Entry(String dtype, long[] shape, long begin, long end) {}

    /** A validated header: tensors in file order, string metadata, and where the data section starts. */
    public record Header(Map<String, Entry> tensors, Map<String, String> metadata, long dataStart) {}

    public static Header readHeader(Path file) throws IOException {
        return readHeader(file, GENERIC_FIX);
    }

    /**
     * Reads and checks the header: 8-byte little-endian length, a JSON object, known dtypes, byte lengths that
     * agree with dtype and shape, and offsets that tile the data section exactly.
     *
     * @param fix how the user can repair the file, appended to any CorruptFileException
     * @throws NoSuchFileException when the file is missing
     */
    public static Header readHeader(Path file, String fix) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "safetensors file not found");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return HeaderParser.parse(ch, ch.size());
        } catch (HeaderParser.Problem p) {
            throw new CorruptFileException(file, p.getMessage(), fix);
        }
    }

    /** One tensor of a file whose header was read with {@link #readHeader}. */
    public static TensorData read(Path file, Header header, String name) throws IOException {
        Entry e = header.tensors().get(name);
        if (e == null) {
            throw new IOException(file + " has no tensor '" + name + "'; it has " + header.tensors().keySet());
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(file, ch, header, name, e);
        }
    }

    /** Raw little-endian bytes of one tensor (see {@link #read}). */
    public static byte[] readData(Path file, Header header, String name) throws IOException {
        return read(file, header, name).data();
    }

    /** Every tensor of a file, in file order, after checking its header. */
    public static Map<String, TensorData> readAll(Path file, String fix) throws IOException {
        Header header = readHeader(file, fix);
        Map<String, TensorData> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (Map.Entry<String, Entry> e : header.tensors().entrySet()) {
                out.put(e.getKey(), read(file, ch, header, e.getKey(), e.getValue()));
            }
        }
        return out;
    }

    private static TensorData read(Path file, FileChannel ch, Header header, String name, Entry e)
            throws IOException {
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IOException(file + ": tensor '" + name + "' is " + bytes + " bytes; one tensor may hold at "
                    + "most 2 GiB here (split it into several tensors)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes);
        try {
            HeaderParser.readFully(ch, b, header.dataStart() + e.begin());
        } catch (EOFException x) {
            throw new CorruptFileException(file, "truncated while reading tensor '" + name + "' ("
                    + x.getMessage() + ")", GENERIC_FIX);
        }
        return new TensorData(e.dtype(), e.shape(), b.array());
    }

    /**
     * Writes tensors (in the given order) and string metadata, atomically: a temporary file beside the target,
     * then a rename, so a crash or a concurrent reader never sees half a file.
     */
    public static void write(Path file, Map<String, TensorData> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (metadata != null && !metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            metadata.forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        long offset = 0;
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype());
            JsonArray shape = new JsonArray();
            Arrays.stream(t.shape()).forEach(shape::add);
            o.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(offset);
            off.add(offset + t.data().length);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            offset += t.data().length;
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = new byte[8 + (json.length + 7) / 8 * 8];
        Arrays.fill(head, (byte) ' ');
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(head.length - 8);
        System.arraycopy(json, 0, head, 8, json.length);

        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        // Not Files.createTempFile: its 0600 permissions would survive the rename.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), 1 << 16)) {
                out.write(head);
                for (TensorData t : tensors.values()) {
                    out.write(t.data());
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A safetensors file that fails validation; the message names the file, the problem and the fix. */
    public static final class CorruptFileException extends IOException {
        private final transient Path file;
        private final String problem;

        public CorruptFileException(Path file, String problem, String fix) {
            super(file + " is not a valid safetensors file: " + problem + "; " + fix);
            this.file = file;
            this.problem = problem;
        }

        public Path file() {
            return file;
        }

        /** The problem alone, for callers that word their own message around it. */
        public String problem() {
            return problem;
        }
    }
}
