package genie.quant;

import java.util.List;
import java.util.Locale;

/**
 * What reconstructing one unit did.
 *
 * @param index        unit position
 * @param name         unit name
 * @param layers       quantized layers in it
 * @param iterations   iterations run
 * @param recLoss      reconstruction loss per iteration
 * @param roundLoss    rounding loss per iteration (0 during warm-up)
 * @param finalRec     last reconstruction loss
 * @param finalRound   last rounding loss
 * @param mseBefore    output MSE vs the teacher before reconstruction (round to nearest), on the calibration set
 * @param mseAfter     output MSE after reconstruction (hard rounding)
 * @param sqnrBefore   output SQNR in dB before
 * @param sqnrAfter    output SQNR in dB after
 * @param seconds      wall time including caching
 * @param msPerIter    optimisation time per iteration
 */
public record UnitReport(int index, String name, List<String> layers, int iterations, float[] recLoss,
        float[] roundLoss, double finalRec, double finalRound, double mseBefore, double mseAfter, double sqnrBefore,
        double sqnrAfter, double seconds, double msPerIter) {

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%-12s %5d it  rec %.4f  round %.1f  MSE %.5f -> %.5f  SQNR %.2f -> %.2f dB"
                + "  %.1f s (%.2f ms/it)", name, iterations, finalRec, finalRound, mseBefore, mseAfter, sqnrBefore,
                sqnrAfter, seconds, msPerIter);
    }
}
