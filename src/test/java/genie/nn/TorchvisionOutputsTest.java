package genie.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.eval.Evaluator;
import genie.testing.FormulaWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RegNetX and MNASNet compute what torchvision computes: the same formula-made weights (BatchNorm statistics not
 * the defaults) and inputs give the logits {@code tools/torchvision_outputs.py} recorded with torchvision.
 */
class TorchvisionOutputsTest {
    @ParameterizedTest
    @ValueSource(strings = {"regnet_x_400mf", "regnetx_600mf", "regnet_x_3_2gf", "mnasnet1_0", "mnasnet2_0"})
    void logitsMatchTorchvision(String name) throws Exception {
        JsonObject fx;
        try (var r = new InputStreamReader(getClass().getResourceAsStream("/torchvision/" + name + ".logits.json"),
                StandardCharsets.UTF_8)) {
            fx = JsonParser.parseReader(r).getAsJsonObject();
        }
        int[] s = fx.getAsJsonArray("input_shape").asList().stream().mapToInt(e -> e.getAsInt()).toArray();
        float[] want = new float[fx.getAsJsonArray("logits").size()];
        for (int i = 0; i < want.length; i++) {
            want[i] = fx.getAsJsonArray("logits").get(i).getAsFloat();
        }
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (Model m = Model.create(FormulaWeights.spec(name), Device.cpu())) {
            FormulaWeights.fill(m.net());
            NDArray x = FormulaWeights.input(m.manager(), s[0], s[1], s[2], s[3]);
            float[] got = m.forward(x).toFloatArray();
            assertEquals(want.length, got.length);
            float scale = 0;
            float diff = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                diff = Math.max(diff, Math.abs(want[i] - got[i]));
            }
            System.out.printf("%s: max |logit| %.3f, max |difference| %.2e%n", name, scale, diff);
            assertTrue(diff <= 1e-4f * Math.max(1f, scale), name + ": logits differ by " + diff + " (scale " + scale + ")");
            assertArrayEquals(Evaluator.predict(want, 1000), Evaluator.predict(got, 1000), name + " top-1");
        } finally {
            JniUtils.setGradMode(grad);
        }
    }
}
