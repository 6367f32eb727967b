package genie.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code genie quickstart}: the main job on the bundled default teacher. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Evaluate the bundled default Fashion-MNIST teacher (set-up included).")
public final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--json", description = "End stdout with one JSON line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        EvalCommand eval = new EvalCommand();
        eval.data = "fashion-mnist:test";
        eval.batch = 250;
        eval.json = json;
        return eval.call();
    }
}
