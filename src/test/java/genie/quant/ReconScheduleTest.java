package genie.quant;

import ai.djl.ndarray.NDManager;
import genie.nn.Model;
import genie.optim.Adam;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --recon-schedule: the reference's schedule by default, the softbits annealed too with cosine-all. */
class ReconScheduleTest {
    /** {weight steps, activation steps, softbits} rates after iteration {@code it} of {@code iters}. */
    static double[] rates(ReconSchedule s, int it, int iters) {
        try (NDManager m = NDManager.newBaseManager(); Adam steps = new Adam(m); Adam bits = new Adam(m)) {
            QuantConfig c = QuantConfig.DEFAULTS;
            UnitTraining.Optimisers opt = new UnitTraining.Optimisers(steps, bits,
                    steps.addGroup("w-scale", List.of(), c.lrWeightScale()),
                    steps.addGroup("a-scale", List.of(), c.lrActScale()));
            bits.addGroup(UnitTraining.SOFTBITS, List.of(), c.lrSoftbits());
            s.afterStep(opt, c, it, iters);
            return new double[] {opt.weightSteps().lr(), opt.activationSteps().lr(),
                    bits.group(UnitTraining.SOFTBITS).lr()};
        }
    }

    @Test
    void paperAnnealsTheStepSizesOnlyAndCosineAllTheSoftbitsToo() {
        assertArrayEquals(new double[] {0.5e-4, 2e-5, 1e-3}, rates(ReconSchedule.PAPER, 50, 100), 1e-12);
        assertArrayEquals(new double[] {0, 0, 1e-3}, rates(ReconSchedule.PAPER, 100, 100), 1e-12);
        assertArrayEquals(new double[] {0.5e-4, 2e-5, 0.5e-3}, rates(ReconSchedule.COSINE_ALL, 50, 100), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, rates(ReconSchedule.COSINE_ALL, 100, 100), 1e-12);
        double quarter = (1 + Math.cos(Math.PI / 4)) / 2;
        assertEquals(1e-3 * quarter, rates(ReconSchedule.COSINE_ALL, 25, 100)[2], 1e-12);
    }

    @Test
    void cosineAllChangesTheReconstructionAndPaperIsTheDefault() {
        assertEquals(ReconSchedule.PAPER, QuantConfig.DEFAULTS.reconSchedule());
        QuantConfig paper = CancelledStepTest.config();
        float[] a = reconstruct(paper);
        float[] b = reconstruct(paper.toBuilder().reconSchedule(ReconSchedule.PAPER).build());
        float[] c = reconstruct(paper.toBuilder().reconSchedule(ReconSchedule.COSINE_ALL).build());
        assertArrayEquals(a, b, 0f);
        assertFalse(Arrays.equals(a, c), "annealing the softbits changes what is learned");
        assertArrayEquals(c, reconstruct(paper.toBuilder().reconSchedule(ReconSchedule.COSINE_ALL).build()), 0f,
                "same seed, same numbers");
    }

    private static float[] reconstruct(QuantConfig c) {
        try (Model t = TinyModels.resnet(0); QuantizedModel q = QuantizedModel.prepare(t, c)) {
            new Reconstruction(t, q, CancelledStepTest.CALIBRATION).run();
            return CancelledStepTest.logits(q);
        }
    }

    @Test
    void unknownNamesAreRefusedWithTheChoices() {
        assertEquals(ReconSchedule.COSINE_ALL, ReconSchedule.parse("Cosine_All"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReconSchedule.parse("cosine"));
        assertTrue(e.getMessage().contains("'cosine'") && e.getMessage().contains("paper or cosine-all"), e.getMessage());
    }
}
