package genie.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** {@code torch.nn.Conv2d}: weight [out, in/groups, kh, kw], optional bias. */
public class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int kernel;
    public final int stride;
    public final int padding;
    public final int dilation;
    public final int groups;
    public final boolean hasBias;

    public Conv2d(NDManager manager, int in, int out, int kernel, int stride, int padding, int dilation,
            int groups, boolean bias) {
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: in (" + in + ") and out (" + out
                    + ") channels must be divisible by groups (" + groups + ")");
        }
        this.inChannels = in;
        this.outChannels = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.hasBias = bias;
        // torchvision initialises convolutions with kaiming_normal_(mode="fan_out", nonlinearity="relu").
        double std = Math.sqrt(2.0 / (out / (double) groups * kernel * kernel));
        registerParameter("weight", manager.randomNormal(0f, (float) std,
                new Shape(out, in / groups, kernel, kernel), ai.djl.ndarray.types.DataType.FLOAT32));
        if (bias) {
            registerParameter("bias", manager.zeros(new Shape(out)));
        }
    }

    public NDArray weight() {
        return parameter("weight");
    }

    public NDArray bias() {
        return hasBias ? parameter("bias") : null;
    }

    @Override
    protected NDArray forwardImpl(NDArray x) {
        return convolve(x, weight());
    }

    /** This convolution's geometry applied to an input with a given weight (fake-quantized weights reuse it). */
    public NDArray convolve(NDArray x, NDArray weight) {
        if (x.getShape().dimension() != 4 || x.getShape().get(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d(" + extraRepr() + ") expects input [N, " + inChannels
                    + ", H, W], got " + x.getShape());
        }
        if (outChannels < MIN_SAFE_OUT && groups == 1) {
            // libtorch 2.7.1 (oneDNN, CPU) leaves part of the input gradient uninitialised (NaN or stale values
            // once freed memory is dirty) for convolutions with fewer than 16 output channels, e.g. the Genie-D
            // generator's 64->1 and a 1->4 stem. Zero output channels added and sliced off again keep the result
            // and the gradients exact, and take the code path that is correct.
            NDArray padW = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(weight, weight.zerosLike()
                    .repeat(0, MIN_SAFE_OUT / outChannels).get("0:{}", MIN_SAFE_OUT - outChannels)), 0);
            NDArray b = bias();
            NDArray padB = b == null ? null : ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(b,
                    b.zerosLike().repeat(0, MIN_SAFE_OUT / outChannels).get("0:{}", MIN_SAFE_OUT - outChannels)), 0);
            return ai.djl.nn.convolutional.Conv2d.conv2d(x, padW, padB, new Shape(stride, stride),
                    new Shape(padding, padding), new Shape(dilation, dilation), 1).head().get(":, 0:{}", outChannels);
        }
        if (crashesBackward() && ai.djl.pytorch.jni.JniUtils.isGradMode()) {
            // libtorch 2.7.1's oneDNN 3.7.1 divides by zero (SIGFPE, the JVM dies) planning the input gradient of
            // a strided 1x1 convolution for the channel pairs of its "maskrcnn" heuristic (ResNet-50's layer3.0
            // and layer4.0 downsample). A strided 1x1 convolution is a unit-stride one on the subsampled input:
            // the same result and gradients, through a kernel that plans without dividing. Only while autograd
            // records (a backward may follow: reconstruction, Genie-D), so inference keeps the library's kernel.
            return ai.djl.nn.convolutional.Conv2d.conv2d(x.get(":, :, ::" + stride + ", ::" + stride), weight, bias(),
                    new Shape(1, 1), new Shape(0, 0), new Shape(1, 1), 1).head();
        }
        return ai.djl.nn.convolutional.Conv2d.conv2d(x, weight, bias(), new Shape(stride, stride),
                new Shape(padding, padding), new Shape(dilation, dilation), groups).head();
    }

    private static final int MIN_SAFE_OUT = 16;

    /** In and out channels for which oneDNN 3.7.1's strided 1x1 backward-data heuristic divides by zero. */
    private static final java.util.Set<java.util.List<Integer>> ONEDNN_1X1_STRIDED_FPE = java.util.Set.of(
            java.util.List.of(1024, 2048), java.util.List.of(1024, 512), java.util.List.of(256, 1024),
            java.util.List.of(512, 1024), java.util.List.of(512, 2048));

    private boolean crashesBackward() {
        return kernel == 1 && stride > 1 && padding == 0 && dilation == 1 && groups == 1
                && ONEDNN_1X1_STRIDED_FPE.contains(java.util.List.of(inChannels, outChannels));
    }

    @Override
    public String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernel + ", " + kernel + "), stride=("
                + stride + ", " + stride + ")" + (padding != 0 ? ", padding=(" + padding + ", " + padding + ")" : "")
                + (dilation != 1 ? ", dilation=" + dilation : "") + (groups != 1 ? ", groups=" + groups : "")
                + (hasBias ? "" : ", bias=False");
    }
}
