package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Genie's step-size initialisation (the reference's {@code init_scale}): try clipping ratios
 * 1.00, 0.99, ..., 0.01 of the range, quantize-dequantize with round-to-nearest (half to even, as
 * {@code torch.round}), and keep per row the step with the lowest mean |x - q(x)|^2.4 (strict {@code <}, so
 * ties keep the wider range).
 */
public final class StepSizeSearch {
    /** Steps below this are dead ranges (an all-zero channel); the reference would divide by zero there. */
    public static final float MIN_STEP = 1e-8f;

    private StepSizeSearch() {}

    /** Best step and zero point per row. */
    public record Result(float[] delta, float[] zeroPoint) {}

    /**
     * @param rows      data as [rows, k]: one row per output channel (weights) or a single row (activations)
     * @param symmetric activations: max = max|x|, min = -max (signed) or 0
     * @param signed    whether the range includes negative values
     */
    public static Result search(NDArray rows, int bits, boolean symmetric, boolean signed) {
        if (rows.getShape().dimension() != 2) {
            throw new IllegalArgumentException("step-size search expects [rows, k], got " + rows.getShape());
        }
        int n = (int) rows.getShape().get(0);
        float levels = (float) (Math.pow(2, bits) - 1);
        float[] bestDelta = new float[n];
        float[] bestZp = new float[n];
        float[] bestScore = new float[n];
        java.util.Arrays.fill(bestScore, 1e10f);
        try (NDManager m = rows.getManager().newSubManager()) {
            NDArray x = rows.duplicate();
            x.attach(m);
            NDArray xmax;
            NDArray xmin;
            if (symmetric) {
                xmax = x.abs().max(new int[] {1});
                xmin = signed ? xmax.neg() : xmax.zerosLike();
            } else {
                xmax = x.max(new int[] {1});
                xmin = signed ? x.min(new int[] {1}) : x.min(new int[] {1}).maximum(0f);
            }
            for (int i = 0; i < 100; i++) {
                float r = (float) (1.0 - 0.01 * i);
                try (NDManager it = m.newSubManager()) {
                    it.tempAttachAll(x, xmax, xmin);
                    NDArray newMax = xmax.mul(r);
                    NDArray newMin = xmin.mul(r);
                    NDArray delta = newMax.sub(newMin).div(levels);
                    NDArray zp = newMin.neg().div(delta).round();
                    NDArray d2 = delta.expandDims(1);
                    NDArray z2 = zp.expandDims(1);
                    NDArray q = x.div(d2).round().add(z2).clip(0f, levels).sub(z2).mul(d2);
                    NDArray score = x.sub(q).abs().pow(2.4f).mean(new int[] {1});
                    float[] s = score.toFloatArray();
                    float[] dl = delta.toFloatArray();
                    float[] zz = zp.toFloatArray();
                    for (int j = 0; j < n; j++) {
                        if (s[j] < bestScore[j]) {
                            bestScore[j] = s[j];
                            bestDelta[j] = dl[j];
                            bestZp[j] = zz[j];
                        }
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (!(bestDelta[j] >= MIN_STEP)) { // also catches NaN from an all-zero row
                bestDelta[j] = MIN_STEP;
                bestZp[j] = 0f;
            }
        }
        return new Result(bestDelta, bestZp);
    }
}
