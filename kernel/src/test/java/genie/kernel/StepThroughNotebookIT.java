package genie.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
        String sharedEnv = System.getenv("GENIE_SHARED");
        Path shared = sharedEnv != null ? Path.of(sharedEnv) : root.resolve("../shared").normalize();
        String why = null;
        if (!Files.isExecutable(Path.of(GenieKernelIT.JUPYTER + "-nbconvert"))) {
            why = GenieKernelIT.JUPYTER + "-nbconvert is missing (apt-get install jupyter-nbconvert python3-nbclient)";
        } else if (!Files.exists(shared.resolve("models/fmnist_resnet20.json"))) {
            why = "no shared teacher at " + shared.resolve("models/fmnist_resnet20.json");
        }
        TutorialNotebooksIT.skipOrFail(why, "StepThroughNotebookIT");
        Map<String, String> env = TutorialNotebooksIT.installKernel(kernelDir, tmp, shared);
        env.put("GENIE_BUDGET", "smoke");
        Path out = tmp.resolve("nb");
        TutorialNotebooksIT.execute(root, "03_step_through", env, out);
        var check = GenieKernelIT.run(List.of(GenieKernelIT.PYTHON,
                root.resolve("tools/notebook_check_step_through.py").toString(),
                out.resolve("03_step_through.ipynb").toString()), root, env, 60);
        System.out.println(check.output());
        assertEquals(0, check.rc(), check.output());
    }
}
