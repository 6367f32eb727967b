package genie.export;

import genie.cli.OnnxRuntimeModel;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.Method;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.testing.TinyModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exports of small seeded models run in ONNX Runtime and compute what the Java model computes. */
class OnnxExportTest {
    @TempDir
    Path dir;

    @Test
    void floatResNetAndMobileNetMatchInOnnxRuntime() throws Exception {
        try (Model r = TinyModels.resnet(3); Model mb = TinyModels.mobilenet(3)) {
            check(r, TinyModels.images(37, 1, 8, 8, 3, 4));
            check(mb, TinyModels.images(37, 3, 16, 16, 4, 4));
        }
    }

    private void check(Model m, ImageSet data) throws Exception {
        Path f = dir.resolve(m.spec().name() + ".onnx");
        OnnxExport.Summary s = OnnxExport.write(m, f);
        assertEquals(0, s.ops().getOrDefault("QuantizeLinear", 0), "a float export has no Q/DQ");
        float[] java = OnnxChecks.logits(m, data, 16);
        try (OnnxRuntimeModel ort = new OnnxRuntimeModel(f, 1)) {
            // a first batch and then all images through one file: the batch axis is dynamic
            float[] a = ort.logits(data, 0, Math.min(16, data.size()));
            float[] b = ort.logits(data, 0, data.size());
            float tol = 1e-4f * Math.max(1f, OnnxChecks.maxAbs(java));
            assertTrue(OnnxChecks.maxAbsDiff(java, b) < tol, m.spec().name() + ": ORT differs by "
                    + OnnxChecks.maxAbsDiff(java, b));
            assertTrue(OnnxChecks.maxAbsDiff(head(java, a.length), a) < tol, m.spec().name() + " first batch");
        }
    }

    @Test
    void regnetAndMnasnetExportThroughTheirOwnFlow() throws Exception {
        for (String name : new String[] {"regnet_x_400mf", "mnasnet1_0"}) {
            try (Model m = Model.create(genie.testing.FormulaWeights.spec(name), ai.djl.Device.cpu())) {
                genie.testing.FormulaWeights.fill(m.net());
                float[] px = genie.testing.FormulaWeights.input(m.manager(), 2, 3, 224, 224).toFloatArray();
                check(m, new ImageSet(px, new int[] {0, 1}, 2, 3, 224, 224, name + " input"));
            }
        }
    }

    private static float[] head(float[] v, int n) {
        return java.util.Arrays.copyOf(v, n);
    }

    @Test
    void subEightBitQdqReproducesTheFakeQuantizedModel() throws Exception {
        for (int[] bits : new int[][] {{2, 4}, {3, 3}, {4, 2}}) {
            try (Model t = TinyModels.mobilenet(5);
                    QuantizedModel q = QuantizedModel.prepare(t, QuantConfig.defaults().withBits(bits[0], bits[1])
                            .withMethod(Method.GENIE).withIterations(10).withBatch(8).withSeed(1))) {
                new Reconstruction(t, q, TinyModels.images(32, 3, 16, 16, 4, 6)).run();
                Path f = dir.resolve("q.onnx");
                OnnxExport.Summary s = OnnxExport.write(q, f);
                long weighted = q.placement().stream().filter(p -> p.weightBits() > 0).count();
                assertEquals(weighted, s.quantizedWeights());
                assertEquals(s.quantizedActivations(), s.ops().get("QuantizeLinear"));
                assertEquals(s.quantizedWeights() + s.quantizedActivations(), s.ops().get("DequantizeLinear"));
                assertTrue(s.ops().getOrDefault("Clip", 0) >= 1, "sub-8-bit activations are clipped: " + s.ops());
                ImageSet data = TinyModels.images(64, 3, 16, 16, 4, 8);
                float[] java = OnnxChecks.logits(q.student(), data, 64);
                try (OnnxRuntimeModel ort = new OnnxRuntimeModel(f, 1)) {
                    float[] onnx = ort.logits(data, 0, data.size());
                    // Same integers, same steps: only float summation order differs (and, at most, a value on a
                    // rounding tie flips one step); the fraction of logits off by more than 1e-3 stays tiny.
                    int off = 0;
                    float scale = Math.max(1f, OnnxChecks.maxAbs(java));
                    for (int i = 0; i < java.length; i++) {
                        off += Math.abs(java[i] - onnx[i]) > 1e-3f * scale ? 1 : 0;
                    }
                    assertTrue(off <= java.length / 100, "W" + bits[0] + "A" + bits[1] + ": " + off + " of "
                            + java.length + " logits differ");
                    assertTrue(Files.size(f) > 0);
                }
            }
        }
    }
}
