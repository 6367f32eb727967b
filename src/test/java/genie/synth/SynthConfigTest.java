package genie.synth;

import genie.testing.OneFieldChanges;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The builder changes exactly the fields it is told to, and the record's constructor refuses bad values by name. */
class SynthConfigTest {
    /** One non-default value per field, keyed by the field's {@link SynthConfig#toMap()} name. */
    static Map<String, UnaryOperator<SynthConfig.Builder>> oneChangeEach() {
        Map<String, UnaryOperator<SynthConfig.Builder>> m = new LinkedHashMap<>();
        m.put("samples", b -> b.samples(7));
        m.put("batch", b -> b.batch(3));
        m.put("iterations", b -> b.iterations(9));
        m.put("latent", b -> b.latent(8));
        m.put("lr_z", b -> b.lrZ(0.5));
        m.put("lr_g", b -> b.lrG(0.2));
        m.put("g_decay", b -> b.gDecay(0.5));
        m.put("g_decay_every", b -> b.gDecayEvery(7));
        m.put("plateau_patience", b -> b.plateauPatience(3));
        m.put("min_lr_z", b -> b.minLrZ(0.01));
        m.put("swing", b -> b.swing(false));
        m.put("seed", b -> b.seed(42));
        m.put("source", b -> b.source(SynthConfig.Source.PIXELS));
        m.put("log_every", b -> b.logEvery(0));
        m.put("lowpass", b -> b.lowpass(0.5));
        m.put("synth_augment", b -> b.augment(true));
        m.put("bn_global", b -> b.bnGlobal(true));
        m.put("label_ce", b -> b.labelCe(0.1));
        return m;
    }

    @Test
    void changingOneFieldLeavesEveryOtherAtItsDefault() {
        OneFieldChanges.leaveEveryOtherFieldAtItsDefault(SynthConfig.DEFAULTS.toMap(), oneChangeEach(),
                SynthConfig::builder, b -> b.build().toMap());
    }

    @Test
    void aCopyKeepsEveryFieldAndTheNotebooksCopiesAreBuilderCalls() {
        SynthConfig c = SynthConfig.builder().samples(6).batch(4).latent(16).lrZ(0.3).seed(5).swing(false)
                .source(SynthConfig.Source.GENERATOR_ONLY).logEvery(2).build();
        assertEquals(c, c.toBuilder().build());
        assertEquals(c.toBuilder().iterations(11).build(), c.withIterations(11));
        assertEquals(c.toBuilder().samples(3).batch(2).seed(1).source(SynthConfig.Source.NOISE).build(),
                c.withSamples(3).withBatch(2).withSeed(1).withSource(SynthConfig.Source.NOISE));
        assertEquals(SynthConfig.DEFAULTS, SynthConfig.builder().build());
    }

    @Test
    void theReferenceDefaults() {
        SynthConfig d = SynthConfig.DEFAULTS;
        assertEquals(List.of(1024, 128, 4000, 256, 100, 100, 100), List.of(d.samples(), d.batch(), d.iterations(),
                d.latent(), d.gDecayEvery(), d.plateauPatience(), d.logEvery()));
        assertEquals(List.of(0.1, 0.01, 0.95, 1e-4), List.of(d.lrZ(), d.lrG(), d.gDecay(), d.minLrZ()));
        assertTrue(d.swing());
        assertEquals(SynthConfig.Source.GENIE, d.source());
        assertEquals(0L, d.seed());
        assertEquals(List.of(0.0, false, false, 0.0), List.of(d.lowpass(), d.augment(), d.bnGlobal(), d.labelCe()),
                "beyond Genie is off by default");
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        Map<String, UnaryOperator<SynthConfig.Builder>> bad = new LinkedHashMap<>();
        bad.put("samples", b -> b.samples(0));
        bad.put("batch", b -> b.batch(-1));
        bad.put("iterations", b -> b.iterations(-1));
        bad.put("latent", b -> b.latent(0));
        bad.put("lrZ", b -> b.lrZ(0));
        bad.put("lrG", b -> b.lrG(Double.NaN));
        bad.put("gDecay", b -> b.gDecay(1.5));
        bad.put("gDecayEvery", b -> b.gDecayEvery(0));
        bad.put("plateauPatience", b -> b.plateauPatience(-1));
        bad.put("minLrZ", b -> b.minLrZ(-1));
        bad.put("source", b -> b.source(null));
        bad.put("logEvery", b -> b.logEvery(-1));
        bad.put("lowpass", b -> b.lowpass(-0.5));
        bad.put("labelCe", b -> b.labelCe(Double.NaN));
        bad.forEach((field, change) -> {
            SynthConfig.Builder b = change.apply(SynthConfig.builder());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build, field);
            assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
        });
    }
}
