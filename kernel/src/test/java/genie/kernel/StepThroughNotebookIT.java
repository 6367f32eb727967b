package genie.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Executes {@code notebooks/03_step_through.ipynb} headless with the packaged kernel (nbconvert, smoke budget) and
 * checks with {@code tools/notebook_check_step_through.py} that every step shows the unit's pictures (PNG) and the
 * per-unit table (HTML). Needs jupyter-nbconvert and Fashion-MNIST; skipped without them
 * unless CI=true.
 */
class StepThroughNotebookIT {
    @TempDir
    Path tmp;

    @Test
    void stepThroughNotebookShowsUnitPicturesAndTables() throws Exception {
        Path kernelDir = Path.of(System.getProperty("genie.kernel.dir", ".")).toAbsolutePath();
        Path root = kernelDir.getParent();
        TutorialNotebooksIT.skipOrFail(TutorialNotebooksIT.missing(), "StepThroughNotebookIT");
        Map<String, String> env = TutorialNotebooksIT.installKernel(kernelDir, tmp);
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
