package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Where Genie-D's random draws come from. By default {@link Synthesizer} draws them itself (the engine's seeded
 * generator for the fresh generator's parameters and the latents, a seeded {@link java.util.Random} for the swing
 * offsets); a replay (the golden tests against the official code) supplies recorded draws instead.
 */
public interface SynthDraws {
    /** The fresh generator of batch {@code batch}, for latents of size {@code latent} and images [C, H, W]. */
    Generator generator(NDManager manager, int batch, int latent, int[] chw);

    /** The fresh latents z of batch {@code batch}, of the given shape [size, latent]. */
    NDArray latents(NDManager manager, int batch, Shape shape);

    /** The next swing offset in {0, 1, 2}: per forward of each strided convolution, x first, then y. */
    int swingOffset();
}
