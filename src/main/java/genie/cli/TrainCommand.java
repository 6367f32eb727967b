package genie.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import genie.setup.DatasetInstaller;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.data.Normalization;
import genie.eval.Accuracy;
import genie.eval.Evaluator;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.optim.Schedules;
import genie.optim.Sgd;
import genie.util.Engines;
import genie.util.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code genie train}: trains a small Fashion-MNIST ResNet teacher in Java (SGD with momentum, cosine schedule,
 * random-crop and flip augmentation) and writes its spec JSON (with the measured accuracy) and weights.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a Fashion-MNIST ResNet teacher in Java.")
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--layers", defaultValue = "1,1,1", split = ",", description = "Blocks per stage (default: ${DEFAULT-VALUE}).")
    int[] layers;

    @Option(names = "--widths", defaultValue = "16,32,64", split = ",", description = "Channels per stage (default: ${DEFAULT-VALUE}).")
    int[] widths;

    @Option(names = "--epochs", defaultValue = "3", description = "Epochs, may be fractional (default: ${DEFAULT-VALUE}).")
    double epochs;

    @Option(names = "--batch", defaultValue = "128")
    int batch;

    @Option(names = "--lr", defaultValue = "0.1")
    double lr;

    @Mixin
    SeedOption seeding = new SeedOption();

    @Option(names = "--name", defaultValue = "fmnist_resnet8_java")
    String name;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Writes NAME.json and NAME.safetensors here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Normalization norm = Normalization.fashionMnist();
        if (!new FashionMnist().isInstalled()) {
            DatasetInstaller.fashionMnist(System.err);
        }
        ImageSet train = new FashionMnist().load("train", norm);
        ImageSet test = new FashionMnist().load("test", norm);
        JsonObject spec = specJson(norm);
        ModelSpec ms = new ModelSpec(name, spec.getAsJsonObject("arch"), new int[] {1, 28, 28}, norm,
                FashionMnist.classes(), Double.NaN, null, "train:" + name);
        Engines.seed(seeding.seed);
        long t0 = System.nanoTime();
        try (Model model = Model.create(ms, Engines.device("cpu"))) {
            model.net().train(true);
            List<NDArray> params = new ArrayList<>(model.net().namedParameters().values());
            params.forEach(p -> p.setRequiresGradient(true));
            int steps = (int) Math.ceil(epochs * train.size() / batch);
            Random rnd = new Random(seeding.seed);
            int[] order = new int[train.size()];
            int cursor = order.length;
            Engine engine = Engines.engine();
            ProgressBar bar = new ProgressBar(System.err, "train " + name, steps, true);
            float pad = -norm.meanOf(0) / norm.stdOf(0); // pixel 0 in model space
            try (Sgd sgd = new Sgd(model.manager(), params, lr, 0.9, 5e-4)) {
                for (int step = 0; step < steps; step++) {
                    Interrupts.cancellation().check();
                    if (cursor + batch > order.length) {
                        for (int i = 0; i < order.length; i++) {
                            order[i] = i;
                        }
                        for (int i = order.length - 1; i > 0; i--) {
                            int j = rnd.nextInt(i + 1);
                            int t = order[i];
                            order[i] = order[j];
                            order[j] = t;
                        }
                        cursor = 0;
                    }
                    float[] x = new float[batch * 784];
                    int[] y = new int[batch];
                    for (int b = 0; b < batch; b++) {
                        int idx = order[cursor++];
                        y[b] = train.label(idx);
                        augment(train.pixels(), idx * 784, x, b * 784, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2,
                                rnd.nextBoolean(), pad);
                    }
                    float loss;
                    try (NDScope scope = new NDScope(); NDManager sub = model.manager().newSubManager()) {
                        NDArray xb = sub.create(x, new Shape(batch, 1, 28, 28));
                        NDArray onehot = sub.create(y).oneHot(10);
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray logits = model.forward(xb);
                            NDArray l = logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).neg().mean();
                            gc.backward(l);
                            loss = l.getFloat();
                        }
                        sgd.step();
                    }
                    if (!Float.isFinite(loss)) {
                        throw new IllegalStateException("training diverged at step " + step + "; lower --lr");
                    }
                    sgd.setLr(Schedules.cosine(lr, 0, steps, step + 1));
                    bar.update(step + 1, String.format(Locale.ROOT, "loss %.3f", loss));
                }
            }
            model.net().eval();
            params.forEach(p -> p.setRequiresGradient(false));
            Accuracy acc = new Evaluator(250, System.err).withCancellation(Interrupts.cancellation()).evaluate(model, test);
            double minutes = (System.nanoTime() - t0) / 60e9;
            System.out.println(name + ": " + acc + " after " + epochs + " epochs, " + String.format(Locale.ROOT, "%.1f", minutes)
                    + " min");
            Files.createDirectories(out);
            spec.addProperty("test_top1", acc.top1());
            JsonObject training = new JsonObject();
            training.addProperty("optimizer", "SGD momentum 0.9, weight decay 5e-4");
            training.addProperty("lr", lr);
            training.addProperty("schedule", "cosine to 0 over all steps");
            training.addProperty("batch", batch);
            training.addProperty("epochs", epochs);
            training.addProperty("augmentation", "random crop 28 from zero-padded (2px) image + horizontal flip p=0.5");
            training.addProperty("seed", seeding.seed);
            training.addProperty("minutes", minutes);
            training.addProperty("engine", Engines.describe(model.device()));
            spec.add("training", training);
            model.saveWeights(out.resolve(name + ".safetensors"));
            Files.writeString(out.resolve(name + ".json"), new GsonBuilder().setPrettyPrinting().create().toJson(spec));
            System.out.println("wrote " + out.resolve(name + ".json") + " and " + out.resolve(name + ".safetensors"));
        }
        return 0;
    }

    private JsonObject specJson(Normalization norm) {
        JsonObject spec = new JsonObject();
        spec.addProperty("name", name);
        spec.addProperty("file", name + ".safetensors");
        JsonObject arch = new JsonObject();
        arch.addProperty("family", "resnet");
        arch.addProperty("block", "basic");
        JsonArray l = new JsonArray();
        for (int v : layers) {
            l.add(v);
        }
        JsonArray w = new JsonArray();
        for (int v : widths) {
            w.add(v);
        }
        arch.add("layers", l);
        arch.add("widths", w);
        arch.addProperty("stem", "cifar");
        arch.addProperty("in_channels", 1);
        arch.addProperty("num_classes", 10);
        spec.add("arch", arch);
        JsonObject input = new JsonObject();
        JsonArray shape = new JsonArray();
        shape.add(1);
        shape.add(28);
        shape.add(28);
        input.add("shape", shape);
        input.addProperty("pixel_scale", norm.pixelScale());
        JsonArray mean = new JsonArray();
        mean.add(norm.meanOf(0));
        JsonArray std = new JsonArray();
        std.add(norm.stdOf(0));
        input.add("mean", mean);
        input.add("std", std);
        spec.add("input", input);
        JsonArray classes = new JsonArray();
        FashionMnist.classes().forEach(classes::add);
        spec.add("classes", classes);
        return spec;
    }

    /** Random crop from the image zero-padded by 2 (offset dx, dy in -2..2) and optional horizontal flip. */
    static void augment(float[] src, int so, float[] dst, int dOff, int dx, int dy, boolean flip, float pad) {
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                int sr = r + dy;
                int sc = (flip ? 27 - c : c) + dx;
                dst[dOff + r * 28 + c] = sr < 0 || sr >= 28 || sc < 0 || sc >= 28 ? pad : src[so + sr * 28 + sc];
            }
        }
    }
}
