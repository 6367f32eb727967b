package genie.synth;

import ai.djl.ndarray.NDArray;
import genie.nn.Module;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The teacher's mode flags and gradient switches, saved so a run leaves the teacher as it found it. */
final class TeacherState {
    private final Map<String, Boolean> training = new LinkedHashMap<>();
    private final List<NDArray> gradParams = new ArrayList<>();

    static TeacherState prepare(Module teacher) {
        TeacherState s = new TeacherState();
        teacher.namedModules().forEach((k, m) -> s.training.put(k, m.isTraining()));
        for (NDArray p : teacher.namedParameters().values()) {
            if (p.hasGradient()) {
                s.gradParams.add(p);
                p.setRequiresGradient(false);
            }
        }
        teacher.eval();
        return s;
    }

    void restore(Module teacher) {
        Map<String, Module> mods = teacher.namedModules();
        // Pre-order: each module's own call comes after its ancestors', so it sets its own flag last.
        training.forEach((k, on) -> {
            Module m = mods.get(k);
            if (m != null) {
                m.train(on);
            }
        });
        for (NDArray p : gradParams) {
            p.setRequiresGradient(true);
        }
    }
}
