package genie.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import genie.nn.Module;
import genie.nn.ModelSpec;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The weights and inputs of {@code tools/torchvision_outputs.py}, made from the same integer formula, so a model too
 * large to commit has the same weights here as in torchvision (see the script for the formula).
 */
public final class FormulaWeights {
    public static final int INPUT_TENSOR = 999;

    private FormulaWeights() {}

    /** u in [-1, 1] for element i of the t-th tensor, in float64 as the script computes it. */
    static double u(long t, long i) {
        long x = (i * 2654435761L + t * 97L + 12345L) & 0xFFFFFFFFL;
        return (((x >>> 8) % 2001) - 1000.0) / 1000.0;
    }

    /** Fills every parameter and buffer (except num_batches_tracked) of {@code net} in state_dict order. */
    public static void fill(Module net) {
        int t = 0;
        for (Map.Entry<String, NDArray> e : net.stateDict().entrySet()) {
            String k = e.getKey();
            long[] s = e.getValue().getShape().getShape();
            if (!k.endsWith("num_batches_tracked")) {
                float[] v = new float[(int) e.getValue().getShape().size()];
                long fanIn = 1;
                for (int d = 1; d < s.length; d++) {
                    fanIn *= s[d];
                }
                for (int i = 0; i < v.length; i++) {
                    double x = u(t, i);
                    if (k.endsWith("running_mean") || k.endsWith("bias")) {
                        x = 0.1 * x;
                    } else if (k.endsWith("running_var")) {
                        x = 1.0 + 0.5 * Math.abs(x);
                    } else if (k.endsWith("weight") && s.length >= 2) {
                        x = x * Math.sqrt(6.0 / fanIn);
                    } else if (k.endsWith("weight")) {
                        x = 1.0 + 0.2 * x;
                    }
                    v[i] = (float) x;
                }
                e.getValue().set(v);
            }
            t++;
        }
    }

    /** The script's input, [n, c, h, w]. */
    public static NDArray input(NDManager m, int n, int c, int h, int w) {
        float[] v = new float[n * c * h * w];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) u(INPUT_TENSOR, i);
        }
        return m.create(v, new Shape(n, c, h, w));
    }

    /** A built-in name, or a spec JSON of the torchvision fixtures ({@code /torchvision/NAME.json}). */
    public static ModelSpec spec(String name) throws IOException {
        var url = FormulaWeights.class.getResource("/torchvision/" + name + ".json");
        if (url == null) {
            return ModelSpec.resolve(name);
        }
        try {
            return ModelSpec.read(Path.of(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
