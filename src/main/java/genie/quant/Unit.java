package genie.quant;

import genie.nn.Module;

import java.util.List;

/**
 * A reconstruction unit: a residual block, or a standalone Conv2d/Linear (layer-wise methods make every
 * weighted layer its own unit).
 *
 * @param index   position in model order
 * @param name    dotted module name (the same in teacher and student)
 * @param module  the student's module
 * @param layers  the quantized layers inside it
 */
public record Unit(int index, String name, Module module, List<QuantLayer> layers) {
    public List<WeightQuantizer> weightQuantizers() {
        return layers.stream().map(QuantLayer::weightQuantizer).filter(java.util.Objects::nonNull).toList();
    }

    /** Distinct activation quantizers used inside this unit (a shared one counted once). */
    public List<ActivationQuantizer> activationQuantizers() {
        java.util.Set<ActivationQuantizer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        java.util.List<ActivationQuantizer> out = new java.util.ArrayList<>();
        for (QuantLayer l : layers) {
            if (l.inputQuantizer() != null && seen.add(l.inputQuantizer())) {
                out.add(l.inputQuantizer());
            }
        }
        return out;
    }
}
