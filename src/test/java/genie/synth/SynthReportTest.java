package genie.synth;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SynthReportTest {
    @Test
    void tailLossIsTheMedianOfEachBatchsLastIterations() {
        float[] long1 = new float[200];
        for (int i = 0; i < long1.length; i++) {
            long1[i] = i < 150 ? 9f : (i % 2 == 0 ? 1f : 3f); // last 50: 25 ones and 25 threes -> median 2
        }
        float[] short1 = {5f, 1f, 4f}; // fewer than 50 iterations: median of all, 4
        SynthReport r = new SynthReport(SynthConfig.DEFAULTS, "test", new double[] {3, 4}, new double[2], new double[2],
                List.of(long1, short1), 1, 1, List.of(new int[] {1}, new int[] {1}), new double[] {1, 1}, false);
        assertArrayEquals(new double[] {2.0, 4.0}, r.tailLosses(), 1e-12);
        assertEquals(3.0, r.tailLoss(), 1e-12);
        assertEquals(3.0, (double) r.toMap(false).get("tail_loss"), 1e-12);
    }
}
