package genie.golden;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.ActivationQuantizer;
import genie.quant.QuantConfig;
import genie.quant.QuantLayer;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.quant.ReconstructionDraws;
import genie.quant.ReconstructionListener;
import genie.quant.Unit;
import genie.quant.WeightQuantizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our {@link Reconstruction} against the official {@code reconstruct()} on the fixture's teacher and 32 calibration
 * images: the stem convolution, then the first residual block (conv1 and the identity sharing an 8-bit input
 * quantizer, conv2 with a 4-bit one), each for the fixture's iterations with the official minibatch permutations and
 * QDrop coins. Compared after every step: reconstruction and rounding losses, weight step sizes, softbit logits and
 * activation step sizes; before the first step, the step sizes and softbits from the search.
 *
 * <p>Where the two differ by design, the fixture is a case where they agree: the reference's minibatch is
 * N / {@code batch_size} ({@code randperm(N).view(batch_size, -1)}), so it was run with {@code batch_size} 8 on 32
 * images, a minibatch of 4, and ours with a true minibatch of 4; both take consecutive slices of each epoch's
 * permutation. The activation step sizes are initialised on the same calibration slice on both sides (all 32 images
 * are one slice), so they are compared only after the first step, where they are also exposed on our side.
 */
class ReconstructionGoldenTest {
    @Test
    void stemAndBlockMatchTheOfficialReconstruct() {
        JsonObject f = Golden.load("reconstruction.json");
        JsonObject cfg = f.getAsJsonObject("config");
        QuantConfig config = QuantConfig.defaults().withBits(cfg.get("wbits").getAsInt(), cfg.get("abits").getAsInt())
                .withIterations(cfg.get("iterations").getAsInt()).withBatch(cfg.get("minibatch").getAsInt());
        // The replay relies on our defaults being the reference's, as the fixture recorded them.
        assertEquals(cfg.get("warmup").getAsDouble(), config.warmup());
        assertEquals(cfg.get("round_weight").getAsDouble(), config.roundWeight());
        assertEquals(cfg.get("lr_w_scale").getAsDouble(), config.lrWeightScale());
        assertEquals(cfg.get("lr_a_scale").getAsDouble(), config.lrActScale());
        assertEquals(cfg.get("lr_bit").getAsDouble(), config.lrSoftbits());
        assertEquals(cfg.getAsJsonArray("beta").get(0).getAsDouble(), config.betaStart());
        assertEquals(cfg.getAsJsonArray("beta").get(1).getAsDouble(), config.betaEnd());

        List<JsonObject> units = new ArrayList<>();
        f.getAsJsonArray("units").forEach(u -> units.add(u.getAsJsonObject()));
        Map<Integer, Deque<int[]>> perms = new HashMap<>();
        Map<Integer, Deque<JsonObject>> coins = new HashMap<>();
        for (int i = 0; i < units.size(); i++) {
            JsonObject d = units.get(i).getAsJsonObject("draws");
            Deque<int[]> p = new ArrayDeque<>();
            d.getAsJsonArray("permutations").forEach(e -> p.add(Golden.ints(e)));
            perms.put(i, p);
            Deque<JsonObject> c = new ArrayDeque<>();
            d.getAsJsonArray("qdrop").forEach(e -> c.add(e.getAsJsonObject()));
            coins.put(i, c);
        }
        ReconstructionDraws replay = new ReconstructionDraws() {
            @Override
            public int[] permutation(Unit unit, int n) {
                int[] p = perms.get(unit.index()).poll();
                assertNotNull(p, unit.name() + ": more epochs than the official run drew permutations for");
                assertEquals(n, p.length, unit.name() + ": permutation length");
                return p;
            }

            @Override
            public boolean[] qdropCoins(Unit unit, int n) {
                JsonObject c = coins.get(unit.index()).poll();
                assertNotNull(c, unit.name() + ": more QDrop mixes than the official run made");
                long size = 1;
                for (JsonElement s : c.getAsJsonArray("shape")) {
                    size *= s.getAsLong();
                }
                assertEquals(size, n, unit.name() + ": QDrop mix of " + c.getAsJsonArray("shape")
                        + " in the official run's order, ours has " + n + " elements");
                return Golden.bits(c.get("bits").getAsString(), n);
            }
        };
        List<float[]> losses = new ArrayList<>();
        List<Map<String, Object>> states = new ArrayList<>();
        ReconstructionListener record = new ReconstructionListener() {
            @Override
            public void onIteration(Unit unit, int iteration, int total, float recLoss, float roundLoss) {
                losses.add(new float[] {recLoss, roundLoss});
                states.add(state(unit));
            }
        };

        Golden.Report report = new Golden.Report();
        int[] chw;
        float[] images = Golden.floats(f.get("calibration"));
        long[] shape = Golden.shape(f.get("calibration"));
        ImageSet calibration = new ImageSet(images, null, (int) shape[0], (int) shape[1], (int) shape[2],
                (int) shape[3], "golden calibration images");
        try (Model teacher = Golden.teacher(f.getAsJsonObject("teacher"));
                QuantizedModel q = QuantizedModel.prepare(teacher, config)) {
            Reconstruction recon = new Reconstruction(teacher, q, calibration).withDraws(replay).addListener(record);
            for (int i = 0; i < units.size(); i++) {
                JsonObject u = units.get(i);
                String name = u.get("name").getAsString();
                Unit unit = q.units().get(i);
                assertEquals(name, unit.name(), "unit order");
                compare(report, name + " before the first step", u.getAsJsonObject("initial"), state(unit), false);
                losses.clear();
                states.clear();
                recon.step();
                assertTrue(perms.get(i).isEmpty(), name + ": official permutations left unused");
                assertTrue(coins.get(i).isEmpty(), name + ": " + coins.get(i).size() + " official QDrop mixes unused");
                List<JsonObject> steps = new ArrayList<>();
                u.getAsJsonArray("steps").forEach(s -> steps.add(s.getAsJsonObject()));
                assertEquals(steps.size(), losses.size(), name + ": iterations");
                for (int s = 0; s < steps.size(); s++) {
                    JsonObject st = steps.get(s);
                    String at = name + " step " + st.get("iter").getAsInt();
                    report.scalar(at + " reconstruction loss", st.get("rec").getAsDouble(), losses.get(s)[0]);
                    double round = st.get("round").getAsDouble();
                    if (round == 0) { // before the warm-up ends: no rounding loss on either side
                        assertEquals(0f, losses.get(s)[1], at + " rounding loss before warm-up");
                    } else {
                        report.scalar(at + " rounding loss", round, losses.get(s)[1]);
                    }
                    compare(report, at, st.getAsJsonObject("layers"), states.get(s), true);
                }
            }
        }
        assertTrue(report.compared() > 3000, "compared " + report.compared() + " values");
        report.check("reconstruction.json");
    }

