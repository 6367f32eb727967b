package genie.io;

import net.razorvine.pickle.objects.ClassDict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code torch.save} checkpoints (.pth, .pt, .tar): the zip archive PyTorch writes since 1.6, holding a pickled
 * {@code state_dict} ({@code <prefix>data.pkl}) and one file per storage ({@code <prefix>data/<key>}). A state_dict
 * may be wrapped as {@code {"state_dict": ...}} or {@code {"model": ...}}, as training scripts save them. Read in
 * Java (razorvine's unpickler, see {@link TorchPickle}); no Python runs.
 */
public final class TorchCheckpoint {
    /** How to make a file this reader accepts. */
    public static final String FIX = "in Python, save the weights alone: torch.save(model.state_dict(), \"model.pth\")";

    private TorchCheckpoint() {}

    /** Whether a file is a torch.save archive (zip) or a legacy torch.save pickle, by its first bytes. */
    public static boolean recognises(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, 4);
            return n >= 2 && (head[0] == 'P' && head[1] == 'K' || (head[0] & 0xff) == 0x80);
        }
    }

    /** Every tensor of the state_dict, in file order, as safetensors-style tensors (little-endian bytes). */
    public static Map<String, TensorData> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint not found");
        }
        if (!isZip(file)) {
            throw new IOException(file + " is in PyTorch's legacy (before 1.6) torch.save format, which is not read "
                    + "here; load it in a current PyTorch and save it again: torch.save(torch.load(path), \"model.pth\")");
        }
        try (ZipFile zip = open(file)) {
            String prefix = prefix(zip, file);
            if (zip.getEntry(prefix + "constants.pkl") != null || zip.stream().anyMatch(e -> e.getName()
                    .startsWith(prefix + "code/"))) {
                throw new IOException(file + " is a TorchScript archive (torch.jit.save), not a state_dict; in "
                        + "Python: torch.save(torch.jit.load(path).state_dict(), \"model.pth\")");
            }
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null && new String(zip.getInputStream(order).readAllBytes()).trim().equals("big")) {
                throw new IOException(file + " was saved on a big-endian machine; save it again on a little-endian one");
            }
            Object root;
            try (InputStream in = zip.getInputStream(zip.getEntry(prefix + "data.pkl"))) {
                root = TorchPickle.unpickler().load(in);
            } catch (RuntimeException e) {
                throw new IOException(file + ": cannot read its pickle (" + e.getMessage() + "); " + FIX, e);
            }
            Map<?, ?> sd = stateDict(root, file);
            Map<String, byte[]> storages = new HashMap<>();
            Map<String, TensorData> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : sd.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!(e.getValue() instanceof TorchPickle.TensorRef t)) {
                    throw new IOException(file + ": state_dict entry '" + key + "' is not a tensor ("
                            + describe(e.getValue()) + "); " + FIX);
                }
                out.put(key, materialise(zip, prefix, t, storages, key, file));
            }
            return out;
        }
    }

    private static ZipFile open(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + " is not a readable torch.save archive (" + e.getMessage()
                    + ": truncated or corrupt); " + FIX, e);
        }
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(2);
            return h.length == 2 && h[0] == 'P' && h[1] == 'K';
        }
    }

    private static String prefix(ZipFile zip, Path file) throws IOException {
        return zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith("data.pkl") && n.indexOf('/') == n.lastIndexOf('/'))
                .map(n -> n.substring(0, n.length() - "data.pkl".length())).findFirst()
                .orElseThrow(() -> new IOException(file + " is a zip file but not a torch.save archive (no data.pkl); "
                        + FIX));
    }

    /** The state_dict itself, unwrapped; a whole pickled model is refused with the way to save its weights. */
    private static Map<?, ?> stateDict(Object root, Path file) throws IOException {
        if (root instanceof Map<?, ?> m && !(root instanceof ClassDict)) {
            for (String wrapper : new String[] {"state_dict", "model"}) {
                if (m.get(wrapper) instanceof Map<?, ?> inner) { // a state_dict's own keys hold tensors, never maps
                    return stateDict(inner, file);
                }
            }
            return m;
        }
        throw new IOException(file + " holds a pickled " + describe(root) + " object, not a state_dict (loading it "
                + "would need its Python class); " + FIX);
    }

    private static String describe(Object o) {
        return o instanceof ClassDict c ? c.getClassName() : o == null ? "None" : o.getClass().getSimpleName();
    }

    private static TensorData materialise(ZipFile zip, String prefix, TorchPickle.TensorRef t,
            Map<String, byte[]> storages, String key, Path file) throws IOException {
        Dtype dtype = t.storage().type().dtype();
        if (dtype == null) {
            throw new IOException(file + ": tensor '" + key + "' is stored as torch." + t.storage().type().name()
                    + ", which is not supported (float32, float16, bfloat16, float64 and integer tensors are)");
        }
        byte[] storage = storages.get(t.storage().key());
        if (storage == null) {
            ZipEntry e = zip.getEntry(prefix + "data/" + t.storage().key());
            if (e == null) {
                throw new IOException(file + ": storage " + t.storage().key() + " of tensor '" + key + "' is missing");
            }
            try (InputStream in = zip.getInputStream(e)) {
                storage = in.readAllBytes();
            }
            storages.put(t.storage().key(), storage);
        }
        return new TensorData(dtype.name(), t.size(), gather(storage, dtype.bytes(), t, key, file));
    }

    /** The view's elements in row-major order (a contiguous view is one copy; others follow the strides). */
    private static byte[] gather(byte[] storage, int width, TorchPickle.TensorRef t, String key, Path file)
            throws IOException {
        long n = TensorData.elements(t.size());
        byte[] out = new byte[Math.toIntExact(n * width)];
        long[] size = t.size();
        long[] stride = t.stride();
        long last = t.offset();
        for (int d = 0; d < size.length; d++) {
            last += (size[d] - 1) * stride[d];
        }
        if (n > 0 && (t.offset() < 0 || (last + 1) * width > storage.length)) {
            throw new IOException(file + ": tensor '" + key + "' reaches past its storage (truncated archive?)");
        }
        long[] idx = new long[size.length];
        for (long i = 0; i < n; i++) {
            long at = t.offset();
            for (int d = 0; d < size.length; d++) {
                at += idx[d] * stride[d];
            }
            System.arraycopy(storage, (int) (at * width), out, (int) (i * width), width);
            for (int d = size.length - 1; d >= 0 && ++idx[d] == size[d]; d--) {
                idx[d] = 0;
            }
        }
        return out;
    }
}
