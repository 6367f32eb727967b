package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.nn.Module;
import genie.util.Cancellation;
import genie.util.Scopes;

/**
 * What a unit is reconstructed from, over the whole calibration set: the teacher's input x and output y at the unit,
 * and the student's input x_q (earlier units already quantized). Taken in slices of 32 images, as the reference does,
 * because an activation quantizer initialises on the first slice that reaches it.
 */
record UnitCache(NDArray x, NDArray y, NDArray xq) {
    private static final int SLICE = 32;
    private static final int EVAL_SLICE = 128;

    /** Runs both models up to the unit on every slice; the cache lives in {@code into}. */
    static UnitCache collect(Model teacher, Model student, Unit unit, ImageSet calibration, NDManager into,
            Cancellation cancellation) {
        JniUtils.setGradMode(false);
        NDList xs = new NDList();
        NDList ys = new NDList();
        NDList xqs = new NDList();
        int n = calibration.size();
        for (int from = 0; from < n; from += SLICE) {
            cancellation.check();
            int to = Math.min(n, from + SLICE);
            // The scope frees what lands in long-lived managers (soft weights of this unit); captures are kept.
            try (NDScope scope = new NDScope(); NDManager sub = into.newSubManager()) {
                NDArray batch = calibration.batch(sub, from, to);
                NDArray[] t = capture(teacher, unit.name(), batch, true);
                NDArray[] s = capture(student, unit.name(), batch, false);
                for (NDArray a : new NDArray[] {t[0], t[1], s[0]}) {
                    Scopes.keep(a);
                    a.attach(into);
                }
                xs.add(t[0]);
                ys.add(t[1]);
                xqs.add(s[0]);
            }
        }
        NDArray x = NDArrays.concat(xs);
        NDArray y = NDArrays.concat(ys);
        NDArray xq = NDArrays.concat(xqs);
        xs.close();
        ys.close();
        xqs.close();
        return new UnitCache(x, y, xq);
    }

    private static final class StopForward extends RuntimeException {
        StopForward() {
            super(null, null, false, false);
        }
    }

    /** Runs the model until the named module has run; returns its input (and output). */
    private static NDArray[] capture(Model model, String name, NDArray batch, boolean withOutput) {
        NDArray[] got = new NDArray[2];
        HookHandle h = model.get(name).addForwardHook((m, in, out) -> {
            got[0] = in;
            got[1] = out;
            throw new StopForward();
        });
        try {
            model.forward(batch);
        } catch (StopForward expected) {
            // the rest of the network is not needed
        } finally {
            h.close();
        }
        if (got[0] == null) {
            throw new IllegalStateException("unit " + name + " was not reached by the forward pass");
        }
        return withOutput ? got : new NDArray[] {got[0]};
    }

    int size() {
        return (int) x.getShape().get(0);
    }

    /** Output MSE (per element) and SQNR in dB of {@code unit} fed the student's inputs, against the teacher. */
    double[] outputError(Module unit) {
        double err = 0;
        double sig = 0;
        long count = 0;
        int n = size();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += EVAL_SLICE) {
                int to = Math.min(n, from + EVAL_SLICE);
                try (NDScope scope = new NDScope()) {
                    NDArray out = unit.forward(xq.get(from + ":" + to));
                    NDArray target = y.get(from + ":" + to);
                    err += out.sub(target).square().sum().getFloat();
                    sig += target.square().sum().getFloat();
                    count += target.size();
                }
            }
        } finally {
            JniUtils.setGradMode(grad);
        }
        return new double[] {err / count, 10 * Math.log10(sig / Math.max(err, 1e-30))};
    }
}
