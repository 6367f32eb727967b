package genie.synth;

/** The loss became NaN or infinite; no images of the failing batch are returned or written. */
public final class SynthesisDivergedException extends IllegalStateException {
    private final int batch;
    private final int iteration;

    public SynthesisDivergedException(int batch, int iteration, double loss) {
        super("synthesis diverged at iteration " + iteration + " of batch " + batch + " (loss = " + loss
                + "); nothing was written. Lower the learning rates (--lr-z, --lr-g) or check the teacher's weights");
        this.batch = batch;
        this.iteration = iteration;
    }

    public int batch() {
        return batch;
    }

    public int iteration() {
        return iteration;
    }
}
