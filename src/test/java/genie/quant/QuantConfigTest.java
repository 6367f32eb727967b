package genie.quant;

import genie.testing.OneFieldChanges;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder changes exactly the fields it is told to, and the record's constructor refuses bad values by name. */
class QuantConfigTest {
    /** One non-default value per field, keyed by the field's {@link QuantConfig#toMap()} name. */
    static Map<String, UnaryOperator<QuantConfig.Builder>> oneChangeEach() {
        Map<String, UnaryOperator<QuantConfig.Builder>> m = new LinkedHashMap<>();
        m.put("wbits", b -> b.wbits(2));
        m.put("abits", b -> b.abits(8));
        m.put("method", b -> b.method(Method.BRECQ));
        m.put("iterations", b -> b.iterations(5));
        m.put("batch", b -> b.batch(8));
        m.put("lr_weight_scale", b -> b.lrWeightScale(1e-3));
        m.put("lr_act_scale", b -> b.lrActScale(1e-3));
        m.put("lr_softbits", b -> b.lrSoftbits(1e-2));
        m.put("round_weight", b -> b.roundWeight(0.5));
        m.put("warmup", b -> b.warmup(0.1));
        m.put("beta_start", b -> b.betaStart(10));
        m.put("beta_end", b -> b.betaEnd(1));
        m.put("drop_prob", b -> b.dropProb(0.25f));
        m.put("paper_preset", b -> b.paperPreset(false));
        m.put("overrides", b -> b.overrides(Map.of("fc", "w8")));
        m.put("seed", b -> b.seed(9));
        m.put("recon_schedule", b -> b.reconSchedule(ReconSchedule.COSINE_ALL));
        return m;
    }

    @Test
    void changingOneFieldLeavesEveryOtherAtItsDefault() {
        OneFieldChanges.leaveEveryOtherFieldAtItsDefault(QuantConfig.DEFAULTS.toMap(), oneChangeEach(),
                QuantConfig::builder, b -> b.build().toMap());
    }

    @Test
    void aCopyKeepsEveryFieldAndTheNotebooksCopiesAreBuilderCalls() {
        QuantConfig c = QuantConfig.builder().wbits(3).method(Method.QDROP).roundWeight(0.1).paperPreset(false)
                .overrides(Map.of("layer1.*", "w2")).seed(4).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.toBuilder().wbits(2).abits(8).method(Method.RTN).iterations(7).batch(16).seed(1).build(),
                c.withBits(2, 8).withMethod(Method.RTN).withIterations(7).withBatch(16).withSeed(1));
        assertSame(QuantConfig.DEFAULTS, QuantConfig.defaults());
        assertEquals(QuantConfig.DEFAULTS, QuantConfig.builder().build());
    }

    @Test
    void theReferenceDefaults() {
        QuantConfig d = QuantConfig.DEFAULTS;
        assertEquals(List.of(4, 4, 20000, 32), List.of(d.wbits(), d.abits(), d.iterations(), d.batch()));
        assertEquals(List.of(1e-4, 4e-5, 1e-3, 1.0, 0.2, 20.0, 2.0), List.of(d.lrWeightScale(), d.lrActScale(),
                d.lrSoftbits(), d.roundWeight(), d.warmup(), d.betaStart(), d.betaEnd()));
        assertEquals(0.5f, d.dropProb());
        assertEquals(Method.GENIE, d.method());
        assertTrue(d.paperPreset() && d.overrides().isEmpty() && d.seed() == 0);
        assertEquals(ReconSchedule.PAPER, d.reconSchedule(), "beyond Genie is off by default");
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        Map<String, UnaryOperator<QuantConfig.Builder>> bad = new LinkedHashMap<>();
        bad.put("weight bit-width", b -> b.wbits(1));
        bad.put("activation bit-width", b -> b.abits(9));
        bad.put("method", b -> b.method(null));
        bad.put("iterations", b -> b.iterations(-1));
        bad.put("batch", b -> b.batch(0));
        bad.put("lrWeightScale", b -> b.lrWeightScale(0));
        bad.put("lrActScale", b -> b.lrActScale(-1));
        bad.put("lrSoftbits", b -> b.lrSoftbits(Double.POSITIVE_INFINITY));
        bad.put("roundWeight", b -> b.roundWeight(-1));
        bad.put("warmup", b -> b.warmup(1));
        bad.put("dropProb", b -> b.dropProb(1.5f));
        bad.put("overrides", b -> b.overrides(null));
        bad.put("reconSchedule", b -> b.reconSchedule(null));
        bad.forEach((field, change) -> {
            QuantConfig.Builder b = change.apply(QuantConfig.builder());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build, field);
            assertTrue(e.getMessage().contains(field), e.getMessage());
        });
    }
}
