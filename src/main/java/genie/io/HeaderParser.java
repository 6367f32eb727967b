package genie.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import genie.io.Safetensors.Entry;
import genie.io.Safetensors.Header;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a safetensors header the way the reference implementation does (so a file we accept, PyTorch accepts
 * too), and returns each problem as one sentence for {@link Safetensors.CorruptFileException}.
 */
final class HeaderParser {
    /** The reference implementation's limit; a larger "length" means the file is something else. */
    static final long MAX_HEADER = 100_000_000L;
    private static final TypeAdapter<JsonElement> JSON = new Gson().getAdapter(JsonElement.class);

    private HeaderParser() {}

    /** A problem found in the header: the sentence that names it. */
    static final class Problem extends Exception {
        Problem(String why) {
            super(why, null, false, false);
        }
    }

    static Header parse(FileChannel ch, long size) throws IOException, Problem {
        if (size < 8) {
            throw new Problem("truncated: the file is " + size + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long len = lenBuf.flip().getLong();
        if (len <= 0 || len > MAX_HEADER) {
            throw new Problem("bad header length " + len + " in the first 8 bytes (little-endian, 1 to "
                    + MAX_HEADER + ")");
        }
        if (8 + len > size) {
            throw new Problem("truncated: the header needs " + len + " bytes, the file has " + (size - 8)
                    + " after its 8-byte length");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) len);
        readFully(ch, hb, 8);
        JsonObject root = object(new String(hb.array(), StandardCharsets.UTF_8));
        long dataLen = size - 8 - len;
        Map<String, Entry> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                metadata(e.getValue(), metadata);
            } else {
                tensors.put(e.getKey(), entry(e.getKey(), e.getValue(), dataLen));
            }
        }
        contiguous(tensors, dataLen);
        return new Header(tensors, metadata, 8 + len);
    }

    private static JsonObject object(String text) throws Problem {
        JsonElement el;
        try {
            JsonReader r = new JsonReader(new StringReader(text));
            r.setStrictness(Strictness.STRICT);
            el = JSON.read(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException("more follows the first JSON value");
            }
        } catch (IOException | RuntimeException e) {
            throw new Problem("the header is not JSON (" + e.getMessage() + ")");
        }
        if (!el.isJsonObject()) {
            throw new Problem("the header is not a JSON object");
        }
        return el.getAsJsonObject();
    }

    private static void metadata(JsonElement el, Map<String, String> out) throws Problem {
        if (!el.isJsonObject()) {
            throw new Problem("__metadata__ is " + el + ", not an object of strings");
        }
        for (Map.Entry<String, JsonElement> m : el.getAsJsonObject().entrySet()) {
            JsonElement v = m.getValue();
            if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
                throw new Problem("__metadata__ must map names to strings, but '" + m.getKey() + "' is " + v);
            }
            out.put(m.getKey(), v.getAsString());
        }
    }

    private static Entry entry(String name, JsonElement el, long dataLen) throws Problem {
        String where = "tensor '" + name + "'";
        if (!el.isJsonObject()) {
            throw new Problem(where + " is " + el + ", not an object with dtype, shape and data_offsets");
        }
        JsonObject t = el.getAsJsonObject();
        JsonElement d = t.get("dtype");
        if (d == null || !d.isJsonPrimitive() || !d.getAsJsonPrimitive().isString()) {
            throw new Problem(where + " has no dtype string (got " + d + ")");
        }
        Dtype dtype = Dtype.parse(d.getAsString()).orElseThrow(() -> new Problem(where + " has unknown dtype '"
                + d.getAsString() + "' (supported: " + Dtype.supported() + ")"));
        long[] shape = naturals(t.get("shape"), -1, where + " has no valid shape");
        long[] off = naturals(t.get("data_offsets"), 2, where + " has no valid data_offsets");
        if (off[1] < off[0]) {
            throw new Problem(where + " has data_offsets " + Arrays.toString(off) + ": the end is before the start");
        }
        if (off[1] > dataLen) {
            throw new Problem("truncated: " + where + " ends at byte " + off[1] + " of the data, which holds only "
                    + dataLen + " bytes");
        }
        long need;
        try {
            need = Math.multiplyExact(TensorData.elements(shape), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new Problem(where + " has shape " + Arrays.toString(shape) + ", too large to address");
        }
        if (off[1] - off[0] != need) {
            throw new Problem(where + " holds " + (off[1] - off[0]) + " bytes, but " + dtype + " with shape "
                    + Arrays.toString(shape) + " needs " + need);
        }
        return new Entry(dtype.name(), shape, off[0], off[1]);
    }

    /** A JSON array of non-negative integers ({@code size} of them, unless -1). */
    private static long[] naturals(JsonElement el, int size, String problem) throws Problem {
        if (el == null || !el.isJsonArray() || (size >= 0 && el.getAsJsonArray().size() != size)) {
            throw new Problem(problem + " (got " + el + ")");
        }
        JsonArray a = el.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement v = a.get(i);
            try {
                out[i] = v.getAsJsonPrimitive().getAsBigDecimal().longValueExact();
            } catch (RuntimeException e) {
                throw new Problem(problem + " (" + v + " is not an integer)");
            }
            if (out[i] < 0) {
                throw new Problem(problem + " (" + v + " is negative)");
            }
        }
        return out;
    }

    /** The data must be the tensors end to end, each byte in exactly one, as the reference implementation wants. */
    private static void contiguous(Map<String, Entry> tensors, long dataLen) throws Problem {
        List<Map.Entry<String, Entry>> byStart = new ArrayList<>(tensors.entrySet());
        byStart.sort(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().begin())
                .thenComparingLong(e -> e.getValue().end()));
        long pos = 0;
        String previous = null;
        for (Map.Entry<String, Entry> e : byStart) {
            Entry t = e.getValue();
            if (t.begin() < pos) {
                throw new Problem("tensors '" + previous + "' and '" + e.getKey() + "' overlap (bytes "
                        + t.begin() + " to " + pos + " of the data belong to both)");
            }
            if (t.begin() > pos) {
                throw new Problem("bytes " + pos + " to " + t.begin() + " of the data belong to no tensor (a gap "
                        + "before '" + e.getKey() + "')");
            }
            pos = t.end();
            previous = e.getKey();
        }
        if (pos != dataLen) {
            throw new Problem((dataLen - pos) + " bytes after the last tensor belong to no tensor (data appended, or "
                    + "an entry missing from the header)");
        }
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at + buf.position());
            if (n < 0) {
                throw new java.io.EOFException("the file ended early (it changed while being read?)");
            }
        }
    }
}
