package genie.cli;

import genie.data.ImageSet;
import genie.data.ImageSetFile;
import genie.nn.Model;
import genie.quant.QuantConfig;
import genie.synth.ConsoleSynthListener;
import genie.synth.SynthCache;
import genie.synth.SynthConfig;
import genie.synth.SynthResult;
import genie.synth.Synthesizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code genie run}: the reference's {@code main.py} end to end: synthesize calibration data (Genie-D), quantize
 * (Genie-M or a baseline) and evaluate. {@code --data} replaces synthesis (few-shot real images or noise).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Synthesize (Genie-D), quantize (Genie-M or a baseline) and evaluate, end to end.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SynthOptions synth = new SynthOptions();

    @Mixin
    QuantOptions quant = new QuantOptions();

    @Option(names = "--synth-iters", defaultValue = "4000", description = "Synthesis iterations per batch (default: ${DEFAULT-VALUE}).")
    int synthIters;

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Calibration data instead of synthesis: fashion-mnist:train:512, noise:512, a folder or a .safetensors set.")
    String data;

    @Option(names = "--save-data", paramLabel = "FILE.safetensors", description = "Also write the synthesized images here.")
    Path saveData;

    @Mixin
    EvalTargetOptions evalTarget = new EvalTargetOptions();

    @Option(names = "--out", paramLabel = "FILE.safetensors", description = "Write the integer export here.")
    Path out;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        try (Model teacher = model.load()) {
            QuantConfig cfg = quant.config(model.seed);
            ImageSet calib;
            long t0 = System.nanoTime();
            if (data != null) {
                calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
                result.put("data", data);
                result.put("seconds_synth", 0.0);
            } else {
                SynthConfig sc = synth.config(synthIters, model.seed);
                SynthResult r = SynthCache.run(synth.cache(), teacher, new Synthesizer(sc)
                        .addListener(new ConsoleSynthListener(output.quiet ? null : System.err, sc, synth.logEvery > 0)),
                        System.err);
                System.out.println(r.report());
                if (r.report().cancelled()) {
                    throw new genie.util.Cancellation.CancelledException("synthesis cancelled; nothing quantized");
                }
                calib = r.images();
                genie.report.Record.noteSynth(r.report());
                result.put("data", "genie-d:" + sc.source().cliName() + (sc.swing() ? "" : ":no-swing"));
                result.put("synth_final_loss", r.report().finalLoss());
                result.put("synth_tail_loss", r.report().tailLoss());
                result.put("synth_classes_covered", r.report().classesCovered());
                result.put("seconds_synth", (System.nanoTime() - t0) / 1e9);
                if (saveData != null) {
                    ImageSetFile.save(saveData, calib, SynthCommand.metadata(r, teacher, model.weights));
                    System.out.println("wrote " + calib.size() + " images to " + saveData);
                }
            }
            result.putAll(QuantizeCommand.quantize(teacher, cfg, calib, evalTarget.data, evalTarget.limit, out, output.quiet));
            result.put("model", teacher.spec().name());
        }
        genie.report.Record.cli(output.record, "run", result);
        if (output.json) {
            JsonOut.print(System.out, result);
        }
        return 0;
    }
}
