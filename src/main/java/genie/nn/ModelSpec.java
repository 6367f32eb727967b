package genie.nn;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import genie.data.Normalization;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A model spec: which architecture with which torchvision constructor arguments, and what input it takes.
 * The same JSON describes the bundled teachers and a user's own model, so a variant needs no code.
 *
 * @param name        model name for reports
 * @param arch        the {@code "arch"} object (family plus constructor arguments)
 * @param inputShape  [C, H, W]
 * @param norm        pixel scale, mean and std of the input transform
 * @param classes     class names, or null
 * @param testTop1    accuracy recorded with the weights (fraction), or NaN
 * @param weights     weights file named by the spec ({@code "file"}, relative to the spec), or null
 * @param source      where the spec came from
 */
public record ModelSpec(String name, JsonObject arch, int[] inputShape, Normalization norm, List<String> classes,
        double testTop1, Path weights, String source) {

    /** Built-in architectures (ImageNet shapes, random init) and where bundled teachers live. */
    public static final List<String> BUILTIN = List.of("default", "fmnist_resnet20", "fmnist_mobilenetv2", "resnet18",
            "resnet50", "mobilenet_v2", "regnet_x_400mf", "regnet_x_3_2gf", "mnasnet1_0");

    /** Reads a spec file; unknown keys are ignored. */
    public static ModelSpec read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null,
                    "model spec not found (give a spec JSON or one of " + BUILTIN + ")");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toAbsolutePath().getParent(), file.toString());
        }
    }

    /** A built-in name or a path to a spec JSON. */
    public static ModelSpec resolve(String nameOrPath) throws IOException {
        if (nameOrPath.endsWith(".json") || Files.exists(Path.of(nameOrPath))) {
            return read(Path.of(nameOrPath));
        }
        String res = "/genie/models/" + nameOrPath + ".json";
        try (InputStream in = ModelSpec.class.getResourceAsStream(res)) {
            if (in != null) {
                return parse(in, null, "builtin:" + nameOrPath);
            }
        }
        return switch (nameOrPath) {
            case "resnet18" -> imagenet("resnet18", resnetArch("basic", new int[] {2, 2, 2, 2}));
            case "resnet50" -> imagenet("resnet50", resnetArch("bottleneck", new int[] {3, 4, 6, 3}));
            case "mobilenet_v2" -> imagenet("mobilenet_v2", mobilenetArch());
            // torchvision's builders: depth, w_0, w_a, w_m, group_width (regnet.py), alpha (mnasnet.py)
            case "regnet_x_400mf" -> imagenet(nameOrPath, regnetArch(22, 24, 24.48, 2.54, 16));
            case "regnet_x_3_2gf" -> imagenet(nameOrPath, regnetArch(25, 88, 26.31, 2.25, 48));
            case "mnasnet1_0" -> imagenet(nameOrPath, mnasnetArch(1.0));
            default -> throw new IllegalArgumentException("unknown model '" + nameOrPath + "': give a spec JSON file"
                    + " or one of " + BUILTIN);
        };
    }

    static ModelSpec parse(InputStream in, Path baseDir, String source) {
        JsonObject root;
        try {
            root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("model spec " + source + " is not a JSON object: " + e.getMessage());
        }
        if (!root.has("arch") || !root.get("arch").isJsonObject()) {
            throw new IllegalArgumentException("model spec " + source + " has no \"arch\" object; see README (Model spec)");
        }
        if (!root.has("input") || !root.get("input").isJsonObject()) {
            throw new IllegalArgumentException("model spec " + source + " has no \"input\" object with shape, "
                    + "pixel_scale, mean and std");
        }
        JsonObject input = root.getAsJsonObject("input");
        int[] shape = ints(input, "shape", source);
        if (shape.length != 3) {
            throw new IllegalArgumentException("model spec " + source + ": input.shape must be [C, H, W]");
        }
        float scale = input.has("pixel_scale") ? input.get("pixel_scale").getAsFloat() : 1f / 255f;
        float[] mean = floats(input, "mean", shape[0], 0f);
        float[] std = floats(input, "std", shape[0], 1f);
        List<String> classes = null;
        if (root.has("classes")) {
            classes = root.getAsJsonArray("classes").asList().stream().map(JsonElement::getAsString).toList();
        }
        double top1 = root.has("test_top1") ? root.get("test_top1").getAsDouble() : Double.NaN;
        Path weights = null;
        if (root.has("file") && baseDir != null) {
            weights = baseDir.resolve(root.get("file").getAsString());
        }
        String name = root.has("name") ? root.get("name").getAsString() : source;
        return new ModelSpec(name, root.getAsJsonObject("arch"), shape, new Normalization(scale, mean, std), classes,
                top1, weights, source);
    }

    /** Builds the module tree with freshly initialised weights. */
    public Module build(NDManager m) {
        String family = str(arch, "family", null);
        if (family == null) {
            throw new IllegalArgumentException("model spec " + source + ": arch.family is missing (resnet, mobilenet_v2, "
                    + "regnet or mnasnet)");
        }
        int inCh = integer(arch, "in_channels", inputShape[0]);
        if (inCh != inputShape[0]) {
            throw new IllegalArgumentException("model spec " + source + ": arch.in_channels " + inCh
                    + " differs from input.shape channels " + inputShape[0]);
        }
        int classes = integer(arch, "num_classes", 1000);
        String canonical = switch (family.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "")) {
            case "resnet" -> "resnet";
            case "mobilenetv2", "mobilenet" -> "mobilenet_v2";
            case "regnet", "regnetx" -> "regnet";
            default -> family;
        };
        warnUnusedKeys(canonical);
        switch (canonical) {
            case "resnet": {
                int[] layers = ints(arch, "layers", source);
                int[] widths = arch.has("widths") ? ints(arch, "widths", source) : defaultWidths(layers.length);
                return new ResNet(m, new ResNet.Config(str(arch, "block", "basic"), layers, widths,
                        str(arch, "stem", "imagenet"), inCh, classes, integer(arch, "groups", 1),
                        integer(arch, "width_per_group", 64)));
            }
            case "mobilenet_v2": {
                int[][] setting = MobileNetV2.DEFAULT_SETTING;
                if (arch.has("inverted_residual_setting")) {
                    JsonArray rows = arch.getAsJsonArray("inverted_residual_setting");
                    setting = new int[rows.size()][];
                    for (int i = 0; i < rows.size(); i++) {
                        JsonArray r = rows.get(i).getAsJsonArray();
                        setting[i] = new int[r.size()];
                        for (int j = 0; j < r.size(); j++) {
                            setting[i][j] = r.get(j).getAsInt();
                        }
                    }
                }
                return new MobileNetV2(m, new MobileNetV2.Config(setting,
                        arch.has("width_mult") ? arch.get("width_mult").getAsDouble() : 1.0,
                        integer(arch, "stem_channels", 32), integer(arch, "stem_stride", 2),
                        integer(arch, "last_channel", 1280), inCh, classes,
                        arch.has("dropout") ? arch.get("dropout").getAsDouble() : 0.2,
                        integer(arch, "round_nearest", 8)));
            }
            case "regnet":
                return new RegNet(m, RegNetParams.fromInit(integer(arch, "depth", 22), integer(arch, "w_0", 24),
                        number(arch, "w_a", 24.48), number(arch, "w_m", 2.54), integer(arch, "group_width", 16),
                        number(arch, "bottleneck_multiplier", 1.0)), integer(arch, "stem_width", 32), inCh, classes);
            case "mnasnet":
                return new MnasNet(m, number(arch, "alpha", 1.0), inCh, classes, number(arch, "dropout", 0.2));
            default:
                throw new IllegalArgumentException("model spec " + source + ": unknown arch.family '" + family
                        + "'; supported: resnet, mobilenet_v2, regnet, mnasnet");
        }
    }

    private static final java.util.Map<String, java.util.Set<String>> ARCH_KEYS = java.util.Map.of(
            "resnet", java.util.Set.of("family", "in_channels", "num_classes", "block", "layers", "widths", "stem",
                    "groups", "width_per_group"),
            "mobilenet_v2", java.util.Set.of("family", "in_channels", "num_classes", "inverted_residual_setting",
                    "width_mult", "stem_channels", "stem_stride", "last_channel", "dropout", "round_nearest"),
            "regnet", java.util.Set.of("family", "in_channels", "num_classes", "depth", "w_0", "w_a", "w_m",
                    "group_width", "bottleneck_multiplier", "stem_width"),
            "mnasnet", java.util.Set.of("family", "in_channels", "num_classes", "alpha", "dropout"));

    /** Arch keys this builder does not read are reported: a misspelt key would otherwise be silently ignored. */
    private void warnUnusedKeys(String family) {
        java.util.Set<String> known = ARCH_KEYS.get(family);
        if (known == null) {
            return;
        }
        for (String k : arch.keySet()) {
            if (!known.contains(k)) {
                System.err.println("genie: model spec " + source + ": arch key '" + k + "' is not used by the " + family
                        + " builder (it reads " + new java.util.TreeSet<>(known) + ")");
            }
        }
    }

    public int numClasses() {
        return integer(arch, "num_classes", 1000);
    }

    private static int[] defaultWidths(int stages) {
        int[] w = new int[stages];
        for (int i = 0; i < stages; i++) {
            w[i] = 64 << i;
        }
        return w;
    }

    private static ModelSpec imagenet(String name, JsonObject arch) {
        return new ModelSpec(name, arch, new int[] {3, 224, 224},
                new Normalization(1f / 255f, new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}),
                null, Double.NaN, null, "builtin:" + name);
    }

    private static JsonObject resnetArch(String block, int[] layers) {
        JsonObject a = new JsonObject();
        a.addProperty("family", "resnet");
        a.addProperty("block", block);
        JsonArray l = new JsonArray();
        for (int v : layers) {
            l.add(v);
        }
        a.add("layers", l);
        a.addProperty("stem", "imagenet");
        a.addProperty("in_channels", 3);
        a.addProperty("num_classes", 1000);
        return a;
    }

    private static JsonObject regnetArch(int depth, int w0, double wa, double wm, int groupWidth) {
        JsonObject a = family("regnet");
        a.addProperty("depth", depth);
        a.addProperty("w_0", w0);
        a.addProperty("w_a", wa);
        a.addProperty("w_m", wm);
        a.addProperty("group_width", groupWidth);
        return a;
    }

    private static JsonObject mnasnetArch(double alpha) {
        JsonObject a = family("mnasnet");
        a.addProperty("alpha", alpha);
        return a;
    }

    private static JsonObject family(String name) {
        JsonObject a = new JsonObject();
        a.addProperty("family", name);
        a.addProperty("in_channels", 3);
        a.addProperty("num_classes", 1000);
        return a;
    }

    private static double number(JsonObject o, String key, double def) {
        return o.has(key) ? o.get(key).getAsDouble() : def;
    }

    private static JsonObject mobilenetArch() {
        return family("mobilenet_v2");
    }

    private static String str(JsonObject o, String key, String def) {
        return o.has(key) ? o.get(key).getAsString() : def;
    }

    private static int integer(JsonObject o, String key, int def) {
        return o.has(key) ? o.get(key).getAsInt() : def;
    }

    private static int[] ints(JsonObject o, String key, String source) {
        if (!o.has(key) || !o.get(key).isJsonArray()) {
            throw new IllegalArgumentException("model spec " + source + ": \"" + key + "\" must be a list of integers");
        }
        JsonArray a = o.getAsJsonArray(key);
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsInt();
        }
        return out;
    }

    private static float[] floats(JsonObject o, String key, int n, float def) {
        float[] out = new float[n];
        if (!o.has(key)) {
            java.util.Arrays.fill(out, def);
            return out;
        }
        JsonArray a = o.getAsJsonArray(key);
        if (a.size() != n) {
            throw new IllegalArgumentException("model spec: input." + key + " has " + a.size()
                    + " values for " + n + " channels");
        }
        for (int i = 0; i < n; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }

    /** Weights bundled as a class path resource next to a built-in spec, copied to a temp file; null if none. */
    public Path bundledWeights() throws IOException {
        if (!source().startsWith("builtin:")) {
            return null;
        }
        String res = "/genie/models/" + source().substring("builtin:".length()) + ".safetensors";
        try (InputStream in = ModelSpec.class.getResourceAsStream(res)) {
            if (in == null) {
                return null;
            }
            Path tmp = Files.createTempFile("genie-weights-", ".safetensors");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }
}
