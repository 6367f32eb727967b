package genie.cli;

import genie.data.ImageSet;
import genie.data.ImageSetFile;
import genie.nn.Model;
import genie.quant.CacheBudget;
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
        description = "Synthesize (Genie-D), quantize (Genie-M or a baseline) and evaluate, end to end.",
        footer = {"", "On the command line, Ctrl-C during synthesis writes the finished batches to --save-data (or, "
                + "without it, to DIR/" + RunCommand.PARTIAL + " under --record DIR), quantizes nothing and exits with "
                + "status 130. Later: " + QuantizeCommand.FOOTER})
public final class RunCommand implements Callable<Integer> {
    /** The finished batches of an interrupted synthesis, in the --record folder when there is no --save-data. */
    static final String PARTIAL = "synthetic-partial.safetensors";

    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SynthOptions synth = new SynthOptions();

    @Mixin
    QuantOptions quant = new QuantOptions();

    @Mixin
    SynthItersOption synthIters = new SynthItersOption(SynthConfig.DEFAULTS.iterations());

    @Option(names = "--data", paramLabel = "SPEC",
            description = "Calibration data instead of synthesis: fashion-mnist:train:512, noise:512, a folder or a .safetensors set.")
    String data;

    @Option(names = "--save-data", paramLabel = "FILE.safetensors", description = "Also write the synthesized images here.")
    Path saveData;

    @Mixin
    EvalTargetOptions evalTarget = new EvalTargetOptions();

    @Mixin
    ExportOption export = new ExportOption();

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        CommandRecord record = new CommandRecord("run");
        try (Model teacher = model.load()) {
            QuantConfig cfg = quant.config(model.seed);
            CacheBudget cacheBudget = quant.cacheBudget();
            SynthConfig sc = data == null ? synth.config(synthIters.synthIters, model.seed) : null;
            result.put(EffectiveConfig.KEY, EffectiveConfig.of(sc, cfg));
            ImageSet calib;
            long t0 = System.nanoTime();
            if (data != null) {
                calib = DataOptions.load(data, teacher.spec(), model.seed, System.err);
                result.put("data", data);
                result.put("seconds_synth", 0.0);
            } else {
                SynthResult r = SynthCache.run(synth.cache(), teacher, new Synthesizer(sc)
                        .withCancellation(Interrupts.cancellation())
                        .addListener(new ConsoleSynthListener(output.quiet ? null : System.err, sc, synth.logEvery > 0)),
                        System.err);
                EffectiveConfig.print(System.out, sc);
                System.out.println(r.report());
                record.synth(r.report());
                if (r.report().cancelled()) {
                    keepInterruptedSynthesis(r, teacher, result);
                    result.put("model", teacher.spec().name());
                    return finish(result, record);
                }
                calib = r.images();
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
            result.putAll(QuantizeCommand.quantize("genie run", teacher, cfg, cacheBudget, calib,
                    evalTarget.data, evalTarget.limit, export, output.quiet, record));
            result.put("model", teacher.spec().name());
        }
        return finish(result, record);
    }

    private int finish(Map<String, Object> result, CommandRecord record) throws java.io.IOException {
        record.write(output.record, result);
        if (output.json) {
            JsonOut.print(System.out, result);
        }
        return QuantizeCommand.interrupted(result) ? Interrupts.EXIT_CODE : 0;
    }

    /**
     * Writes the finished batches of an interrupted synthesis where the user asked for images (--save-data) or
     * for a record of the run (--record DIR, as DIR/{@value #PARTIAL}), and says how to go on from them.
     */
    private void keepInterruptedSynthesis(SynthResult r, Model teacher, Map<String, Object> result)
            throws java.io.IOException {
        Path keep = saveData != null ? saveData : output.record != null ? output.record.resolve(PARTIAL) : null;
        int n = r.images().size();
        if (keep != null && n > 0) {
            if (keep.getParent() != null) {
                java.nio.file.Files.createDirectories(keep.getParent());
            }
            ImageSetFile.save(keep, r.images(), SynthCommand.metadata(r, teacher, model.weights));
            result.put("synthetic_kept", keep.toString());
        }
        result.put("status", "interrupted");
        result.put("interrupted_during", "synthesis");
        result.put("synth_batches_done", r.report().completedBatches());
        result.put("samples", n);
        StringBuilder msg = new StringBuilder("genie run: ").append(SynthCommand.interrupted(r.report(), n,
                n > 0 ? keep : null, "give --save-data FILE or --record DIR to keep them")).append("; nothing quantized");
        if (keep != null && n > 0) {
            msg.append("; quantize with them: --data ").append(keep);
        }
        if (synth.cache() != null) {
            msg.append(" (the synthesis cache keeps finished runs only)");
        }
        if (!output.quiet) {
            System.err.println(); // ends the progress bar's line
        }
        System.err.println(msg);
    }
}
