package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import genie.io.Safetensors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Loads and saves PyTorch {@code state_dict}s in safetensors, strictly by default. */
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

    /**
     * Loads weights into {@code module}. Strict: every missing key, unexpected key and shape mismatch is
     * reported together in one error; {@code num_batches_tracked} may be absent. Non-strict ignores
     * unexpected keys only.
     */
    public static void load(Module module, Path file, List<Rename> renames, boolean strict) throws IOException {
        Safetensors.Header header = Safetensors.readHeader(file); // clear error for truncated/corrupt files first
        Map<String, NDArray> target = module.stateDict();
        NDManager owner = target.values().iterator().next().getManager();
        try (NDManager tmp = owner.newSubManager(); InputStream in = Files.newInputStream(file)) {
            NDList decoded;
            try {
                decoded = NDList.decode(tmp, in);
            } catch (RuntimeException e) {
                throw new Safetensors.CorruptFileException(file + " could not be decoded: " + e.getMessage());
            }
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : decoded) {
                String key = a.getName();
                for (Rename r : renames) {
                    key = r.apply(key);
                }
                byName.put(key, a);
            }
            List<String> missing = new ArrayList<>();
            List<String> mismatched = new ArrayList<>();
            List<String> unexpected = new ArrayList<>();
            for (Map.Entry<String, NDArray> e : target.entrySet()) {
                NDArray src = byName.get(e.getKey());
                if (src == null) {
                    if (!BatchNorm2d.isCountBuffer(e.getKey())) {
                        missing.add(e.getKey() + " " + e.getValue().getShape());
                    }
                } else if (!src.getShape().equals(e.getValue().getShape())) {
                    mismatched.add(e.getKey() + ": checkpoint " + src.getShape() + ", model " + e.getValue().getShape());
                }
            }
            for (String k : byName.keySet()) {
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
            for (Map.Entry<String, NDArray> e : target.entrySet()) {
                NDArray src = byName.get(e.getKey());
                if (src == null) {
                    continue;
                }
                DataType want = e.getValue().getDataType();
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
        Map<String, Safetensors.Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : module.stateDict().entrySet()) {
            out.put(e.getKey(), toTensor(e.getValue()));
        }
        Safetensors.write(file, out, metadata);
    }

    /** An NDArray as safetensors bytes (F32, I64, I8, U8, I32, F16). */
    public static Safetensors.Tensor toTensor(NDArray a) {
        String dtype = switch (a.getDataType()) {
            case FLOAT32 -> "F32";
            case INT64 -> "I64";
            case INT8 -> "I8";
            case UINT8 -> "U8";
            case INT32 -> "I32";
            case FLOAT16 -> "F16";
            case FLOAT64 -> "F64";
            default -> throw new IllegalArgumentException("cannot save dtype " + a.getDataType());
        };
        ByteBuffer bb = a.toByteBuffer();
        byte[] bytes = new byte[bb.remaining()];
        bb.order(ByteOrder.LITTLE_ENDIAN).get(bytes);
        Shape s = a.getShape();
        return new Safetensors.Tensor(dtype, s.getShape(), bytes);
    }
}
