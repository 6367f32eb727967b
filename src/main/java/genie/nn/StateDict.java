package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import genie.io.Safetensors;
import genie.io.TensorArrays;
import genie.io.TensorData;
import genie.io.TorchCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads PyTorch {@code state_dict}s from safetensors or {@code torch.save} files (.pth/.pt/.tar, recognised by
 * content), strictly by default, and saves them in safetensors.
 */
public final class StateDict {
    private StateDict() {}

    /** A key rename rule applied to checkpoint names before matching (regex and replacement). */
    public record Rename(Pattern pattern, String replacement) {
        /** Parses {@code regex=replacement}. */
        public static Rename parse(String rule) {
            int eq = rule.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("rename rule must look like 'regex=replacement', got '" + rule + "'");
            }
            return new Rename(Pattern.compile(rule.substring(0, eq)), rule.substring(eq + 1));
        }

        String apply(String key) {
            return pattern.matcher(key).replaceAll(replacement);
        }
    }

    /** How to repair a weights file that fails the header checks. */
    static final String FIX = "re-export it with safetensors.torch.save_file(model.state_dict(), path)";

    /**
     * Loads weights into {@code module}. Strict: every missing key, unexpected key and shape mismatch is
     * reported together in one error; {@code num_batches_tracked} may be absent. Non-strict ignores
     * unexpected keys only.
     */
    public static void load(Module module, Path file, List<Rename> renames, boolean strict) throws IOException {
        Checkpoint checkpoint = Checkpoint.open(file);
        Map<String, String> fileKey = new LinkedHashMap<>(); // renamed key -> key in the file
        for (String key : checkpoint.shapes().keySet()) {
            String renamed = key;
            for (Rename r : renames) {
                renamed = r.apply(renamed);
            }
            fileKey.put(renamed, key);
        }
        Map<String, NDArray> target = module.stateDict();
        // Names and shapes come from the header, so a mismatch is reported before any data is read.
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            String key = fileKey.get(e.getKey());
            if (key == null) {
                if (!BatchNorm2d.isCountBuffer(e.getKey())) {
                    missing.add(e.getKey() + " " + e.getValue().getShape());
                }
                continue;
            }
            Shape saved = new Shape(checkpoint.shapes().get(key));
            if (!saved.equals(e.getValue().getShape())) {
                mismatched.add(e.getKey() + ": checkpoint " + saved + ", model " + e.getValue().getShape());
            }
        }
        for (String k : fileKey.keySet()) {
            if (!target.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty() || (strict && !unexpected.isEmpty())) {
            StringBuilder sb = new StringBuilder("weights ").append(file)
                    .append(" do not fit this architecture (wrong model spec, or a checkpoint with other names:"
                            + " use a rename rule):");
            append(sb, "missing keys", missing);
            append(sb, "shape mismatches", mismatched);
            if (strict) {
                append(sb, "unexpected keys", unexpected);
            }
            throw new WeightsMismatchException(sb.toString());
        }
        NDManager owner = target.values().iterator().next().getManager();
        for (Map.Entry<String, NDArray> e : target.entrySet()) {
            String key = fileKey.get(e.getKey());
            if (key == null) {
                continue;
            }
            DataType want = e.getValue().getDataType();
            try (NDManager tmp = owner.newSubManager()) {
                NDArray src = TensorArrays.toArray(tmp, checkpoint.read(key));
                NDArray value = src.toType(want, false).toDevice(e.getValue().getDevice(), false);
                if (value == src) {
                    value = src.duplicate();
                }
                value.attach(owner);
                if (!Float.isFinite(want.isFloating() ? value.abs().max().getFloat() : 0f)) {
                    throw new WeightsMismatchException("weights " + file + ": tensor '" + e.getKey()
                            + "' holds NaN or infinite values");
                }
                module.replaceTensor(e.getKey(), value);
            }
        }
    }

    /** Names and shapes first (a mismatch is reported before data is read), then one tensor at a time. */
    private record Checkpoint(Map<String, long[]> shapes, TensorSource source) {
        static Checkpoint open(Path file) throws IOException {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            if (java.nio.file.Files.exists(file) && TorchCheckpoint.recognises(file)) {
                Map<String, TensorData> all = TorchCheckpoint.read(file);
                all.forEach((k, t) -> shapes.put(k, t.shape()));
                return new Checkpoint(shapes, all::get);
            }
            Safetensors.Header header = Safetensors.readHeader(file, FIX);
            header.tensors().forEach((k, e) -> shapes.put(k, e.shape()));
            return new Checkpoint(shapes, key -> Safetensors.read(file, header, key));
        }

        TensorData read(String key) throws IOException {
            return source.read(key);
        }
    }

    private interface TensorSource {
        TensorData read(String key) throws IOException;
    }

    private static void append(StringBuilder sb, String what, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        sb.append("\n  ").append(items.size()).append(' ').append(what).append(": ");
        sb.append(String.join(", ", items.subList(0, Math.min(12, items.size()))));
        if (items.size() > 12) {
            sb.append(", ... (").append(items.size() - 12).append(" more)");
        }
    }

    /** Saves every parameter and buffer under its PyTorch name (loadable with safetensors.torch.load_file). */
    public static void save(Module module, Path file, Map<String, String> metadata) throws IOException {
        Map<String, TensorData> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : module.stateDict().entrySet()) {
            out.put(e.getKey(), TensorArrays.toTensor(e.getValue()));
        }
        Safetensors.write(file, out, metadata);
    }
}
