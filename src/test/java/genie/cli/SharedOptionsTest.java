package genie.cli;

import genie.quant.QuantConfig;
import genie.synth.SynthConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each flag is declared once, in a mixin every command with that flag shares, with the reference defaults. */
class SharedOptionsTest {
    /** Flags that mean different things in different commands (one declaration per meaning). */
    static final Map<String, Set<String>> SAME_NAME_OTHER_MEANING = Map.of(
            "--batch", Set.of("EvalBatchOption", "SynthBatchOptions", "TrainCommand"),
            "--iters", Set.of("BenchSynthCommand", "ReconItersOption", "SynthCommand"),
            "--data", Set.of("BenchOnnxCommand", "BenchReconCommand", "EvalCommand", "QuantizeCommand", "RunCommand"),
            "--out", Set.of("ExportOption", "SynthCommand", "TrainCommand"),
            "--torch", Set.of("BenchReconCommand", "BenchSynthCommand"),
            "--official", Set.of("BenchReconCommand", "BenchSynthCommand"),
            // sweep run's --threads is each worker process's, not this process's
            "--threads", Set.of("ModelOptions", "Run"));

    /** Mixins whose default each command chooses (quickstart's small budget), with the defaults per command. */
    static final Map<String, Map<String, String>> PER_COMMAND_DEFAULTS = Map.of(
            "--samples", Map.of("genie synth", "1024", "genie run", "1024", "genie quickstart", "256"),
            "--synth-iters", Map.of("genie run", "4000", "genie quickstart", "200"),
            "--iters", Map.of("genie quantize", "20000", "genie run", "20000", "genie bench recon", "20000",
                    "genie quickstart", "300"));

    static List<CommandLine> commands(CommandLine cl) {
        List<CommandLine> all = new ArrayList<>(List.of(cl));
        cl.getSubcommands().values().forEach(sub -> all.addAll(commands(sub)));
        return all;
    }

    static List<OptionSpec> options(CommandLine cl) {
        return cl.getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    static Class<?> declaring(OptionSpec o) {
        return ((Field) o.userObject()).getDeclaringClass();
    }

    @Test
    void eachFlagIsDeclaredOncePerMeaning() {
        Map<String, Set<String>> declaredIn = new TreeMap<>();
        for (CommandLine cl : commands(Main.commandLine())) {
            for (OptionSpec o : options(cl)) {
                for (String name : o.names()) {
                    declaredIn.computeIfAbsent(name, k -> new TreeSet<>()).add(declaring(o).getSimpleName());
                }
            }
        }
        declaredIn.forEach((name, classes) -> assertEquals(SAME_NAME_OTHER_MEANING.getOrDefault(name,
                classes.size() == 1 ? classes : Set.of("one class")), classes, name + " is declared in " + classes));
    }

    @Test
    void commandsSharingAMixinShowTheSameFlagWithTheSameDefault() {
        // (mixin class, flag) -> (command -> default as help shows it)
        Map<String, Map<String, String>> defaults = new TreeMap<>();
        for (CommandLine cl : commands(Main.commandLine())) {
            for (OptionSpec o : options(cl)) {
                if (declaring(o) != cl.getCommand().getClass()) {
                    defaults.computeIfAbsent(declaring(o).getSimpleName() + " " + o.longestName(), k -> new TreeMap<>())
                            .put(cl.getCommandSpec().qualifiedName(), String.valueOf(o.defaultValueString()));
                }
            }
        }
        defaults.forEach((flag, byCommand) -> {
            String name = flag.substring(flag.indexOf(' ') + 1);
            Map<String, String> expected = PER_COMMAND_DEFAULTS.get(name.equals("--recon-iters") ? "--iters" : name);
            if (expected != null) {
                assertEquals(new TreeMap<>(expected), byCommand, flag);
            } else {
                assertEquals(1, Set.copyOf(byCommand.values()).size(), flag + " defaults differ: " + byCommand);
            }
        });
        assertEquals(Set.of("genie eval", "genie bench eval", "genie bench onnx", "genie bench recon",
                "genie bench synth", "genie synth", "genie quantize", "genie run", "genie quickstart", "genie sweep run",
                "genie sweep status"),
                defaults.get("JsonOption --json").keySet(), "the commands with --json");
    }

    @Test
    void noOptionsMeanTheReferenceDefaults() {
        SynthCommand synth = new SynthCommand();
        new CommandLine(synth).parseArgs();
        // The command line prints per-layer terms only when asked to: --log-every is 0 unless given.
        assertEquals(SynthConfig.DEFAULTS.toBuilder().logEvery(0).build(),
                synth.synth.config(synth.iters, synth.model.seed));

        QuantizeCommand quantize = new QuantizeCommand();
        new CommandLine(quantize).parseArgs("--data", "noise:8");
        assertEquals(QuantConfig.DEFAULTS, quantize.quant.config(quantize.model.seed));

        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs();
        assertEquals(QuantConfig.DEFAULTS, run.quant.config(run.model.seed));
        assertEquals(SynthConfig.DEFAULTS.toBuilder().logEvery(0).build(),
                run.synth.config(run.synthIters.synthIters, run.model.seed));
    }

    @Test
    void givenOptionsReachTheConfiguration() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--samples", "8", "--batch", "4", "--source", "pixels", "--no-swing",
                "--latent", "16", "--lr-z", "0.2", "--lr-g", "0.02", "--log-every", "5", "--synth-iters", "30",
                "--wbits", "2", "--abits", "8", "--method", "qdrop", "--recon-iters", "40", "--recon-batch", "16",
                "--round-weight", "0.5", "--softbit-lr", "0.003", "--weight-step-lr", "2e-4", "--act-step-lr", "1e-5",
                "--round-warmup", "0.1", "--drop-prob", "0.25", "--override", "fc=w8", "--no-paper-preset", "--seed", "7",
                "--lowpass", "0.6", "--synth-augment", "--bn-global", "--label-ce", "0.2", "--recon-schedule", "cosine-all");
        assertEquals(SynthConfig.builder().samples(8).batch(4).source(SynthConfig.Source.PIXELS).swing(false)
                .latent(16).lrZ(0.2).lrG(0.02).logEvery(5).iterations(30).seed(7).lowpass(0.6).augment(true)
                .bnGlobal(true).labelCe(0.2).build(), run.synth.config(run.synthIters.synthIters, run.model.seed));
        assertEquals(QuantConfig.builder().wbits(2).abits(8).method(genie.quant.Method.QDROP).iterations(40)
                .batch(16).roundWeight(0.5).lrSoftbits(0.003).lrWeightScale(2e-4).lrActScale(1e-5).warmup(0.1)
                .dropProb(0.25f).overrides(Map.of("fc", "w8")).paperPreset(false).seed(7)
                .reconSchedule(genie.quant.ReconSchedule.COSINE_ALL).build(), run.quant.config(run.model.seed));
    }

    @Test
    void badSwitchValuesAreOneLineErrorsNamingTheOption() {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs("--lowpass", "-1");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> run.synth.config(10, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--lowpass") && e.getMessage().contains("-1"),
                e.getMessage());
        QuantizeCommand q = new QuantizeCommand();
        new CommandLine(q).parseArgs("--data", "noise:8", "--recon-schedule", "linear");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> q.quant.config(0));
        assertEquals("unknown reconstruction schedule 'linear': use paper or cosine-all", e.getMessage());
        RunCommand ce = new RunCommand();
        new CommandLine(ce).parseArgs("--label-ce", "-0.5");
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ce.synth.config(10, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("--label-ce"), e.getMessage());
    }
}
