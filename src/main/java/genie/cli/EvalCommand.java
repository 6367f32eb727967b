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
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code genie eval}: top-1/top-5 of a model on real labeled images. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Top-1/top-5 accuracy of a model on labeled images.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOptions model = new ModelOptions();

    @Option(names = "--data", defaultValue = "fashion-mnist:test", paramLabel = "SPEC",
            description = "fashion-mnist:test, fashion-mnist:validation, fashion-mnist:train[:N], an image folder DIR "
                    + "(default: ${DEFAULT-VALUE}).")
    String data;

    @Option(names = "--limit", defaultValue = "0", description = "Score only the first N images (0: all).")
    int limit;

    @Mixin
    EvalBatchOption batch = new EvalBatchOption();

    @Mixin
    JsonOption output = new JsonOption();

    @Override
    public Integer call() throws Exception {
        try (Model m = model.load()) {
            ImageSet set = DataOptions.load(data, m.spec(), model.seed, System.err);
            if (limit > 0) {
                set = set.head(limit);
            }
            Accuracy acc = new Evaluator(batch.batch, System.err).withCancellation(Interrupts.cancellation())
                    .evaluate(m, set);
            System.out.println(m.spec().name() + " on " + set.description() + ": " + acc);
            System.out.println("engine: " + Engines.describe(m.device()));
            if (output.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", m.spec().name());
                out.put("data", data);
                out.put("top1", 100 * acc.top1());
                out.put("top5", 100 * acc.top5());
                out.put("images", acc.images());
                out.put("seconds", acc.seconds());
                out.put("images_per_second", acc.imagesPerSecond());
                out.put("threads", Engines.threads());
                JsonOut.print(System.out, out);
            }
        }
        return 0;
    }
}
