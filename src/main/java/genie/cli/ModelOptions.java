package genie.cli;

import ai.djl.Device;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.nn.StateDict;
import genie.util.Engines;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Options every command that loads a model shares (also parsed by the notebook magics), {@code --seed} included. */
public final class ModelOptions extends SeedOption {
    @Option(names = "--model", defaultValue = "default", paramLabel = "NAME|SPEC.json",
            description = "Built-in model name (default, fmnist_resnet20, fmnist_mobilenetv2, resnet18, resnet50, "
                    + "mobilenet_v2, regnet_x_400mf, regnet_x_3_2gf, mnasnet1_0) or a model spec JSON (default: "
                    + "${DEFAULT-VALUE}).")
    public String model;

    /** {@code --weights random}: freshly initialised weights, drawn with {@code --seed} (runs that test shapes). */
    public static final String RANDOM = "random";

    @Option(names = "--weights", paramLabel = "FILE.safetensors|FILE.pth|random",
            description = "PyTorch state_dict in safetensors or torch.save (.pth/.pt/.tar), or 'random' (initialised "
                    + "with --seed) (default: the file named by the spec, or the bundled weights).")
    public Path weights;

    @Option(names = "--rename", paramLabel = "REGEX=REPLACEMENT",
            description = "Rename checkpoint keys before matching (repeatable), for checkpoints with other layouts.")
    public List<String> renames = new ArrayList<>();

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|auto", description = "Where tensors live (default: ${DEFAULT-VALUE}).")
    public String device;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
            description = "PyTorch intra-op threads (default: the launcher's GENIE_THREADS, 1).")
    public int threads;

    public Device device() {
        if (threads > 0) {
            Engines.threads(threads);
        }
        return Engines.device(device);
    }

    public ModelSpec spec() throws IOException {
        return ModelSpec.resolve(model);
    }

    public Model load() throws IOException {
        List<StateDict.Rename> rules = renames.stream().map(StateDict.Rename::parse).toList();
        if (weights != null && weights.toString().equals(RANDOM)) {
            Device d = device();
            Engines.seed(seed);
            return Model.create(spec(), d);
        }
        return Model.load(spec(), weights, device(), rules, true);
    }
}
