package genie.quant;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The PTQ methods on one engine. They differ only in which parts of Genie-M are switched on:
 * reconstruction unit, softbits, learned weight step (Genie's addition), learned activation step, QDrop.
 */
public enum Method {
    /** Step-size search and round to nearest; no reconstruction. */
    RTN(false, true, false, false, false),
    /** AdaRound: layer-wise reconstruction of the rounding only (step sizes fixed, no QDrop). */
    ADAROUND(true, false, false, false, false),
    /** BRECQ: AdaRound softbits with block reconstruction and LSQ activation steps, no QDrop. */
    BRECQ(true, true, false, true, false),
    /** QDrop: BRECQ plus QDrop at the unit input and inside the activation quantizers. */
    QDROP(true, true, false, true, true),
    /** Genie-M: QDrop plus the weight step size learned jointly with the softbits. */
    GENIE(true, true, true, true, true);

    public final boolean reconstructs;
    public final boolean blockWise;
    public final boolean learnWeightScale;
    public final boolean learnActivationScale;
    public final boolean qdrop;

    Method(boolean reconstructs, boolean blockWise, boolean learnWeightScale, boolean learnActivationScale,
            boolean qdrop) {
        this.reconstructs = reconstructs;
        this.blockWise = blockWise;
        this.learnWeightScale = learnWeightScale;
        this.learnActivationScale = learnActivationScale;
        this.qdrop = qdrop;
    }

    public static Method parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase().replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown method '" + s + "'; use one of "
                    + Arrays.stream(values()).map(m -> m.name().toLowerCase()).collect(Collectors.joining(", ")));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
