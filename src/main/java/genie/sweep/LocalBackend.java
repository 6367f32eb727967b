package genie.sweep;

import genie.util.Cancellation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * N worker processes on this machine: each cell is the manifest's task script in its own JVM, with its own PyTorch
 * thread count, and its own GPU ({@code CUDA_VISIBLE_DEVICES}) when there are several. Only a pool: which cells
 * run, and what is done, is read from the cell folders.
 */
final class LocalBackend {
    private static final long POLL_MS = 200;
    private final int workers;
    private final int threads;
    private final PrintStream log;

    LocalBackend(int workers, int threads, PrintStream log) {
        this.workers = workers > 0 ? workers : 1;
        int cores = Runtime.getRuntime().availableProcessors();
        this.threads = threads > 0 ? threads : Math.max(1, cores / this.workers);
        this.log = log;
    }

    private record Running(int task, int slot, Process process, long started) {}

    /** Runs every task of {@code m}; true if a cancellation stopped it (finished cells are kept). */
    boolean run(Manifest m, Cancellation cancellation) throws IOException, InterruptedException {
        List<String> gpus = Gpus.visible();
        Deque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < m.cells.size(); i++) queue.add(i);
        List<Running> running = new ArrayList<>();
        boolean[] busy = new boolean[workers];
        int finished = 0;
        log.printf(Locale.ROOT, "local: %d worker(s), %d thread(s) each%s%n", workers, threads,
                gpus.isEmpty() ? "" : ", GPUs " + gpus);
        while (!queue.isEmpty() || !running.isEmpty()) {
            if (cancellation.requested()) {
                stop(running);
                return true;
            }
            while (!queue.isEmpty() && running.size() < workers) {
                int slot = 0;
                while (busy[slot]) slot++;
                busy[slot] = true;
                int task = queue.poll();
                running.add(new Running(task, slot, start(m, task, slot, gpus), System.nanoTime()));
            }
            Thread.sleep(POLL_MS);
            for (Running r : List.copyOf(running)) {
                if (!r.process.isAlive()) {
                    running.remove(r);
                    busy[r.slot] = false;
                    finished++;
                    Cell c = m.cells.get(r.task);
                    CellStatus s = CellFolder.status(c, m.cellDirs.get(r.task), Map.of());
                    log.println(line(finished, m.cells.size(), s, (System.nanoTime() - r.started) / 1e9));
                }
            }
        }
        return false;
    }

    private Process start(Manifest m, int task, int slot, List<String> gpus) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", m.script().toString(), Integer.toString(task))
                .redirectErrorStream(true).redirectOutput(m.dir.resolve("logs").resolve("local-" + task + ".out").toFile());
        pb.environment().put("GENIE_THREADS", Integer.toString(threads));
        pb.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true"));
        if (!gpus.isEmpty()) {
            pb.environment().put("CUDA_VISIBLE_DEVICES", gpus.get(slot % gpus.size()));
        }
        return pb.start();
    }

    /** "[3/8] done    default genie-d rtn W4A4 seed 0: top-1 88.70 % (23.1 s)", or the failure and its log. */
    static String line(int k, int n, CellStatus s, double seconds) {
        String head = String.format(Locale.ROOT, "[%d/%d] %-7s %s", k, n, s.state(), s.cell().label());
        return switch (s.state()) {
            case DONE -> String.format(Locale.ROOT, "%s: top-1 %.2f %% (%.1f s)", head, s.top1(), seconds);
            case FAILED -> head + ": " + s.detail().replace("\n", "\n    ");
            default -> head + " (interrupted; pending again)";
        };
    }

    /**
     * Ctrl-C in a terminal reaches the workers too; they keep nothing of an unfinished cell, so each gets a moment to
     * end, then SIGINT (when only this JVM was told), then is killed.
     */
    private void stop(List<Running> running) throws InterruptedException {
        log.println("sweep: interrupted; stopping " + running.size() + " worker(s), finished cells are kept");
        waitFor(running, 3000);
        for (Running r : running) {
            r.process.descendants().forEach(LocalBackend::sigint);
        }
        waitFor(running, 60000);
        for (Running r : running) {
            r.process.descendants().forEach(ProcessHandle::destroyForcibly);
            r.process.destroyForcibly();
        }
    }

    private static void waitFor(List<Running> running, long ms) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (running.stream().anyMatch(r -> r.process.isAlive()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(POLL_MS);
        }
    }

    private static void sigint(ProcessHandle p) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
        } catch (IOException e) {
            p.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The GPUs a worker may be given: CUDA_VISIBLE_DEVICES's list, else those nvidia-smi sees, else none. */
    static final class Gpus {
        private Gpus() {}

        static List<String> visible() {
            String env = System.getenv("CUDA_VISIBLE_DEVICES");
            if (env != null && !env.isBlank()) {
                return List.of(env.trim().split("\\s*,\\s*"));
            }
            if (!Files.isExecutable(Path.of("/usr/bin/nvidia-smi"))) return List.of();
            try {
                Process p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
                List<String> lines = new String(p.getInputStream().readAllBytes()).lines()
                        .filter(l -> l.startsWith("GPU ")).toList();
                p.waitFor();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) ids.add(Integer.toString(i));
                return ids;
            } catch (IOException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
    }
}
