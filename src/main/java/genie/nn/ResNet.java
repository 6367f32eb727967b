package genie.nn;

import ai.djl.ndarray.NDManager;

/**
 * torchvision's {@code ResNet} with its constructor arguments, plus the CIFAR-style 3x3 stem used by small
 * teachers (ResNet-20 for 28x28 Fashion-MNIST). State-dict names are torchvision's.
 */
public class ResNet extends Composite {
    /** Builder arguments with torchvision's meanings. */
    public record Config(String block, int[] layers, int[] widths, String stem, int inChannels, int numClasses,
            int groups, int widthPerGroup) {
        public Config {
            if (!block.equals("basic") && !block.equals("bottleneck")) {
                throw new IllegalArgumentException("resnet block must be 'basic' or 'bottleneck', got '" + block + "'");
            }
            if (!stem.equals("imagenet") && !stem.equals("cifar")) {
                throw new IllegalArgumentException("resnet stem must be 'imagenet' or 'cifar', got '" + stem + "'");
            }
            if (layers.length == 0 || layers.length != widths.length) {
                throw new IllegalArgumentException("resnet needs one width per stage: layers " + layers.length
                        + ", widths " + widths.length);
            }
        }
    }

    public final Config config;

    public ResNet(NDManager m, Config c) {
        this.config = c;
        boolean bottleneck = c.block().equals("bottleneck");
        int expansion = bottleneck ? Bottleneck.EXPANSION : BasicBlock.EXPANSION;
        int inplanes = c.widths()[0];
        if (c.stem().equals("imagenet")) {
            register("conv1", new Conv2d(m, c.inChannels(), inplanes, 7, 2, 3, 1, 1, false));
        } else {
            register("conv1", new Conv2d(m, c.inChannels(), inplanes, 3, 1, 1, 1, 1, false));
        }
        register("bn1", new BatchNorm2d(m, inplanes));
        register("relu", new Activations.ReLU());
        if (c.stem().equals("imagenet")) {
            register("maxpool", new Pooling.MaxPool2d(3, 2, 1));
        }
        for (int s = 0; s < c.layers().length; s++) {
            Sequential stage = new Sequential();
            int planes = c.widths()[s];
            for (int b = 0; b < c.layers()[s]; b++) {
                int stride = (b == 0 && s > 0) ? 2 : 1;
                stage.add(bottleneck ? new Bottleneck(m, inplanes, planes, stride, c.groups(), c.widthPerGroup())
                        : new BasicBlock(m, inplanes, planes, stride));
                inplanes = planes * expansion;
            }
            register("layer" + (s + 1), stage);
        }
        register("avgpool", new Pooling.AdaptiveAvgPool2d());
        register("fc", new Linear(m, inplanes, c.numClasses(), true));
    }

    @Override
    public <T> T flow(Flow<T> f, T x) {
        T y = f.call(child("relu"), f.call(child("bn1"), f.call(child("conv1"), x)));
        if (hasChild("maxpool")) {
            y = f.call(child("maxpool"), y);
        }
        for (int s = 1; hasChild("layer" + s); s++) {
            y = f.call(child("layer" + s), y);
        }
        y = f.call(child("avgpool"), y);
        return f.call(child("fc"), f.flatten(y));
    }
}
