package genie.cli;

import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.util.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code genie bench eval}: images/s of FP32 evaluation on the Fashion-MNIST test set, alternated with Debian's
 * PyTorch on the same weights and threads ({@code tools/bench_eval_torch.py}) so both see the same machine load.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Eval throughput vs PyTorch on the same weights and threads.")
public final class BenchEvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Mixin
    RepeatOption rounds = new RepeatOption();

    @Mixin
    EvalBatchOption batch = new EvalBatchOption();

    @Option(names = "--no-torch", description = "Skip the PyTorch side.")
    boolean noTorch;

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() throws Exception {
        double bestJava = 0;
        double bestTorch = 0;
        double top1 = 0;
        try (Model m = model.load()) {
            ImageSet test = DataOptions.load("fashion-mnist:test", m.spec(), 0, System.err);
            Evaluator ev = new Evaluator(batch.batch, null).withCancellation(Interrupts.cancellation());
            ev.evaluate(m, test.head(batch.batch)); // warm-up
            for (int r = 0; r < rounds.repeat; r++) {
                Accuracy a = ev.evaluate(m, test);
                top1 = a.top1();
                bestJava = Math.max(bestJava, a.imagesPerSecond());
                System.out.printf(Locale.ROOT, "round %d  java   %7.1f images/s  (top-1 %.2f %%)%n", r + 1,
                        a.imagesPerSecond(), 100 * a.top1());
                if (!noTorch) {
                    double t = torch(m.spec().source());
                    bestTorch = Math.max(bestTorch, t);
                    System.out.printf(Locale.ROOT, "round %d  torch  %7.1f images/s%n", r + 1, t);
                }
            }
            System.out.printf(Locale.ROOT, "best: java %.1f images/s%s (%s)%n", bestJava, noTorch ? ""
                    : String.format(Locale.ROOT, ", torch %.1f images/s, ratio java/torch %.2f", bestTorch,
                            bestJava / bestTorch), Engines.describe(m.device()));
        }
        if (output.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("java_images_per_second", bestJava);
            out.put("torch_images_per_second", bestTorch);
            out.put("ratio", bestTorch == 0 ? null : bestJava / bestTorch);
            out.put("top1", 100 * top1);
            out.put("threads", Engines.threads());
            JsonOut.print(System.out, out);
        }
        return 0;
    }

    private double torch(String specSource) throws Exception {
        return TorchSide.run("bench_eval_torch.py", specSource, "--batch", Integer.toString(batch.batch))
                .get("images_per_second").getAsDouble();
    }
}
