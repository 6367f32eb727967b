package genie.cli;

import picocli.CommandLine.Option;

/** Where {@code quantize} and {@code run} score the FP32 and quantized models. */
public final class EvalTargetOptions {
    @Option(names = "--eval-data", defaultValue = "fashion-mnist:test", paramLabel = "SPEC",
            description = "Labeled data to score FP32 and quantized models on (default: ${DEFAULT-VALUE}); 'none' skips.")
    public String data;

    @Option(names = "--eval-limit", defaultValue = "0", description = "Score only the first N evaluation images.")
    public int limit;
}
