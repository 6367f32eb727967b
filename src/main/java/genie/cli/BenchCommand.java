package genie.cli;

import picocli.CommandLine.Command;

/** {@code genie bench ...}: benchmarks that print figures (speed targets are checked here, not in unit tests). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: eval throughput, synthesis and reconstruction speed, memory, ONNX Runtime.",
        subcommands = {BenchEvalCommand.class, BenchSynthCommand.class, BenchReconCommand.class,
            BenchOnnxCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
