package genie.quant;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A unit's learnable values and the model's activation-quantization switches, taken when a {@link UnitTraining}
 * opens, so that a session that does not commit (cancelled or failed while caching the calibration pass or while
 * optimising) leaves nothing behind: the unit is back at round to nearest, exactly as it was.
 */
final class UnitSnapshot {
    private final Unit unit;
    private final List<float[]> weightScales = new ArrayList<>();
    private final List<float[]> softbits = new ArrayList<>();
    private final List<float[]> activationSteps = new ArrayList<>(); // null: not yet initialised
    private final List<Boolean> activationSigned = new ArrayList<>();
    private final Map<QuantLayer, Boolean> enabled = new IdentityHashMap<>();

    UnitSnapshot(Unit unit, QuantizedModel model) {
        this.unit = unit;
        for (WeightQuantizer w : unit.weightQuantizers()) {
            weightScales.add(w.scale().toFloatArray());
            softbits.add(w.softbitLogits().toFloatArray());
        }
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            activationSteps.add(a.isInitialized() ? new float[] {a.step()} : null);
            activationSigned.add(a.signed());
        }
        model.layers().values().forEach(l -> enabled.put(l, l.actQuantEnabled()));
    }

    /** Writes the snapshot back; the quantizers must be out of training (detached leaves take in-place writes). */
    void restore() {
        int i = 0;
        for (WeightQuantizer w : unit.weightQuantizers()) {
            w.scale().set(weightScales.get(i));
            w.softbitLogits().set(softbits.get(i++));
            w.invalidate();
        }
        i = 0;
        for (ActivationQuantizer a : unit.activationQuantizers()) {
            float[] step = activationSteps.get(i);
            if (step == null) {
                a.forget();
            } else {
                a.restore(step[0], activationSigned.get(i));
            }
            i++;
        }
        enabled.forEach(QuantLayer::enableActQuant);
    }
}
