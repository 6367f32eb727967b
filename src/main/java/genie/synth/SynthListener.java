package genie.synth;

import ai.djl.ndarray.NDArray;
import genie.data.ImageSet;

import java.util.Map;

/**
 * Receives a synthesis run's progress (console progress bar, notebook charts, tests). Called on the synthesizing
 * thread between engine calls; keep the work small. All methods have empty defaults.
 */
public interface SynthListener {
    /** Before the first iteration of batch {@code batch} (0-based) of {@code batches}, with its size. */
    default void onBatchStart(int batch, int batches, int size) {
    }

    /**
     * After iteration {@code iter} (0-based) of batch {@code batch}: the total loss and its mean and std parts,
     * computed on the images of this iteration's forward pass.
     */
    default void onIteration(int batch, int iter, double total, double meanPart, double stdPart) {
    }

    /**
     * Every {@link SynthConfig#logEvery()} iterations (and at the last one): per-term {mean part, std part},
     * {@value BnStatisticsLoss#INPUT} first, then each BN layer by dotted name.
     */
    default void onLayerTerms(int batch, int iter, Map<String, double[]> terms) {
    }

    /**
     * After the last optimisation step of batch {@code batch}, before its memory is freed: the generator and latents
     * as optimised (null where the source has none). Read them here; they are closed afterwards.
     */
    default void onBatchOptimised(int batch, Generator generator, NDArray latents) {
    }

    /**
     * When batch {@code batch} is finished: its images, the teacher's predicted-class histogram on them and the
     * mean top-1 softmax confidence.
     */
    default void onBatchDone(int batch, ImageSet images, int[] classHistogram, double meanConfidence) {
    }
}
