package genie.export;

import ai.djl.Device;
import genie.cli.OnnxRuntimeModel;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.quant.LayerPlan;
import genie.quant.Method;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.testing.Teacher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance check of the QDQ export: the bundled teacher quantized by Genie-M at W4A4 and W2A4, exported, and
 * run in ONNX Runtime on all 10,000 Fashion-MNIST test images, scores the fake-quantized model's top-1 within 0.05
 * points with at least 99.9 % of predictions identical; the FP32 export scores the teacher's 93.89 %.
 */
class TeacherOnnxTest {
    @TempDir
    Path dir;

    @Test
    void w4a4AndW2a4ExportsScoreTheFakeQuantizedAccuracyInOnnxRuntime() throws Exception {
        ModelSpec spec = ModelSpec.read(Teacher.spec());
        try (Model teacher = Model.load(spec, null, Device.cpu(), List.of(), true)) {
            FashionMnist fm = new FashionMnist();
            ImageSet test = fm.load("test", teacher.normalization());
            ImageSet calib = fm.load("train", teacher.normalization()).sample(256, 0);
            Path fp = dir.resolve("fp32.onnx");
            OnnxExport.write(teacher, fp);
            assertAgree("FP32", OnnxChecks.logits(teacher, test, 500), fp, test, 1e-6);
            for (int[] bits : new int[][] {{4, 4}, {2, 4}}) {
                QuantConfig cfg = QuantConfig.defaults().withBits(bits[0], bits[1]).withMethod(Method.GENIE)
                        .withIterations(40).withSeed(0);
                try (QuantizedModel q = QuantizedModel.prepare(teacher, cfg)) {
                    new Reconstruction(teacher, q, calib).run();
                    Path f = dir.resolve("w" + bits[0] + "a" + bits[1] + ".onnx");
                    OnnxExport.Summary s = OnnxExport.write(q, f);
                    System.out.println(s + " " + s.ops());
                    // one Q/DQ pair per activation quantizer (consumers of one tensor share it), a Clip for each
                    // one below 8 bits, a DequantizeLinear per weight
                    var quantizedInputs = q.placement().stream().filter(p -> p.inputBits() > 0).toList();
                    assertEquals(quantizedInputs.stream().map(LayerPlan::owner).distinct().count(),
                            (long) s.ops().get("QuantizeLinear"));
                    assertEquals(quantizedInputs.stream().filter(p -> p.inputBits() < 8).map(LayerPlan::owner)
                            .distinct().count(), (long) s.ops().get("Clip"));
                    assertEquals(22, s.quantizedWeights(), "every Conv2d and Linear of ResNet-20 has a DQ weight");
                    assertAgree("W" + bits[0] + "A" + bits[1], OnnxChecks.logits(q.student(), test, 500), f, test,
                            0.999);
                }
            }
        }
    }

    private static void assertAgree(String what, float[] javaLogits, Path onnx, ImageSet test, double minSame)
            throws Exception {
        int[] java = Evaluator.predict(javaLogits, javaLogits.length / test.size());
        int[] ort;
        try (OnnxRuntimeModel m = new OnnxRuntimeModel(onnx, 1)) {
            ort = m.predict(test, 500);
        }
        int same = 0;
        int javaRight = 0;
        int ortRight = 0;
        for (int i = 0; i < java.length; i++) {
            same += java[i] == ort[i] ? 1 : 0;
            javaRight += java[i] == test.label(i) ? 1 : 0;
            ortRight += ort[i] == test.label(i) ? 1 : 0;
        }
        double javaTop1 = 100.0 * javaRight / java.length;
        double ortTop1 = 100.0 * ortRight / java.length;
        System.out.println(String.format(Locale.ROOT, "%s: fake-quant (DJL) top-1 %.2f %%, ONNX Runtime %.2f %%, "
                + "%d of %d predictions identical", what, javaTop1, ortTop1, same, java.length));
        assertEquals(javaTop1, ortTop1, 0.05, what + " top-1");
        assertTrue(same >= minSame * java.length, what + ": only " + same + " identical predictions");
    }
}
