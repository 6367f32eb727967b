package genie.golden;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import genie.quant.StepSizeSearch;
import genie.util.Engines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our {@link StepSizeSearch} against the official {@code quantizer.init_scale} on the fixture's tensors. */
class StepSizeSearchGoldenTest {
    @Test
    void stepsAndZeroPointsMatchTheOfficialInitScale() {
        JsonObject f = Golden.load("stepsize.json");
        Golden.Report report = new Golden.Report();
        int cases = 0;
        try (NDManager m = Engines.manager(ai.djl.Device.cpu())) {
            for (JsonElement ce : f.getAsJsonArray("cases")) {
                JsonObject c = ce.getAsJsonObject();
                String name = c.get("name").getAsString();
                long[] shape = Golden.shape(c.get("x"));
                long rows = c.get("channel_wise").getAsBoolean() ? shape[0] : 1;
                NDArray x = m.create(Golden.floats(c.get("x")), new Shape(shape)).reshape(rows, -1);
                StepSizeSearch.Result r = StepSizeSearch.search(x, c.get("bits").getAsInt(),
                        c.get("symmetric").getAsBoolean(), c.get("signed").getAsBoolean());
                report.array(name + " step", Golden.floats(c.get("delta")), r.delta());
                // Zero points are integers: any difference is a different clipping ratio, so they must be equal.
                float[] zp = Golden.floats(c.get("zero_point"));
                for (int i = 0; i < zp.length; i++) {
                    assertEquals(zp[i], r.zeroPoint()[i], 0f, name + " zero point of row " + i);
                }
                cases++;
            }
        }
        assertTrue(cases >= 6, "the fixture has its cases");
        report.check("stepsize.json");
    }
}
