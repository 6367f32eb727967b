package genie.cli;

import genie.util.Cancellation;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;

/** The {@code genie} command line. */
@Command(name = "genie", mixinStandardHelpOptions = true, version = "genie 0.1.0",
        description = "Zero-shot quantization with Genie (CVPR 2023) on DJL/PyTorch.",
        subcommands = {EvalCommand.class, SynthCommand.class, QuantizeCommand.class, RunCommand.class, QuickstartCommand.class,
                TrainCommand.class, BenchCommand.class, ReportCommand.class, SweepCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        Interrupts.install(System.err);
        System.exit(commandLine().execute(args));
    }

    /** The command tree with Genie's error handling; the notebook magics parse with the same tree. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            if (ex instanceof Cancellation.CancelledException) {
                // Commands that keep partial work handle the interrupt themselves; the others just stop.
                err.println("genie " + cmd.getCommandName() + ": interrupted; this command keeps no partial result");
                err.flush();
                return Interrupts.EXIT_CODE;
            }
            err.println("genie " + cmd.getCommandName() + ": error: " + message(ex));
            if (System.getenv("GENIE_STACKTRACE") != null) {
                ex.printStackTrace(err);
            } else if (!(ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                    || ex instanceof IOException)) {
                err.println("(set GENIE_STACKTRACE=1 for the stack trace)");
            }
            err.flush();
            return 2;
        });
        return cl;
    }

    static String message(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nf) {
            return "file not found: " + nf.getFile() + (nf.getReason() != null ? " (" + nf.getReason() + ")" : "");
        }
        String m = ex.getMessage();
        return m == null ? ex.getClass().getSimpleName() : m;
    }
}
