package genie.sweep;

import genie.nn.ModelSpec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A teacher of a sweep: a built-in model name or a spec JSON, with optional weights. Its {@link #digest()} covers the
 * spec and the weights' bytes, so retraining a teacher in place gives its cells a new identity and they are redone.
 *
 * @param label   the name cells and folders show
 * @param model   a built-in name or an absolute spec JSON path
 * @param weights absolute weights path, or null for the spec's own (or bundled) weights
 */
public record Teacher(String label, String model, Path weights) {

    /** Arguments of {@code genie run} that load this teacher. */
    public List<String> args() {
        List<String> a = new ArrayList<>(List.of("--model", model));
        if (weights != null) {
            a.addAll(List.of("--weights", weights.toString()));
        }
        return a;
    }

    /**
     * SHA-256 over the spec and the weights. A file that cannot be read yet (it may exist only on the cluster's
     * nodes, or be missing: that cell then fails with the real error) enters by its path.
     */
    public String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            Path specWeights = null;
            if (ModelSpec.BUILTIN.contains(model)) {
                update(md, resource(model + ".json"), "builtin:" + model);
                if (weights == null) {
                    update(md, resource(model + ".safetensors"), "builtin weights:" + model);
                }
            } else {
                Path spec = Path.of(model);
                update(md, spec);
                if (weights == null && Files.isRegularFile(spec)) {
                    try {
                        specWeights = ModelSpec.read(spec).weights();
                    } catch (IOException | RuntimeException e) {
                        md.update(("unreadable spec: " + e.getMessage()).getBytes());
                    }
                }
            }
            Path w = weights != null ? weights : specWeights;
            if (w != null) {
                update(md, w);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream resource(String name) {
        return ModelSpec.class.getResourceAsStream("/genie/models/" + name);
    }

    private static void update(MessageDigest md, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            update(md, in, file.toString());
        } catch (IOException e) {
            md.update(("missing:" + file).getBytes());
        }
    }

    private static void update(MessageDigest md, InputStream in, String what) {
        if (in == null) {
            md.update(("absent:" + what).getBytes());
            return;
        }
        try (in) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            md.update(("unreadable:" + what).getBytes());
        }
    }
}
