package genie.magics;

import genie.cli.OnnxRuntimeModel;
import genie.data.ImageSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code %genie_export --onnx}: the notebook's quantization as a QDQ graph that ONNX Runtime runs. */
class ExportOnnxMagicTest {
    @TempDir
    static Path dir;
    static Path spec;
    TestKernel kernel;

    @BeforeAll
    static void writeModel() throws Exception {
        spec = TinyTeacher.write(dir);
    }

    @BeforeEach
    void fresh() throws Exception {
        kernel = TestKernel.showingOn(new Display.Recording());
        GenieMagics.load(List.of("--model", spec.toString(), "--as", "teacher"));
        Session.put("calib", TinyTeacher.images(24, 2));
    }

    @AfterEach
    void done() {
        kernel.close();
    }

    @Test
    void onnxExportComputesTheFakeQuantizedLogitsInOnnxRuntime() throws Exception {
        GenieMagics.quantize(MagicSpec.tokens("--data calib --wbits 2 --abits 4 --method genie --iters 4 "
                + "--recon-batch 8 --as q --run"));
        Path p = ReportMagics.export(MagicSpec.tokens("--onnx " + dir.resolve("q.onnx")));
        assertEquals(dir.resolve("q.onnx"), p);
        Quantization q = Session.get("q", Quantization.class);
        ImageSet calib = Session.get("calib", ImageSet.class);
        try (var ort = new OnnxRuntimeModel(p, 1); var m = q.student().manager().newSubManager()) {
            float[] java = q.model().forward(calib.batch(m, 0, calib.size())).toFloatArray();
            float[] onnx = ort.logits(calib, 0, calib.size());
            assertEquals(java.length, onnx.length);
            for (int i = 0; i < java.length; i++) {
                assertEquals(java[i], onnx[i], 1e-3 * (1 + Math.abs(java[i])), "logit " + i);
            }
        }
        MagicException e = assertThrows(MagicException.class, () -> ReportMagics.export(List.of()));
        assertTrue(e.getMessage().contains("--onnx=FILE.onnx"), e.getMessage());
    }
}
