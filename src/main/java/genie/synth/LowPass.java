package genie.synth;

/**
 * SynQ's low-pass filter of synthetic images (Kim, Kim, Kang, "Accurate Zero-shot Quantization by Synthesis-aware
 * Fine-tuning", ICLR 2025): synthetic images carry high-frequency noise that real images lack, so SynQ multiplies
 * their 2-D DFT by a Gaussian mask centred on frequency zero.
 *
 * <p>Definition, per image and channel, in model input space: with (fy, fx) the signed DFT frequencies in cycles per
 * pixel (each in [-1/2, 1/2], so 1/2 is the Nyquist frequency), the spectrum is multiplied by
 * <pre>  H(fy, fx) = exp(-((fy^2 + fx^2) / (1/2)^2) / (2 R^2))</pre>
 * and transformed back. R is the Gaussian's width as a fraction of Nyquist: the gain is 1 at frequency zero (a
 * constant image and every channel's mean are kept exactly), e^-1/2 = 0.61 at radius R x Nyquist and e^-1/R^2 at the
 * checkerboard (Nyquist on both axes). SynQ's own mask, {@code exp(-D^2 / (2 D0^2))} with D the distance in DFT bins
 * from the centre of the shifted spectrum and D0 = 80 on 224x224 images, is this one with R = D0 / (N/2) on an N x N
 * image (80 / 112 = 0.71).
 *
 * <p>H is a product of one Gaussian per axis and even in each frequency, so the filter is one real circulant matrix
 * per axis ({@code A[i][j] = (1/N) sum_k g(k/N) cos(2 pi k (i - j) / N)}), applied along the rows and then the
 * columns: the FFT mask computed exactly in double precision, with no complex tensors.
 */
final class LowPass {
    private final int h;
    private final int w;
    private final double[][] rows; // H x H
    private final double[][] cols; // W x W

    LowPass(int h, int w, double radius) {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("low-pass radius must be a positive fraction of Nyquist, got " + radius);
        }
        this.h = h;
        this.w = w;
        this.rows = circulant(h, radius);
        this.cols = circulant(w, radius);
    }

    /** The per-axis gain at signed frequency {@code f} cycles per pixel: exp(-(f / (1/2))^2 / (2 R^2)). */
    static double gain(double f, double radius) {
        double r = f / 0.5;
        return Math.exp(-r * r / (2 * radius * radius));
    }

    /** The real circulant matrix of the per-axis mask on a signal of length n. */
    static double[][] circulant(int n, double radius) {
        double[] kernel = new double[n]; // kernel[d] = (1/n) sum_k g(f_k) cos(2 pi k d / n)
        for (int d = 0; d < n; d++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                int signed = k <= n / 2 ? k : k - n;
                s += gain((double) signed / n, radius) * Math.cos(2 * Math.PI * k * d / n);
            }
            kernel[d] = s / n;
        }
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = kernel[Math.floorMod(i - j, n)];
            }
        }
        return a;
    }

    /** Filtered copy of {@code pixels} ([N, C, H, W] flattened, any N and C). */
    float[] apply(float[] pixels) {
        int plane = h * w;
        if (pixels.length % plane != 0) {
            throw new IllegalArgumentException(pixels.length + " values are not whole " + h + "x" + w + " planes");
        }
        float[] out = new float[pixels.length];
        double[] tmp = new double[plane];
        for (int off = 0; off < pixels.length; off += plane) {
            for (int i = 0; i < h; i++) { // tmp = A_rows x
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = 0; k < h; k++) {
                        s += rows[i][k] * pixels[off + k * w + x];
                    }
                    tmp[i * w + x] = s;
                }
            }
            for (int i = 0; i < h; i++) { // out = tmp A_cols^T
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int k = 0; k < w; k++) {
                        s += tmp[i * w + k] * cols[x][k];
                    }
                    out[off + i * w + x] = (float) s;
                }
            }
        }
        return out;
    }
}
