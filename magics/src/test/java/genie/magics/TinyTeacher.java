package genie.magics;

import ai.djl.Device;
import com.google.gson.JsonParser;
import genie.data.ImageSet;
import genie.data.Normalization;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.util.Engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A tiny seeded ResNet (1x8x8, two stages, 3 classes) written as spec + safetensors, and Gaussian images. */
final class TinyTeacher {
    static final String ARCH = "{\"family\":\"resnet\",\"block\":\"basic\",\"layers\":[1,1],\"widths\":[4,8],"
            + "\"stem\":\"cifar\",\"in_channels\":1,\"num_classes\":3}";

    private TinyTeacher() {}

    /** Writes tiny.json + tiny.safetensors into {@code dir}; returns the spec path. */
    static Path write(Path dir) throws Exception {
        Engines.seed(1);
        ModelSpec spec = new ModelSpec("tiny-resnet", JsonParser.parseString(ARCH).getAsJsonObject(),
                new int[] {1, 8, 8}, new Normalization(1f / 255f, new float[] {0.5f}, new float[] {0.25f}),
                java.util.List.of("a", "b", "c"), Double.NaN, null, "test");
        try (Model m = Model.create(spec, Device.cpu())) {
            m.saveWeights(dir.resolve("tiny.safetensors"));
        }
        Path json = dir.resolve("tiny.json");
        Files.writeString(json, "{\"name\":\"tiny-resnet\",\"file\":\"tiny.safetensors\",\"arch\":" + ARCH
                + ",\"input\":{\"shape\":[1,8,8],\"pixel_scale\":0.00392156862745098,\"mean\":[0.5],\"std\":[0.25]},"
                + "\"classes\":[\"a\",\"b\",\"c\"]}");
        return json;
    }

    static ImageSet images(int n, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * 64];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ImageSet(px, labels, n, 1, 8, 8, "gaussian test images");
    }
}