    /** Our quantizer state by layer name, the fixture's layout: w_scale, softbits, a_step, a_signed, a_bits. */
    private static Map<String, Object> state(Unit unit) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (QuantLayer l : unit.layers()) {
            Map<String, Object> s = new LinkedHashMap<>();
            WeightQuantizer w = l.weightQuantizer();
            if (w != null) {
                s.put("w_scale", w.scale().toFloatArray());
                s.put("softbits", w.softbitLogits().toFloatArray());
            }
            ActivationQuantizer a = l.inputQuantizer();
            if (a != null && a.isInitialized()) {
                s.put("a_step", a.step());
                s.put("a_signed", a.signed());
                s.put("a_bits", a.bits());
            }
            out.put(l.layerName(), s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void compare(Golden.Report report, String at, JsonObject official, Map<String, Object> ours,
            boolean withActivations) {
        assertEquals(official.keySet(), ours.keySet(), at + ": quantized layers");
        for (Map.Entry<String, JsonElement> e : official.entrySet()) {
            JsonObject o = e.getValue().getAsJsonObject();
            Map<String, Object> u = (Map<String, Object>) ours.get(e.getKey());
            String where = at + " " + e.getKey();
            if (o.has("w_scale")) {
                report.array(where + " weight step sizes", Golden.floats(o.get("w_scale")), (float[]) u.get("w_scale"));
                report.array(where + " softbit logits", Golden.floats(o.get("softbits")), (float[]) u.get("softbits"));
            }
            if (withActivations && o.has("a_step")) {
                assertTrue(u.containsKey("a_step"), where + ": our input quantizer is not initialised");
                assertEquals(o.get("a_bits").getAsInt(), u.get("a_bits"), where + " activation bits");
                assertEquals(o.get("a_signed").getAsBoolean(), u.get("a_signed"), where + " activation signedness");
                report.scalar(where + " activation step size", o.get("a_step").getAsDouble(), (float) u.get("a_step"));
            }
        }
    }
}
