package genie.kernel;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;

/** The kernel process: reads the connection file, connects, starts the kernel, and exits when Jupyter disconnects. */
final class KernelProcess {
    private KernelProcess() {}

    static void run(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java ... genie.kernel.GenieKernel <connection_file>");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        KernelLogging.quiet(System.getProperties());
        boolean trace = System.getenv("GENIE_KERNEL_TRACE") != null;
        long t0 = System.nanoTime();
        String json = Files.readString(Path.of(args[0]));
        KernelConnectionProperties props = KernelConnectionProperties.parse(json);
        // System.err is still the process's stderr here; cells later swap it for the notebook's stream.
        JupyterConnection connection = new GuardedConnection(props, System.err);
        GenieKernel kernel = GenieKernel.create();
        if (trace) System.err.printf("genie-kernel: kernel built %d ms after main%n", (System.nanoTime() - t0) / 1_000_000);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        if (trace) System.err.printf("genie-kernel: connected %d ms after main%n", (System.nanoTime() - t0) / 1_000_000);
        kernel.onStartup();
        if (trace) System.err.printf("genie-kernel: started %d ms after main (JVM up %d ms)%n",
                (System.nanoTime() - t0) / 1_000_000, java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        installSigint(kernel);
        connection.waitUntilClose();
        kernel.stopFlushing();
        System.exit(0);
    }

    private static void installSigint(GenieKernel kernel) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> kernel.interrupt());
        } catch (Throwable ignored) {
            // no signal support: message-mode interrupts still work
        }
    }
}
