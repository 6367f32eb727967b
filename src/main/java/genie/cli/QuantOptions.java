package genie.cli;

import genie.quant.Method;
import genie.quant.QuantConfig;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Genie-M options shared by {@code quantize}, {@code run} and the notebook magics. */
public final class QuantOptions {
    @Option(names = "--wbits", defaultValue = "4", description = "Weight bits, 2..8 (default: ${DEFAULT-VALUE}).")
    public int wbits;

    @Option(names = "--abits", defaultValue = "4", description = "Activation bits, 2..8 or 16 (default: ${DEFAULT-VALUE}).")
    public int abits;

    @Option(names = "--method", defaultValue = "genie", paramLabel = "genie|qdrop|brecq|adaround|rtn",
            description = "PTQ method (default: ${DEFAULT-VALUE}).")
    public String method;

    @Option(names = {"--iters", "--recon-iters"}, defaultValue = "20000", description = "Reconstruction iterations per unit (default: ${DEFAULT-VALUE}).")
    public int iters;

    @Option(names = "--recon-batch", defaultValue = "32", description = "Reconstruction minibatch (default: ${DEFAULT-VALUE}).")
    public int batch;

    @Option(names = "--round-weight", defaultValue = "1.0", description = "Rounding-loss weight (default: ${DEFAULT-VALUE}).")
    public double roundWeight;

    @Option(names = "--override", paramLabel = "GLOB=wNaM",
            description = "Per-layer bits, e.g. 'layer3.*=w2a4', 'fc=w8', 'conv1=a-' (repeatable).")
    public List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--no-paper-preset", description = "Do not keep the first layer W8 (float input), the second layer's input A8 and the classifier W8A8.")
    public boolean noPreset;

    public QuantConfig config(long seed) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String s : overrides) {
            int eq = s.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--override must look like 'layer3.*=w2a4', got '" + s + "'");
            }
            o.put(s.substring(0, eq), s.substring(eq + 1));
        }
        return QuantConfig.builder().wbits(wbits).abits(abits).method(Method.parse(method)).iterations(iters)
                .batch(batch).roundWeight(roundWeight).paperPreset(!noPreset).overrides(o).seed(seed).build();
    }
}
