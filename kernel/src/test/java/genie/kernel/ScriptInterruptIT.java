package genie.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C on {@code genie script}: the running cell stops at a cancellation check, the run exits 130. */
class ScriptInterruptIT {

    @Test
    void theRunningCellStopsCooperativelyAndNoLaterCellRuns(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("loop.jsh");
        Files.writeString(script, """
                System.out.println("started");

                long steps = 0;
                try { System.out.println("looping"); while (true) { cancellation().check(); steps++; Thread.sleep(5); } }
                finally { System.out.println("left the loop after " + (steps > 0 ? "some" : "no") + " steps"); }

                System.out.println("later cell");
                """);
        Process p = start(dir, script);
        try {
            await(p, dir, "looping");
            interrupt(p);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "no exit within 60 s\n" + output(dir));
            String out = Files.readString(dir.resolve("out.txt"));
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(genie.cli.Interrupts.EXIT_CODE, p.exitValue(), output(dir));
            assertTrue(out.contains("left the loop after some steps"), out);
            assertFalse(out.contains("later cell"), out);
            assertTrue(err.contains("genie script: interrupted in the cell at line 3 of " + script
                    + "; 1 of 3 cells ran to the end"), err);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondInterruptEndsACellThatNeverChecks(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("sleep.jsh");
        Files.writeString(script, """
                System.out.println("started");

                Thread.sleep(600_000);
                """);
        Process p = start(dir, script);
        try {
            await(p, dir, "started");
            interrupt(p);
            awaitErr(p, dir, "Ctrl-C again to stop now");
            interrupt(p);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "no exit within 30 s\n" + output(dir));
            assertEquals(genie.cli.Interrupts.EXIT_CODE, p.exitValue(), output(dir));
            assertTrue(Files.readString(dir.resolve("err.txt")).contains("interrupt: stopping now"), output(dir));
        } finally {
            p.destroyForcibly();
        }
    }

    /** {@code genie script FILE} as the launcher runs it, with SIGINT at its default even under a parent that ignores it. */
    static Process start(Path dir, Path script) throws Exception {
        Path kernel = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath();
        Path lib = kernel.resolve("target/lib");
        assertTrue(Files.isDirectory(lib), "kernel/target/lib missing: run after `package`");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-DOPT_OUT_TRACKING=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Xss8m", "-cp", kernel.resolve("target/classes") + File.pathSeparator + lib + File.separator + "*",
                "genie.kernel.Cli", "script", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return pb.start();
    }

    static void await(Process p, Path dir, String stdout) throws Exception {
        awaitIn(p, dir, dir.resolve("out.txt"), stdout);
    }

    static void awaitErr(Process p, Path dir, String stderr) throws Exception {
        awaitIn(p, dir, dir.resolve("err.txt"), stderr);
    }

    private static void awaitIn(Process p, Path dir, Path file, String needle) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.readString(file, StandardCharsets.UTF_8).contains(needle)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                fail("no '" + needle + "' in " + file.getFileName() + "\n" + output(dir));
            }
            Thread.sleep(20);
        }
    }

    static void interrupt(Process p) throws Exception {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -INT failed");
    }

    static String output(Path dir) throws Exception {
        return "--- stdout\n" + Files.readString(dir.resolve("out.txt")) + "\n--- stderr\n"
                + Files.readString(dir.resolve("err.txt"));
    }
}
