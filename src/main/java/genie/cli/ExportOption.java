package genie.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where {@code quantize} and {@code run} write the integer export. */
public final class ExportOption {
    @Option(names = "--out", paramLabel = "FILE.safetensors", description = "Write the integer export here.")
    public Path out;
}
