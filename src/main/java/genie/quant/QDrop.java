package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import genie.util.Tensors;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * QDrop's per-element coin: with probability {@code p} an element takes its quantized value, otherwise it keeps
 * the full-precision one ({@code where(rand < p, xq, x)} in the reference).
 *
 * <p>The coins are drawn in Java from a seeded {@link SplittableRandom} and applied as {@code xq * m + x * (1 - m)}
 * with 0/1 masks, which selects exactly either value. Why not libtorch: its CPU {@code uniform_} is a serial
 * per-element loop and {@code where} is unvectorised; together they took more time than the unit's convolutions
 * (JFR on a ResNet-20 block). Drawing here is also device-independent, so a seed gives the same masks on a GPU.
 */
final class QDrop {
    private final long threshold; // p * 2^32: a 32-bit draw below it keeps the quantized value
    private final SplittableRandom random;
    private final IntFunction<boolean[]> replayed; // null: draw the coins here
    // Reused between calls: a block mixes several 1.6 MB tensors per iteration; fresh arrays only feed the GC.
    private float[] keep = new float[0];
    private float[] drop = new float[0];

    QDrop(float p, long seed) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("QDrop probability must be in [0, 1], got " + p);
        }
        this.threshold = Math.round(p * 4294967296.0);
        this.random = new SplittableRandom(seed);
        this.replayed = null;
    }

    /** Coins supplied from outside (recorded draws): {@code coins.apply(n)} gives the next n, true = quantized. */
    QDrop(IntFunction<boolean[]> coins) {
        this.threshold = 0;
        this.random = null;
        this.replayed = coins;
    }

    /** Mixes {@code xq} (kept with probability p) and {@code x}, element by element; same shape as x. */
    NDArray mix(NDArray xq, NDArray x) {
        int n = Math.toIntExact(x.size());
        if (keep.length != n) {
            keep = new float[n];
            drop = new float[n];
        }
        if (replayed != null) {
            boolean[] c = replayed.apply(n);
            if (c.length != n) {
                throw new IllegalStateException("replayed QDrop coins: " + c.length + " given for " + n + " elements");
            }
            for (int i = 0; i < n; i++) {
                keep[i] = c[i] ? 1f : 0f;
                drop[i] = c[i] ? 0f : 1f;
            }
        }
        // Two 32-bit draws per nextLong, compared without branches: the coins are random, a branch would
        // mispredict half the time (this loop dominated the profile with one).
        for (int i = 0; replayed == null && i < n; i += 2) {
            long r = random.nextLong();
            long k0 = ((r & 0xffffffffL) - threshold) >>> 63;
            keep[i] = k0;
            drop[i] = 1 - k0;
            if (i + 1 < n) {
                long k1 = ((r >>> 32) - threshold) >>> 63;
                keep[i + 1] = k1;
                drop[i + 1] = 1 - k1;
            }
        }
        NDManager m = x.getManager();
        NDArray mq = Tensors.owned(m, keep, x.getShape());
        NDArray mx = Tensors.owned(m, drop, x.getShape());
        return xq.mul(mq).add(x.mul(mx));
    }
}
