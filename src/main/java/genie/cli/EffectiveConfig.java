package genie.cli;

import genie.quant.QuantConfig;
import genie.synth.SynthConfig;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting a command ran with, defaults included, so that a result can be reproduced from its output alone:
 * printed with the result and kept under {@value #KEY} in {@code --json} lines and run records.
 */
final class EffectiveConfig {
    /** The result key (one that run records file under config). */
    static final String KEY = "config";

    private EffectiveConfig() {
    }

    /**
     * {@code {"synth": ..., "quant": ...}} for the stages that ran: no synthesis when {@code synth} is null; one
     * quantization is a map, several (quickstart's methods) a list.
     */
    static Map<String, Object> of(SynthConfig synth, QuantConfig... quant) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (synth != null) {
            m.put("synth", synth.toMap());
        }
        if (quant.length == 1) {
            m.put("quant", quant[0].toMap());
        } else if (quant.length > 1) {
            m.put("quant", Arrays.stream(quant).map(QuantConfig::toMap).toList());
        }
        return m;
    }

    /** E.g. {@code synth config: {"samples":1024,...}}. */
    static void print(PrintStream out, SynthConfig synth) {
        out.println("synth config: " + JsonOut.toJson(synth.toMap()));
    }

    /** E.g. {@code quant config: {"wbits":4,...}}. */
    static void print(PrintStream out, QuantConfig quant) {
        out.println("quant config: " + JsonOut.toJson(quant.toMap()));
    }
}
