package genie.data;

/**
 * PIL's {@code Image.resize(size, Image.BILINEAR)} on 8-bit planes, bit for bit: the two-pass
 * {@code ImagingResample} of Pillow's {@code Resample.c} (horizontal pass, then vertical pass, each rounded to
 * uint8), with the triangle filter widened by the scale factor when downscaling (antialiasing) and fixed-point
 * coefficients of {@code 32 - 8 - 2 = 22} fraction bits.
 */
final class PilResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double BILINEAR_SUPPORT = 1.0;

    private PilResize() {
    }

    /** Fixed-point coefficients for one axis: for output index i, taps start at {@code min[i]}, {@code count[i]} long. */
    record Coeffs(int ksize, int[] min, int[] count, int[] k) {
    }

    private static double bilinear(double x) {
        if (x < 0.0) {
            x = -x;
        }
        return x < 1.0 ? 1.0 - x : 0.0;
    }

    /** Pillow's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for box [0, inSize). */
    static Coeffs coeffs(int inSize, int outSize) {
        double scale = (double) ((float) inSize - 0f) / outSize;
        double filterscale = scale < 1.0 ? 1.0 : scale;
        double support = BILINEAR_SUPPORT * filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] min = new int[outSize];
        int[] count = new int[outSize];
        int[] k = new int[outSize * ksize];
        double[] pre = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = 0.0 + (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double w = bilinear((x + xmin - center + 0.5) * ss);
                pre[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (ww != 0.0) {
                    pre[x] /= ww;
                }
            }
            for (int x = 0; x < ksize; x++) {
                double v = x < xmax ? pre[x] : 0.0;
                k[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                        : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            min[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coeffs(ksize, min, count, k);
    }

    private static int clip8(int in) {
        int v = in >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * Resizes one 8-bit plane (values 0..255, row-major {@code inW x inH}) to {@code outW x outH}. Returns the
     * input itself when the size does not change (PIL copies).
     */
    static int[] resize(int[] plane, int inW, int inH, int outW, int outH) {
        if (outW <= 0 || outH <= 0) {
            throw new IllegalArgumentException("cannot resize to " + outW + "x" + outH);
        }
        int[] cur = plane;
        int curW = inW;
        if (outW != inW) {
            Coeffs c = coeffs(inW, outW);
            int[] tmp = new int[outW * inH];
            for (int y = 0; y < inH; y++) {
                int row = y * inW;
                for (int xx = 0; xx < outW; xx++) {
                    int xmin = c.min()[xx];
                    int n = c.count()[xx];
                    int kb = xx * c.ksize();
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int x = 0; x < n; x++) {
                        ss += cur[row + xmin + x] * c.k()[kb + x];
                    }
                    tmp[y * outW + xx] = clip8(ss);
                }
            }
            cur = tmp;
            curW = outW;
        }
        if (outH != inH) {
            Coeffs c = coeffs(inH, outH);
            int[] out = new int[curW * outH];
            for (int yy = 0; yy < outH; yy++) {
                int ymin = c.min()[yy];
                int n = c.count()[yy];
                int kb = yy * c.ksize();
                for (int xx = 0; xx < curW; xx++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int y = 0; y < n; y++) {
                        ss += cur[(ymin + y) * curW + xx] * c.k()[kb + y];
                    }
                    out[yy * curW + xx] = clip8(ss);
                }
            }
            cur = out;
        }
        return cur;
    }
}
