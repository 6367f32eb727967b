package genie.quant;

/**
 * Where Genie-M's random draws come from. By default {@link Reconstruction} draws them itself from seeded
 * generators; a replay (the golden tests against the official code) supplies recorded draws instead, so both
 * implementations see the same minibatches and the same QDrop coins.
 */
public interface ReconstructionDraws {
    /** A permutation of 0..n-1 ordering the next epoch of {@code unit}'s minibatches (drawn at each epoch start). */
    int[] permutation(Unit unit, int n);

    /**
     * QDrop's coins for the next mix of {@code n} elements in {@code unit}, in call order (the unit input, then each
     * quantizer call of the forward pass, also during its calibration pass): true takes the quantized value.
     */
    boolean[] qdropCoins(Unit unit, int n);
}
