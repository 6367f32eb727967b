package genie.nn;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * RegNet's design space (torchvision's {@code BlockParams.from_init_params}): per-block widths
 * {@code w_0 * w_m^round(log((w_0 + i w_a) / w_0) / log(w_m))} quantized to multiples of 8, grouped into stages of
 * equal width, then widths made divisible by the group width. Computed in float32 as torchvision computes it, so
 * the stage widths are torchvision's exactly.
 */
public record RegNetParams(int[] widths, int[] depths, int[] groupWidths, double bottleneckMultiplier) {
    private static final int QUANT = 8;

    public static RegNetParams fromInit(int depth, int w0, double wa, double wm, int groupWidth, double bottleneck) {
        if (wa < 0 || w0 <= 0 || wm <= 1 || w0 % 8 != 0) {
            throw new IllegalArgumentException("regnet: need w_a >= 0, w_0 > 0 and a multiple of 8, w_m > 1; got w_0 "
                    + w0 + ", w_a " + wa + ", w_m " + wm);
        }
        int[] block = new int[depth];
        float logWm = (float) Math.log(wm);
        for (int i = 0; i < depth; i++) {
            float cont = (float) i * (float) wa + (float) w0;
            float capacity = (float) Math.rint((float) Math.log(cont / (float) w0) / logWm);
            float w = (float) (w0 * (double) (float) Math.pow((float) wm, capacity));
            block[i] = (int) (Math.rint(w / QUANT) * QUANT);
        }
        List<Integer> widths = new ArrayList<>();
        List<Integer> depths = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            if (i == 0 || block[i] != block[i - 1]) {
                widths.add(block[i]);
                depths.add(0);
            }
            depths.set(depths.size() - 1, depths.get(depths.size() - 1) + 1);
        }
        int n = widths.size();
        int[] sw = new int[n];
        int[] gw = new int[n];
        for (int s = 0; s < n; s++) {
            int bot = (int) (widths.get(s) * bottleneck);
            gw[s] = Math.min(groupWidth, bot);
            int adjusted = MobileNetV2.makeDivisible(bot, gw[s]);
            sw[s] = (int) (adjusted / bottleneck);
        }
        return new RegNetParams(sw, depths.stream().mapToInt(Integer::intValue).toArray(), gw, bottleneck);
    }

    @Override
    public String toString() {
        return "widths " + java.util.Arrays.toString(widths) + ", depths " + java.util.Arrays.toString(depths)
                + ", group widths " + java.util.Arrays.toString(groupWidths);
    }
}
