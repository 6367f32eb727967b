package genie.cli;

import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.quant.Method;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.synth.ConsoleSynthListener;
import genie.synth.SynthConfig;
import genie.synth.SynthResult;
import genie.synth.Synthesizer;
import genie.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code genie quickstart}: zero-shot W4A4 of the bundled teacher at a small budget: Genie-D images, then
 * round-to-nearest and Genie-M on them, and a result table against FP32 on the Fashion-MNIST test set.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Zero-shot quantization of the bundled teacher at a small budget, with a result table.")
public final class QuickstartCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SamplesOption samples = new SamplesOption(256);

    @Mixin
    SynthItersOption synthIters = new SynthItersOption(200);

    @Mixin
    ReconItersOption reconIters = new ReconItersOption(300);

    @Mixin
    BitsOptions bits = new BitsOptions();

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        try (Model teacher = model.load()) {
            System.out.println("teacher: " + teacher + "; " + Engines.describe(teacher.device()));
            ImageSet test = DataOptions.load("fashion-mnist:test", teacher.spec(), model.seed, System.err);
            SynthConfig sc = SynthConfig.builder().samples(samples.samples).iterations(synthIters.synthIters)
                    .seed(model.seed).build();
            long t0 = System.nanoTime();
            SynthResult synth = new Synthesizer(sc).withCancellation(Interrupts.cancellation()).addListener(new ConsoleSynthListener(System.err, sc, false)).run(teacher);
            double synthSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.println(synth.report());
            Evaluator ev = new Evaluator(250, System.err).withCancellation(Interrupts.cancellation());
            Accuracy fp = ev.evaluate(teacher, test);
            Map<String, Accuracy> rows = new LinkedHashMap<>();
            QuantConfig[] configs = Stream.of(Method.RTN, Method.GENIE).map(method -> QuantConfig.builder()
                    .wbits(bits.wbits).abits(bits.abits).method(method).iterations(reconIters.iters).seed(model.seed)
                    .build()).toArray(QuantConfig[]::new);
            for (QuantConfig qc : configs) {
                try (QuantizedModel q = QuantizedModel.prepare(teacher, qc)) {
                    Reconstruction rec = new Reconstruction(teacher, q, synth.images()).withCancellation(Interrupts.cancellation());
                    rec.addListener(new ReconProgress(System.err, rec.units().size()));
                    rec.run();
                    rows.put(qc.method().toString(), ev.evaluate(q.student(), test));
                }
            }
            String bitsLabel = "W" + bits.wbits + "A" + bits.abits;
            System.out.println();
            System.out.printf(Locale.ROOT, "Zero-shot %s of %s (%d Genie-D images, %d synthesis / %d reconstruction"
                    + " iterations, %.0f s synthesis)%n", bitsLabel, teacher.spec().name(), samples.samples,
                    synthIters.synthIters, reconIters.iters,
                    synthSeconds);
            System.out.printf(Locale.ROOT, "%-26s %-6s %8s%n", "method", "bits", "top-1 %");
            System.out.printf(Locale.ROOT, "%-26s %-6s %8.2f%n", "FP32", "32/32", 100 * fp.top1());
            for (Map.Entry<String, Accuracy> e : rows.entrySet()) {
                String label = e.getKey().equals("genie") ? "Genie (Genie-D + Genie-M)" : "round to nearest";
                System.out.printf(Locale.ROOT, "%-26s %-6s %8.2f%n", label, bitsLabel, 100 * e.getValue().top1());
                out.put(e.getKey() + "_top1", 100 * e.getValue().top1());
            }
            out.put("fp32_top1", 100 * fp.top1());
            out.put("model", teacher.spec().name());
            out.put("wbits", bits.wbits);
            out.put("abits", bits.abits);
            out.put("seconds_synth", synthSeconds);
            out.put(EffectiveConfig.KEY, EffectiveConfig.of(sc, configs));
        }
        if (output.json) {
            JsonOut.print(System.out, out);
        }
        return 0;
    }
}
