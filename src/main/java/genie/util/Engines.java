package genie.util;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;


/**
 * The one place that starts DJL's PyTorch engine: offline, with pinned threads, seeded, on a chosen device.
 */
public final class Engines {
    private Engines() {}

    static {
        // Last line of defence: the launcher, kernelspec and Surefire pass these as -D flags already. Setting
        // them here helps only if no DJL class has loaded yet, which holds when this class is touched first.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** The PyTorch engine (loads libtorch on first use). */
    public static Engine engine() {
        return Engine.getEngine("PyTorch");
    }

    /** Parses {@code cpu|gpu|auto}; gpu without a CUDA engine is a clear error. */
    public static Device device(String name) {
        String n = name == null ? "cpu" : name.toLowerCase();
        int gpus = engine().getGpuCount();
        return switch (n) {
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu: no CUDA GPU is visible to PyTorch "
                            + engine().getVersion() + " (this build is CPU-only unless built with -Pcuda); use --device cpu");
                }
                yield Device.gpu();
            }
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            default -> throw new IllegalArgumentException("unknown device '" + name + "': use cpu, gpu or auto");
        };
    }

    /** A fresh root-level manager on a device. */
    public static NDManager manager(Device device) {
        return NDManager.newBaseManager(device, "PyTorch");
    }

    /** Seeds PyTorch's generator (every random tensor the engine draws). */
    public static void seed(long seed) {
        engine().setRandomSeed((int) seed);
    }

    /** Sets intra-op threads at run time (inter-op threads can only be set before start-up). */
    public static void threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + n);
        }
        engine();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(n);
    }

    public static int threads() {
        engine();
        return ai.djl.pytorch.jni.JniUtils.getNumThreads();
    }

    /** One line naming engine, version, threads, device; printed with every run's results. */
    public static String describe(Device device) {
        return "PyTorch " + engine().getVersion() + " via DJL " + Engine.getDjlVersion() + ", " + threads()
                + " thread(s), " + device;
    }
}
