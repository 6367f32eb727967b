package genie.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where {@code quantize} and {@code run} write the quantized model: integer export, ONNX QDQ graph, or both. */
public final class ExportOption {
    @Option(names = "--out", paramLabel = "FILE.safetensors", description = "Write the integer export here.")
    public Path out;

    @Option(names = "--onnx", paramLabel = "FILE.onnx", description = "Write the quantized model as an ONNX QDQ graph "
            + "(opset 13, BatchNorm kept, dynamic batch; runs in ONNX Runtime).")
    public Path onnx;
}
