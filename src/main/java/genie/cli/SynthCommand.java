package genie.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.data.ImageSetFile;
import genie.nn.Model;
import genie.synth.ConsoleSynthListener;
import genie.synth.SynthCache;
import genie.synth.SynthConfig;
import genie.synth.SynthResult;
import genie.synth.Synthesizer;
import genie.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genie synth}: Genie-D calibration images from a teacher's BatchNorm statistics, saved as safetensors. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Synthesize calibration images from the model's BatchNorm statistics (Genie-D).",
        footer = {"", "On the command line, Ctrl-C stops after the current iteration: the finished batches are "
                + "written to --out (the file's metadata says cancelled: true) and the run exits with status 130. "
                + "Ctrl-C again stops at once."})
public final class SynthCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    SynthOptions synth = new SynthOptions();

    @Option(names = "--iters", description = "Iterations per batch (default: ${DEFAULT-VALUE}).")
    int iters = SynthConfig.DEFAULTS.iterations();

    @Option(names = "--out", paramLabel = "FILE.safetensors", description = "Where to write the images (with metadata).")
    Path out;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Override
    public Integer call() throws Exception {
        SynthConfig config = synth.config(iters, model.seed);
        if (out != null && !out.toString().endsWith(".safetensors")) {
            throw new IllegalArgumentException("--out must name a .safetensors file, got " + out);
        }
        try (Model m = model.load()) {
            Synthesizer s = new Synthesizer(config).withCancellation(Interrupts.cancellation())
                    .addListener(new ConsoleSynthListener(output.quiet ? null : System.err, config, synth.logEvery > 0));
            SynthResult r = SynthCache.run(synth.cache(), m, s, System.err);
            EffectiveConfig.print(System.out, config);
            System.out.println(r.report());
            System.out.println("engine: " + Engines.describe(m.device()));
            Map<String, Object> summary = r.report().toMap(false);
            if (out != null && r.images().size() > 0) {
                JsonObject meta = metadata(r, m, model.weights);
                ImageSetFile.save(out, r.images(), meta);
                System.out.println("wrote " + r.images().size() + " images to " + out);
                summary.put("out", out.toString());
            }
            CommandRecord record = new CommandRecord("synth");
            record.synth(r.report());
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("model", m.spec().name());
            rec.put("seed", config.seed());
            rec.put("samples", r.images().size());
            rec.put("synth_final_loss", r.report().finalLoss());
            rec.put("synth_classes_covered", r.report().classesCovered());
            rec.put("seconds_synth", r.report().seconds());
            rec.put(EffectiveConfig.KEY, EffectiveConfig.of(config));
            if (r.report().cancelled()) {
                rec.put("status", "interrupted");
            }
            record.write(output.record, rec);
            // After the record's "record: DIR" line: the JSON line ends stdout.
            if (output.json) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("model", m.spec().name());
                line.putAll(summary);
                line.put(EffectiveConfig.KEY, EffectiveConfig.of(config));
                line.put("threads", Engines.threads());
                JsonOut.print(System.out, line);
            }
            if (r.report().cancelled()) {
                if (!output.quiet) {
                    System.err.println(); // ends the progress bar's line
                }
                System.err.println("genie synth: " + interrupted(r.report(), r.images().size(), out, "no --out"));
                return Interrupts.EXIT_CODE;
            }
        }
        return 0;
    }

    /** What an interrupted synthesis kept, e.g. "interrupted during batch 2 of 6; kept the 32 images ...". */
    static String interrupted(genie.synth.SynthReport report, int images, Path keptIn, String whyNotKept) {
        int done = report.completedBatches();
        String head = "interrupted " + (done < report.config().batches()
                ? "during batch " + (done + 1) + " of " + report.config().batches() : "after the last batch");
        if (images == 0) {
            return head + "; no batch had finished, nothing written";
        }
        String batches = done + " finished batch" + (done == 1 ? "" : "es");
        return head + "; " + (keptIn == null ? "the " + images + " images of " + batches + " are not kept ("
                + whyNotKept + ")"
                : "kept the " + images + " images of " + batches + " in " + keptIn);
    }

    /** What a synthetic set carries so a run is reproducible: config, seed, versions, final losses, curves. */
    static JsonObject metadata(SynthResult r, Model m, Path weights) {
        JsonObject meta = JsonParser.parseString(JsonOut.toJson(r.report().toMap(true))).getAsJsonObject();
        meta.addProperty("kind", "genie-d");
        meta.addProperty("model", m.spec().name());
        meta.addProperty("model_source", m.spec().source());
        meta.addProperty("weights", weights == null ? null : weights.toString());
        meta.addProperty("seed", r.report().config().seed());
        meta.addProperty("djl", ai.djl.engine.Engine.getDjlVersion());
        meta.addProperty("pytorch", Engines.engine().getVersion());
        meta.addProperty("java", System.getProperty("java.version"));
        return meta;
    }
}
