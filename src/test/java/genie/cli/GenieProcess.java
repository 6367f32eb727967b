package genie.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real {@code genie} command line as a child JVM (target/classes + target/lib, as the launcher runs it): its
 * output goes to files that a test can watch while it runs, and the test can send it SIGINT as a terminal would.
 */
final class GenieProcess implements AutoCloseable {
    /** The launcher's flags: DJL never phones home, one thread, quiet logging. */
    static final List<String> JVM_FLAGS = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xss8m",
            "-Dslf4j.internal.verbosity=WARN", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    private static final long SIGINT_MASK = 1L << (2 - 1);

    private final Process process;
    private final Path out;
    private final Path err;

    private GenieProcess(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code genie ARGS...}; its stdout and stderr are kept in {@code dir}. */
    static GenieProcess start(Path dir, String... args) throws IOException {
        Path engine = Path.of(System.getProperty("genie.engine.dir", ".")).toAbsolutePath();
        Path lib = engine.resolve("target/lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: run the ITs after `package` (mvn verify)");
        List<String> cmd = new ArrayList<>();
        // A parent that ignores SIGINT (a background job of a non-interactive shell, nohup) passes that on, and the
        // JVM then never installs a handler; a terminal's Ctrl-C reaches a foreground job with the default.
        if (envResetsSignals()) {
            cmd.addAll(List.of("/usr/bin/env", "--default-signal=INT"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(List.of("-cp", engine.resolve("target/classes") + File.pathSeparator + lib + File.separator + "*",
                "genie.cli.Main"));
        cmd.addAll(List.of(args));
        Path o = dir.resolve("stdout.txt");
        Path e = dir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(o.toFile())
                .redirectError(e.toFile());
        pb.environment().putAll(java.util.Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true",
                "OMP_WAIT_POLICY", "PASSIVE"));
        return new GenieProcess(pb.start(), o, e);
    }

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("/usr/bin/env", "--default-signal=INT", "true").redirectErrorStream(true)
                    .start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Stderr so far, with progress-bar redraws ({@code \r}) as line breaks. */
    String stderr() throws IOException {
        return Files.readString(err, StandardCharsets.UTF_8).replace('\r', '\n');
    }

    String stdout() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Waits until stderr contains {@code needle}; fails if the process ends first or time runs out. */
    void awaitStderr(String needle, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!stderr().contains(needle)) {
            if (!process.isAlive()) {
                fail("genie ended (exit " + process.exitValue() + ") before printing '" + needle + "'\n" + output());
            }
            if (System.nanoTime() > deadline) {
                fail("no '" + needle + "' on stderr within " + timeout.toSeconds() + " s\n" + output());
            }
            Thread.sleep(20);
        }
    }

    /** Sends SIGINT, as Ctrl-C in a terminal does. */
    void interrupt() throws Exception {
        long ignored = signalsIgnored();
        assertEquals(0, ignored & SIGINT_MASK, "the genie JVM ignores SIGINT (inherited from this test's parent and "
                + "no /usr/bin/env --default-signal to reset it), so Ctrl-C cannot be tested here");
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).redirectErrorStream(true)
                .start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0,
                "kill -INT failed: " + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private long signalsIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("SigIgn:")) {
                return Long.parseUnsignedLong(line.substring(7).strip(), 16);
            }
        }
        return 0;
    }

    /** The exit status; fails (and kills it) if it does not end within {@code timeout}. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            fail("genie did not end within " + timeout.toSeconds() + " s of the interrupt\n" + output());
        }
        return process.exitValue();
    }

    /** Both streams, for failure messages. */
    String output() throws IOException {
        return "--- stdout\n" + stdout() + "\n--- stderr\n" + stderr();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
