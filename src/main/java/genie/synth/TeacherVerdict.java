package genie.synth;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import genie.eval.Evaluator;
import genie.nn.Module;
import genie.util.Tensors;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the teacher makes of a finished batch: its top-1 class histogram and mean confidence. */
record TeacherVerdict(int[] histogram, double meanConfidence) {

    /** The teacher's top-1 classes and confidence on final images: a clean forward (no swing, no gradients). */
    static TeacherVerdict of(Module teacher, Collection<SwingConv2d> swings, BnStatisticsLoss loss,
            NDManager run, float[] pixels, int size, int[] chw) {
        boolean grad = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        Map<String, Module> replaced = new LinkedHashMap<>();
        try (NDManager m = run.newSubManager()) {
            // Evaluate with the plain strided convolutions: the set is judged as it will be used.
            for (Map.Entry<String, Module> e : teacher.namedModules().entrySet()) {
                if (e.getValue() instanceof SwingConv2d s && swings.contains(s)) {
                    replaced.put(e.getKey(), s);
                }
            }
            replaced.forEach((k, s) -> teacher.replace(k, ((SwingConv2d) s).conv()));
            NDArray x = Tensors.owned(m, pixels, new Shape(size, chw[0], chw[1], chw[2]));
            NDArray logits = teacher.forward(x);
            if (logits.getShape().dimension() != 2) {
                logits = logits.reshape(size, -1);
            }
            int k = (int) logits.getShape().get(1);
            float[] probs = logits.softmax(1).toFloatArray();
            int[] pred = Evaluator.predict(probs, k);
            int[] hist = new int[k];
            double conf = 0;
            for (int i = 0; i < size; i++) {
                hist[pred[i]]++;
                conf += probs[i * k + pred[i]];
            }
            return new TeacherVerdict(hist, conf / size);
        } finally {
            replaced.forEach(teacher::replace);
            loss.clearCaptured();
            JniUtils.setGradMode(grad);
        }
    }
}
