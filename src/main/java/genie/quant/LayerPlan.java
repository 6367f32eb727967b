package genie.quant;

/**
 * One row of the placement table: what a quantized layer does.
 *
 * @param name        dotted layer name
 * @param type        Conv2d, Linear or Identity (residual path)
 * @param weightBits  weight bits, or 0 for Identity
 * @param inputBits   input-activation bits, or 0 when the input stays float
 * @param owner       layer owning the (possibly shared) input quantizer, or "" when unquantized
 * @param unit        reconstruction unit the layer belongs to
 */
public record LayerPlan(String name, String type, int weightBits, int inputBits, String owner, String unit) {
    public boolean sharesInput() {
        return !owner.isEmpty() && !owner.equals(name);
    }
}
