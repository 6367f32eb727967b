package genie.testing;

import ai.djl.Device;
import com.google.gson.JsonParser;
import genie.data.ImageSet;
import genie.data.Normalization;
import genie.nn.Model;
import genie.nn.ModelSpec;
import genie.util.Engines;

import java.util.Random;

/** Small seeded models and data for fast tests. */
public final class TinyModels {
    private TinyModels() {}

    /** A two-stage CIFAR-stem ResNet on 1x8x8 inputs (has identity and downsample skips). */
    public static Model resnet(long seed) {
        Engines.seed(seed);
        ModelSpec spec = new ModelSpec("tiny-resnet", JsonParser.parseString("{\"family\":\"resnet\",\"block\":\"basic\","
                + "\"layers\":[1,1],\"widths\":[4,8],\"stem\":\"cifar\",\"in_channels\":1,\"num_classes\":3}")
                .getAsJsonObject(), new int[] {1, 8, 8}, new Normalization(1f / 255f, new float[] {0f}, new float[] {1f}),
                null, Double.NaN, null, "test:tiny-resnet");
        return Model.create(spec, Device.cpu());
    }

    /** A small MobileNetV2 (depthwise convolutions, ReLU6, inverted residuals) on 3x16x16 inputs. */
    public static Model mobilenet(long seed) {
        Engines.seed(seed);
        ModelSpec spec = new ModelSpec("tiny-mobilenet", JsonParser.parseString("{\"family\":\"mobilenet_v2\","
                + "\"inverted_residual_setting\":[[1,8,1,1],[2,8,2,2],[2,16,2,2]],\"width_mult\":1.0,"
                + "\"stem_channels\":8,\"stem_stride\":1,\"last_channel\":32,\"in_channels\":3,\"num_classes\":4,"
                + "\"dropout\":0.2}").getAsJsonObject(), new int[] {3, 16, 16},
                new Normalization(1f / 255f, new float[] {0f}, new float[] {1f}), null, Double.NaN, null,
                "test:tiny-mobilenet");
        return Model.create(spec, Device.cpu());
    }

    /** Gaussian images with labels 0..classes-1. */
    public static ImageSet images(int n, int c, int h, int w, int classes, long seed) {
        Random r = new Random(seed);
        float[] px = new float[n * c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) r.nextGaussian();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % classes;
        }
        return new ImageSet(px, labels, n, c, h, w, "gaussian test images");
    }
}
