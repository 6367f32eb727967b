package genie.cli;

import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.export.OnnxExport;
import genie.nn.Model;
import genie.quant.Method;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code genie bench onnx}: images/s of the FP32, W8A8 and W4A4 ONNX exports in ONNX Runtime beside the same models
 * in DJL (FP32, and fake quantization, which simulates integer arithmetic in float), in alternating rounds on the
 * same images and threads. What a quantized model gains in speed is decided by the runtime's integer kernels.
 */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = "Images/s of FP32 and quantized ONNX exports in ONNX Runtime vs the fake-quantized model in DJL.")
public final class BenchOnnxCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--bits", split = ",", defaultValue = "fp32,w8a8,w4a4", paramLabel = "fp32|wNaM",
            description = "Variants to compare (default: ${DEFAULT-VALUE}).")
    List<String> variants;

    @Option(names = "--data", defaultValue = "fashion-mnist:train:256", paramLabel = "SPEC",
            description = "Calibration data for the quantized variants, quantized by round to nearest (default: "
                    + "${DEFAULT-VALUE}).")
    String data;

    @Mixin
    EvalTargetOptions evalTarget = new EvalTargetOptions();

    @Mixin
    RepeatOption rounds = new RepeatOption();

    @Mixin
    EvalBatchOption batch = new EvalBatchOption();

    @Mixin
    JsonOption output = new JsonOption();

    /** One variant: its ONNX file and the DJL model it was exported from. */
    private record Variant(String name, Path onnx, Model djl, QuantizedModel quantized) {}

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("genie-bench-onnx-");
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Variant> vs = new ArrayList<>();
        try (Model teacher = model.load()) {
            ImageSet test = DataOptions.load(evalTarget.data, teacher.spec(), model.seed, System.err);
            test = evalTarget.limit > 0 ? test.head(evalTarget.limit) : test;
            ImageSet calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
            for (String v : variants) {
                vs.add(variant(v.toLowerCase(Locale.ROOT), teacher, calib, dir));
            }
            int threads = Engines.threads();
            System.out.printf(Locale.ROOT, "%d images per round, batch %d, %d thread(s) on both sides (%s)%n",
                    test.size(), batch.batch, threads, Engines.describe(teacher.device()));
            Evaluator ev = new Evaluator(batch.batch, null).withCancellation(Interrupts.cancellation());
            for (Variant v : vs) {
                try (OnnxRuntimeModel ort = new OnnxRuntimeModel(v.onnx(), threads)) {
                    ort.predict(test.head(batch.batch), batch.batch); // warm-up on both sides
                    ev.evaluate(v.djl(), test.head(batch.batch));
                    double bestOrt = 0;
                    double bestDjl = 0;
                    Accuracy djl = null;
                    int[] pred = null;
                    for (int r = 0; r < rounds.repeat; r++) {
                        long t0 = System.nanoTime();
                        pred = ort.predict(test, batch.batch);
                        bestOrt = Math.max(bestOrt, test.size() / ((System.nanoTime() - t0) / 1e9));
                        djl = ev.evaluate(v.djl(), test);
                        bestDjl = Math.max(bestDjl, djl.imagesPerSecond());
                    }
                    double ortTop1 = 100.0 * correct(pred, test) / test.size();
                    System.out.printf(Locale.ROOT, "%-5s  ONNX Runtime %8.1f images/s (top-1 %.2f %%)   DJL %s %8.1f "
                            + "images/s (top-1 %.2f %%)   ORT/DJL %.2f   %s%n", v.name(), bestOrt, ortTop1,
                            v.quantized() == null ? "float     " : "fake-quant", bestDjl, 100 * djl.top1(),
                            bestOrt / bestDjl, v.onnx().getFileName());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("variant", v.name());
                    row.put("ort_images_per_second", bestOrt);
                    row.put("djl_images_per_second", bestDjl);
                    row.put("ort_top1", ortTop1);
                    row.put("djl_top1", 100 * djl.top1());
                    rows.add(row);
                }
            }
        } finally {
            for (Variant v : vs) {
                if (v.quantized() != null) {
                    v.quantized().close();
                }
                Files.deleteIfExists(v.onnx());
            }
            Files.deleteIfExists(dir);
        }
        if (output.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("variants", rows);
            out.put("threads", Engines.threads());
            JsonOut.print(System.out, out);
        }
        return 0;
    }

    private Variant variant(String v, Model teacher, ImageSet calib, Path dir) throws Exception {
        Path file = dir.resolve(v + ".onnx");
        if (v.equals("fp32")) {
            OnnxExport.write(teacher, file);
            return new Variant(v, file, teacher, null);
        }
        var m = java.util.regex.Pattern.compile("w(\\d+)a(\\d+)").matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("--bits: '" + v + "' is neither fp32 nor wNaM (e.g. w4a4)");
        }
        QuantConfig cfg = QuantConfig.defaults().withBits(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)))
                .withMethod(Method.RTN).withSeed(model.seed); // the speed of a graph does not depend on the method
        QuantizedModel q = QuantizedModel.prepare(teacher, cfg);
        try {
            new Reconstruction(teacher, q, calib).withCancellation(Interrupts.cancellation()).run();
            System.out.println(v + ": " + OnnxExport.write(q, file));
            return new Variant(v, file, q.student(), q);
        } catch (RuntimeException e) {
            q.close();
            throw e;
        }
    }

    private static int correct(int[] pred, ImageSet test) {
        int n = 0;
        for (int i = 0; i < pred.length; i++) {
            n += pred[i] == test.label(i) ? 1 : 0;
        }
        return n;
    }
}
