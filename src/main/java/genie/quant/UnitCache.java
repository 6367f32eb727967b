package genie.quant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import genie.data.ImageSet;
import genie.nn.FreeingPass;
import genie.nn.HookHandle;
import genie.nn.Model;
import genie.nn.Module;
import genie.util.Cancellation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a unit is reconstructed from, over the whole calibration set: the teacher's input x (kept only when QDrop mixes
 * it in) and output y at the unit, and the student's input x_q (earlier units already quantized). Taken in slices of
 * 32 images, as the reference does, because an activation quantizer initialises on the first slice that reaches it.
 * The {@link CachePlan} decides, before anything is computed, how many images stay in memory; the rest are spilled
 * ({@link CachedRows}), with the same numbers either way.
 */
final class UnitCache implements AutoCloseable {
    private static final int SLICE = 32;
    private static final int EVAL_SLICE = 128;
    private static final long EVAL_SLICE_BYTES = 64L << 20;
    static final String X = "x";
    static final String XQ = "x_q";
    static final String Y = "y";

    /** One minibatch of the cache; {@code x} is null when the method does not drop. */
    record Rows(NDArray x, NDArray y, NDArray xq) {}

    private final CachePlan plan;
    private final NDManager manager;
    private CachedRows x;
    private CachedRows y;
    private CachedRows xq;

    private UnitCache(CachePlan plan, NDManager manager) {
        this.plan = plan;
        this.manager = manager;
    }

