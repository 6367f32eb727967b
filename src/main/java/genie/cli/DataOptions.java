package genie.cli;

import genie.setup.DatasetInstaller;
import genie.data.DataSource;
import genie.data.FashionMnist;
import genie.data.ImageSet;
import genie.nn.ModelSpec;

import java.io.PrintStream;

/** Turns a data spec into images for a model, installing Fashion-MNIST first when that is possible. */
final class DataOptions {
    private DataOptions() {}

    static ImageSet load(String spec, ModelSpec model, long seed, PrintStream log) throws Exception {
        if (spec.startsWith("fashion-mnist") && !new FashionMnist().isInstalled()) {
            DatasetInstaller.fashionMnist(log);
        }
        return DataSource.load(spec, model.inputShape(), model.norm(), seed);
    }
}
