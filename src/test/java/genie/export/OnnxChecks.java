package genie.export;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.Model;

/** What the Java model computes, in the shapes the ONNX Runtime side returns, for side-by-side checks. */
final class OnnxChecks {
    private OnnxChecks() {}

    /** Logits of images [0, n) from the DJL model, in batches. */
    static float[] logits(Model m, ImageSet data, int batch) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            float[][] parts = new float[(data.size() + batch - 1) / batch][];
            int total = 0;
            for (int b = 0, from = 0; from < data.size(); b++, from += batch) {
                try (NDManager sub = m.manager().newSubManager()) {
                    NDArray x = data.batch(sub, from, Math.min(data.size(), from + batch));
                    parts[b] = m.forward(x).toFloatArray();
                    total += parts[b].length;
                }
            }
            float[] out = new float[total];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, out, at, p.length);
                at += p.length;
            }
            return out;
        } finally {
            JniUtils.setGradMode(grad);
        }
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        float d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    static float maxAbs(float[] a) {
        float d = 0;
        for (float v : a) {
            d = Math.max(d, Math.abs(v));
        }
        return d;
    }
}
