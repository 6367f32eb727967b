package genie.cli;

import genie.quant.CacheBudget;
import genie.quant.Method;
import genie.quant.QuantConfig;
import genie.quant.ReconSchedule;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Genie-M options shared by {@code quantize}, {@code run}, {@code bench recon} and the notebook magics. */
public final class QuantOptions {
    @Mixin
    public BitsOptions bits = new BitsOptions();

    @Option(names = "--method", paramLabel = "genie|qdrop|brecq|adaround|rtn",
            description = "PTQ method (default: ${DEFAULT-VALUE}).")
    public String method = QuantConfig.DEFAULTS.method().toString();

    @Mixin
    public ReconItersOption iterations = new ReconItersOption(QuantConfig.DEFAULTS.iterations());

    @Option(names = "--recon-batch", description = "Reconstruction minibatch (default: ${DEFAULT-VALUE}).")
    public int batch = QuantConfig.DEFAULTS.batch();

    @Option(names = "--round-weight", description = "Rounding-loss weight (default: ${DEFAULT-VALUE}).")
    public double roundWeight = QuantConfig.DEFAULTS.roundWeight();

    @Option(names = "--softbit-lr", paramLabel = "LR", description = "Adam learning rate of the softbit logits V (default: ${DEFAULT-VALUE}).")
    public double softbitLr = QuantConfig.DEFAULTS.lrSoftbits();

    @Option(names = "--weight-step-lr", paramLabel = "LR", description = "Adam learning rate of the weight step sizes, cosine-annealed (default: ${DEFAULT-VALUE}).")
    public double weightStepLr = QuantConfig.DEFAULTS.lrWeightScale();

    @Option(names = "--act-step-lr", paramLabel = "LR", description = "Adam learning rate of the activation step sizes, cosine-annealed (default: ${DEFAULT-VALUE}).")
    public double actStepLr = QuantConfig.DEFAULTS.lrActScale();

    @Option(names = "--round-warmup", paramLabel = "FRACTION", description = "Share of the iterations before the rounding loss starts (default: ${DEFAULT-VALUE}).")
    public double warmup = QuantConfig.DEFAULTS.warmup();

    @Option(names = "--drop-prob", paramLabel = "P", description = "QDrop: probability of using the quantized value of an activation, else its full-precision value (default: ${DEFAULT-VALUE}).")
    public float dropProb = QuantConfig.DEFAULTS.dropProb();

    @Option(names = "--recon-schedule", paramLabel = "paper|cosine-all",
            description = "Learning-rate schedule of the reconstruction: paper (step sizes cosine to 0, softbits "
                    + "constant) or, beyond Genie, cosine-all (softbits cosine to 0 too) (default: ${DEFAULT-VALUE}).")
    public String reconSchedule = QuantConfig.DEFAULTS.reconSchedule().cliName();

    @Option(names = "--override", paramLabel = "GLOB=wNaM",
            description = "Per-layer bits, e.g. 'layer3.*=w2a4', 'fc=w8', 'conv1=a-' (repeatable).")
    public List<String> overrides = new ArrayList<>();

    @Option(names = "--no-paper-preset", description = "Do not keep the first layer W8 (float input), the second layer's input A8 and the classifier W8A8.")
    public boolean noPreset;

    @Option(names = "--cache-memory", paramLabel = "SIZE|auto|unlimited", defaultValue = "auto",
            description = "Memory one unit's reconstruction cache may hold (teacher input/output and student input of "
                    + "every calibration image), e.g. 512m, 4g; beyond it images spill to disk with the same numbers "
                    + "(default: ${DEFAULT-VALUE}, 1/4 of physical memory).")
    public String cacheMemory = "auto";

    @Option(names = "--spill-dir", paramLabel = "DIR",
            description = "Where the reconstruction cache spills beyond --cache-memory (default: the JVM's temporary "
                    + "folder, java.io.tmpdir); the files are deleted when the unit ends or the process does.")
    public Path spillDir;

    /** The reconstruction cache's budget from --cache-memory and --spill-dir. */
    public CacheBudget cacheBudget() {
        return CacheBudget.parse(cacheMemory, spillDir);
    }

    public QuantConfig config(long seed) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String s : overrides) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--override must look like 'layer3.*=w2a4', got '" + s + "'");
            }
            o.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return QuantConfig.builder().wbits(bits.wbits).abits(bits.abits).method(Method.parse(method))
                .iterations(iterations.iters).batch(batch).roundWeight(roundWeight).lrSoftbits(softbitLr)
                .lrWeightScale(weightStepLr).lrActScale(actStepLr).warmup(warmup).dropProb(dropProb)
                .paperPreset(!noPreset).overrides(o)
                .seed(seed).reconSchedule(ReconSchedule.parse(reconSchedule)).build();
    }
}
