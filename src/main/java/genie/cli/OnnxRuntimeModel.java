package genie.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import genie.data.ImageSet;
import genie.export.OnnxExport;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An exported ONNX file run in ONNX Runtime (CPU, all graph optimisations, a fixed thread count): what a deployment
 * would compute. Used to check exports and to measure their speed; the engine itself never runs ONNX.
 */
public final class OnnxRuntimeModel implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    public OnnxRuntimeModel(Path file, int threads) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(file.toString(), o);
        }
    }

    /** Logits [n * classes] of images [from, to) (pixels already in model input space). */
    public float[] logits(ImageSet data, int from, int to) throws OrtException {
        int per = data.channels() * data.height() * data.width();
        float[] px = Arrays.copyOfRange(data.pixels(), from * per, to * per);
        long[] shape = {to - from, data.channels(), data.height(), data.width()};
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(px), shape);
                OrtSession.Result r = session.run(Map.of(OnnxExport.INPUT, in))) {
            OnnxTensor out = (OnnxTensor) r.get(OnnxExport.OUTPUT).orElseThrow();
            FloatBuffer b = out.getFloatBuffer();
            float[] z = new float[b.remaining()];
            b.get(z);
            return z;
        }
    }

    /** Predicted class (argmax) of every image, in batches. */
    public int[] predict(ImageSet data, int batch) throws OrtException {
        int[] out = new int[data.size()];
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            float[] z = logits(data, from, to);
            int[] p = genie.eval.Evaluator.predict(z, z.length / (to - from));
            System.arraycopy(p, 0, out, from, p.length);
        }
        return out;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
