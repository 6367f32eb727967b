package genie.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Executes {@code notebooks/03_step_through.ipynb} headless with the packaged kernel (nbconvert, smoke budget) and
 * checks with {@code tools/notebook_check_step_through.py} that every step shows the unit's pictures (PNG) and the
 * per-unit table (HTML). Needs jupyter-nbconvert and the shared teacher beside the checkout; skipped without them
 * unless CI=true.
 */
class StepThroughNotebookIT {
    @TempDir
    Path tmp;

    @Test
    void stepThroughNotebookShowsUnitPicturesAndTables() throws Exception {
        Path kernelDir = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath();
        Path root = kernelDir.getParent();
        Path notebook = root.resolve("notebooks/03_step_through.ipynb");
        String sharedEnv = System.getenv("GENIE_SHARED");
        Path shared = sharedEnv != null ? Path.of(sharedEnv) : root.resolve("../shared").normalize();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        String why = null;
        if (!Files.isExecutable(Path.of(GenieKernelIT.JUPYTER + "-nbconvert"))) {
            why = GenieKernelIT.JUPYTER + "-nbconvert is missing (apt-get install jupyter-nbconvert python3-nbclient)";
        } else if (!Files.exists(shared.resolve("models/fmnist_resnet20.json"))) {
            why = "no shared teacher at " + shared.resolve("models/fmnist_resnet20.json");
        }
        if (why != null) {
            if (ci) {
                throw new AssertionError("CI=true: " + why);
            }
            System.out.println("[StepThroughNotebookIT] SKIPPED: " + why);
            Assumptions.abort(why);
        }
        Path prefix = tmp.resolve("prefix");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var install = GenieKernelIT.run(List.of(java, "-cp", kernelDir.resolve("target/classes") + File.pathSeparator
                + kernelDir.resolve("target/lib") + File.separator + "*", "genie.kernel.Cli", "kernel", "install",
                "--prefix", prefix.toString()), kernelDir, Map.of(), 120);
        assertEquals(0, install.rc(), install.output());
        Map<String, String> env = Map.of("JUPYTER_PATH", prefix.resolve("share/jupyter").toString(),
                "JUPYTER_RUNTIME_DIR", tmp.resolve("runtime").toString(), "JUPYTER_PLATFORM_DIRS", "1",
                "PYTHONDONTWRITEBYTECODE", "1", "GENIE_SHARED", shared.toAbsolutePath().toString(),
                "GENIE_BUDGET", "smoke");
        Path out = tmp.resolve("nb");
        var r = GenieKernelIT.run(List.of(GenieKernelIT.JUPYTER, "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=900", "--output-dir", out.toString(), notebook.toString()),
                root.resolve("notebooks"), env, 1200);
        System.out.println(r.output());
        assertEquals(0, r.rc(), "nbconvert failed:\n" + r.output());
        var check = GenieKernelIT.run(List.of(GenieKernelIT.PYTHON,
                root.resolve("tools/notebook_check_step_through.py").toString(),
                out.resolve("03_step_through.ipynb").toString()), root, env, 60);
        System.out.println(check.output());
        assertEquals(0, check.rc(), check.output());
    }
}