    /**
     * The plan of each unit's cache under {@code budget}, from the shapes at the units when one calibration image
     * runs through the teacher (nothing of the student runs, so no quantizer initialises).
     */
    static List<CachePlan> plan(Model teacher, List<Unit> units, ImageSet calibration, Method method,
            CacheBudget budget) {
        Map<String, long[]> rowBytes = new LinkedHashMap<>();
        List<HookHandle> hooks = new ArrayList<>();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDScope scope = new NDScope(); NDManager sub = teacher.manager().newSubManager()) {
            for (Unit u : units) {
                hooks.add(teacher.get(u.name()).addForwardHook((m, in, out) -> rowBytes.putIfAbsent(u.name(),
                        new long[] {rowBytes(in), rowBytes(out)})));
            }
            teacher.forward(calibration.batch(sub, 0, 1));
        } finally {
            hooks.forEach(HookHandle::close);
            JniUtils.setGradMode(grad);
        }
        List<CachePlan> plans = new ArrayList<>();
        for (Unit u : units) {
            long[] b = rowBytes.get(u.name());
            if (b == null) {
                throw new IllegalStateException("unit " + u.name() + " was not reached by the forward pass");
            }
            List<String> tensors = method.qdrop ? List.of(X, XQ, Y) : List.of(XQ, Y);
            long[] bytes = method.qdrop ? new long[] {b[0], b[0], b[1]} : new long[] {b[0], b[1]};
            plans.add(CachePlan.of(u.name(), calibration.size(), tensors, bytes, budget));
        }
        return plans;
    }

    private static long rowBytes(NDArray a) {
        return a.getShape().size() / a.getShape().get(0) * Float.BYTES;
    }

    /** Runs both models up to the unit on every slice and stores as {@code plan} says; memory rows live in {@code into}. */
    static UnitCache collect(Model teacher, Model student, Unit unit, ImageSet calibration, CachePlan plan,
            NDManager into, Cancellation cancellation) {
        JniUtils.setGradMode(false);
        UnitCache cache = new UnitCache(plan, into);
        try {
            int n = calibration.size();
            for (int from = 0; from < n; from += SLICE) {
                cancellation.check();
                int to = Math.min(n, from + SLICE);
                // The scope frees what lands in long-lived managers (soft weights of this unit) and the captures,
                // once copied into the cache.
                try (NDScope scope = new NDScope(); NDManager sub = into.newSubManager()) {
                    NDArray batch = calibration.batch(sub, from, to);
                    NDArray[] t = capture(teacher, unit.name(), batch, true);
                    NDArray[] s = capture(student, unit.name(), batch, false);
                    if (cache.y == null) {
                        cache.allocate(t[0].getShape(), t[1].getShape());
                    }
                    if (cache.x != null) {
                        cache.x.write(from, t[0]);
                    }
                    cache.y.write(from, t[1]);
                    cache.xq.write(from, s[0]);
                }
            }
            return cache;
        } catch (RuntimeException | Error e) {
            cache.close(); // a cancelled or failed collection leaves no memory rows or spill files behind
            throw e;
        }
    }

    private void allocate(Shape in, Shape out) {
        Shape inRow = in.slice(1);
        Shape outRow = out.slice(1);
        long[] planned = plan.rowBytes();
        boolean drops = plan.tensors().contains(X);
        if (planned[planned.length - 1] != outRow.size() * Float.BYTES || planned[0] != inRow.size() * Float.BYTES) {
            throw new IllegalStateException("unit " + plan.unit() + " has input " + in + " and output " + out
                    + " on the calibration slice, not the planned shapes");
        }
        int n = plan.images();
        int k = plan.inMemory();
        String unit = plan.unit();
        y = new CachedRows(unit + "-y", outRow, n, k, manager, plan.budget().spillDir());
        xq = new CachedRows(unit + "-xq", inRow, n, k, manager, plan.budget().spillDir());
        x = drops ? new CachedRows(unit + "-x", inRow, n, k, manager, plan.budget().spillDir()) : null;
    }

    private static final class StopForward extends RuntimeException {
        StopForward() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs the model until the named module has run; returns its input (and output). Each module's intermediates are
     * freed when it returns: a slice through a deep prefix would otherwise hold all its activations at once.
     */
    private static NDArray[] capture(Model model, String name, NDArray batch, boolean withOutput) {
        NDArray[] got = new NDArray[2];
        FreeingPass pass = new FreeingPass(model.net());
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
            pass.close(got);
        }
        if (got[0] == null) {
            throw new IllegalStateException("unit " + name + " was not reached by the forward pass");
        }
        return withOutput ? got : new NDArray[] {got[0]};
    }

    CachePlan plan() {
        return plan;
    }

    int size() {
        return plan.images();
    }

    /** The rows {@code idx} of every cached tensor, in that order (new arrays: the caller's scope frees them). */
    Rows rows(int[] idx) {
        return new Rows(x == null ? null : x.gather(idx, manager), y.gather(idx, manager), xq.gather(idx, manager));
    }

    /** Output MSE (per element) and SQNR in dB of {@code unit} fed the student's inputs, against the teacher. */
    double[] outputError(Module unit) {
        double err = 0;
        double sig = 0;
        long count = 0;
        int n = size();
        int slice = evalSlice();
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            for (int from = 0; from < n; from += slice) {
                int to = Math.min(n, from + slice);
                try (NDScope scope = new NDScope(); FreeingPass pass = new FreeingPass(unit)) {
                    NDArray out = unit.forward(xq.range(from, to, manager));
                    NDArray target = y.range(from, to, manager);
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

    /**
     * Images per slice of the output-error pass: 128, fewer where 128 rows would pass 64 MiB (224x224 activations),
     * so that the pass's working memory stays small next to the cache.
     */
    private int evalSlice() {
        long row = 1;
        for (long b : plan.rowBytes()) {
            row = Math.max(row, b);
        }
        return (int) Math.max(1, Math.min(EVAL_SLICE, EVAL_SLICE_BYTES / row));
    }

    /** Frees the memory rows and deletes the spill files (also of a cache that was never completed). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (CachedRows r : new CachedRows[] {x, y, xq}) {
            try {
                if (r != null) {
                    r.close();
                }
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        x = null;
        y = null;
        xq = null;
        if (first != null) {
            throw first;
        }
    }
}
