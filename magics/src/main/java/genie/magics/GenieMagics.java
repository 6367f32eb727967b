package genie.magics;

import genie.cli.EvalCommand;
import genie.cli.ModelOptions;
import genie.cli.QuantOptions;
import genie.cli.QuantizeCommand;
import genie.cli.SynthCommand;
import genie.cli.SynthOptions;
import genie.data.ImageSet;
import genie.eval.Accuracy;
import genie.nn.Model;
import genie.quant.UnitReport;
import genie.synth.SynthConfig;
import genie.synth.SynthResult;
import org.dflib.jjava.jupyter.Extension;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Genie's notebook magics, one per component, each a thin shell over {@link Genie} that parses its arguments with
 * the CLI's picocli command (same option names, defaults, {@code --help} and error messages):
 * <pre>
 * %genie_load --model fmnist_resnet20 --as teacher
 * %%genie_synth --as data          (body: more options, one per line)
 * %genie_quantize --data data --wbits 2 --abits 4 --method genie --iters 20 --as q   [--run]
 * %genie_step [N] | --to NAME | --all
 * %genie_eval --on q --data fashion-mnist:test --limit 500
 * %genie_plot activations|weights|losses|unit|output|synth-loss|bn-stats|images ...
 * %genie_table placement|units|results [--csv FILE]
 * %genie_export --on q --out q.safetensors
 * </pre>
 * {@code %genie_plot}, {@code %genie_table} and {@code %genie_export} are in {@link ReportMagics}. Loaded by
 * ServiceLoader as a jjava-jupyter {@link Extension} into any jjava-based kernel with this jar; what they bind
 * ({@code --as}) lives in the Genie kernel's {@link GenieSession}, so in other kernels each magic stands alone.
 */
public final class GenieMagics implements Extension {
    static final String AS = "Bind the result to this notebook variable.";

    @Override
    public void install(BaseKernel kernel) {
        register(kernel.getMagicsRegistry());
        if (!(kernel instanceof GenieSession.Host)) {
            Display.register(kernel.getRenderer()); // the Genie kernel registers them as its JShell starts
        }
    }

    public static void register(MagicsRegistry r) {
        r.registerLineMagic("genie_load", (BaseKernel k, List<String> a) -> load(a));
        r.registerLineMagic("genie_synth", (BaseKernel k, List<String> a) -> synth(a, null));
        r.registerCellMagic("genie_synth", (BaseKernel k, List<String> a, String body) -> synth(a, body));
        r.registerLineMagic("genie_quantize", (BaseKernel k, List<String> a) -> quantize(a));
        r.registerCellMagic("genie_quantize", (BaseKernel k, List<String> a, String body) ->
                quantize(MagicSpec.withBody(a, body)));
        r.registerLineMagic("genie_step", (BaseKernel k, List<String> a) -> step(a));
        r.registerLineMagic("genie_eval", (BaseKernel k, List<String> a) -> eval(a));
        r.registerLineMagic("genie_plot", (BaseKernel k, List<String> a) -> ReportMagics.plot(a));
        r.registerLineMagic("genie_table", (BaseKernel k, List<String> a) -> ReportMagics.table(a));
        r.registerLineMagic("genie_export", (BaseKernel k, List<String> a) -> ReportMagics.export(a));
    }

    /** Names of the line magics (for help and tests). */
    public static final List<String> LINE_MAGICS = List.of("genie_load", "genie_synth", "genie_quantize", "genie_step",
            "genie_eval", "genie_plot", "genie_table", "genie_export");

    // ------------------------------------------------------------------ %genie_load

    static MagicSpec loadSpec() {
        return MagicSpec.create("genie_load", "Load a model (teacher) and bind it to a notebook variable.",
                new ModelOptions()).option("--as", String.class, "teacher", "NAME", AS + " (default: ${DEFAULT-VALUE})");
    }

    public static Model load(List<String> args) throws Exception {
        MagicSpec m = loadSpec().parse(args);
        if (m == null) {
            return null;
        }
        ModelOptions mo = m.mixin(ModelOptions.class);
        Model model = mo.load();
        String as = m.get("--as");
        bound().put(as, model);
        System.out.println("loaded " + model.spec().name() + " (" + model.spec().source() + ") on " + model.device()
                + " as " + as);
        return model;
    }

    // ------------------------------------------------------------------ %%genie_synth

    static MagicSpec synthSpec() {
        return MagicSpec.of(new SynthCommand(), "genie_synth", "Cell form: more options in the body, one per line.")
                .option("--as", String.class, "data", "NAME", AS + " The images; NAME_result is the SynthResult (default: ${DEFAULT-VALUE}).")
                .option("--teacher", String.class, null, "NAME", "A bound model to synthesize for (default: the latest loaded, else --model).");
    }

    public static SynthResult synth(List<String> args, String body) throws Exception {
        MagicSpec m = synthSpec().parse(MagicSpec.withBody(args, body));
        if (m == null) {
            return null;
        }
        ModelOptions mo = m.mixin(ModelOptions.class);
        SynthConfig cfg = m.mixin(SynthOptions.class).config(m.get("--iters"), mo.seed);
        Model teacher = teacher(m, mo);
        SynthResult r = Genie.synth(teacher, cfg, genie.synth.SynthCache.at(m.get("--cache")));
        String as = m.get("--as");
        bound().put(as, r.images());
        bound().put(as + "_result", r);
        Path out = m.get("--out");
        if (out != null && r.images().size() > 0) {
            Genie.saveImages(r, out);
            System.out.println("wrote " + r.images().size() + " images to " + out);
        }
        System.out.println(r.report());
        if (r.images().size() > 0) {
            Display.show(Genie.plotImages(teacher, r.images(), Math.min(16, r.images().size()), 8));
        }
        return null;
    }

    // ------------------------------------------------------------------ %genie_quantize

    static MagicSpec quantizeSpec() {
        return MagicSpec.of(new QuantizeCommand(), "genie_quantize",
                "Notebook: prepares the quantized model and its reconstruction; %genie_step runs units, --run all of "
                        + "them. --data also takes a bound image set (e.g. from %%genie_synth). Evaluates only with an "
                        + "explicit --eval-data.")
                .option("--as", String.class, "q", "NAME", AS + " (a genie.magics.Quantization; default: ${DEFAULT-VALUE})")
                .option("--teacher", String.class, null, "NAME", "A bound model to quantize (default: the latest loaded, else --model).")
                .option("--run", boolean.class, null, null, "Reconstruct every unit now (live progress).");
    }

    public static Quantization quantize(List<String> args) throws Exception {
        MagicSpec m = quantizeSpec().parse(args);
        if (m == null) {
            return null;
        }
        ModelOptions mo = m.mixin(ModelOptions.class);
        QuantOptions qo = m.mixin(QuantOptions.class);
        var cfg = qo.config(mo.seed);
        var cacheBudget = qo.cacheBudget();
        Model teacher = teacher(m, mo);
        String as = m.get("--as");
        if (bound().has(as) && bound().get(as) instanceof Quantization old) {
            old.close();
        }
        Quantization q = Genie.quantize(teacher, (String) m.get("--data"), cfg);
        q.reconstruction().withCacheBudget(cacheBudget);
        if (q.reconstruction().cachePlans().stream().anyMatch(genie.quant.CachePlan::spills)) {
            System.out.println(genie.quant.CachePlan.summary(q.reconstruction().cachePlans()));
        }
        bound().put(as, q);
        System.out.println("prepared " + q + " as " + as + "; next unit: " + q.nextUnit().name());
        Display.show(q.placementTable());
        if (Boolean.TRUE.equals(m.get("--run"))) {
            List<UnitReport> done = Genie.stepAll(q);
            // The live progress already left the loss chart in the output, updated in place: not a second copy.
            Display.show(q.unitTable());
            System.out.println("reconstructed " + done.size() + " units");
            if (m.matched("--eval-data") && !"none".equals(m.get("--eval-data"))) {
                ImageSet test = Genie.data(m.get("--eval-data"), teacher, cfg.seed());
                int limit = m.<Integer>get("--eval-limit");
                Accuracy a = Genie.eval(q, limit > 0 ? test.head(limit) : test);
                System.out.println(String.format(Locale.ROOT, "W%dA%d %s: %s", cfg.wbits(), cfg.abits(), cfg.method(), a));
            }
            Path out = m.get("--out");
            if (out != null) {
                Genie.export(q, out);
                System.out.println("integer export: " + out);
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ %genie_step

    static MagicSpec stepSpec() {
        return MagicSpec.create("genie_step", "Reconstruct the next unit (or N units, up to --to NAME, or --all) of a "
                        + "prepared quantization, then show the unit's loss curve, its output before/after and the unit table.")
                .positional("N", "How many units (default: 1).")
                .option("--to", String.class, null, "UNIT", "Step up to and including this unit.")
                .option("--all", boolean.class, null, null, "Step every remaining unit.")
                .option("--on", String.class, null, "NAME", "The quantization (default: the latest %genie_quantize).")
                .option("--show", String.class, "each", "each|last|none", "Pictures for each stepped unit, the last, or none (default: ${DEFAULT-VALUE}).")
                .option("--no-live", boolean.class, null, null, "No live progress bar and loss chart.");
    }

    public static List<UnitReport> step(List<String> args) throws Exception {
        MagicSpec m = stepSpec().parse(args);
        if (m == null) {
            return null;
        }
        Quantization q = bound().quantization(m.get("--on"));
        String n = m.positional();
        int count;
        try {
            count = n == null ? 1 : Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new MagicException("Invalid value for positional parameter at index 0 (N): '" + n + "' is not an int");
        }
        String to = m.get("--to");
        boolean all = Boolean.TRUE.equals(m.get("--all"));
        if (!q.hasNext()) {
            System.out.println("all " + q.units().size() + " units are reconstructed");
            return List.of();
        }
        boolean live = !Boolean.TRUE.equals(m.get("--no-live"));
        List<UnitReport> done = Genie.step(q, all ? Integer.MAX_VALUE : count, all ? null : to, live);
        for (UnitReport r : done) {
            System.out.println(r);
        }
        String show = m.get("--show");
        if (!"none".equals(show)) {
            Genie.showStep(q, done, !"last".equals(show));
        }
        System.out.println(q.reports().size() + "/" + q.units().size() + " units reconstructed"
                + (q.hasNext() ? "; next: " + q.nextUnit().name() : ""));
        return null;
    }

    // ------------------------------------------------------------------ %genie_eval

    static MagicSpec evalSpec() {
        return MagicSpec.of(new EvalCommand(), "genie_eval", "Notebook: --on scores a bound model or quantization.")
                .option("--on", String.class, null, "NAME", "A bound Model or Quantization (default: the latest quantization, else the latest model, else --model).")
                .option("--as", String.class, null, "NAME", AS);
    }

    public static Accuracy eval(List<String> args) throws Exception {
        MagicSpec m = evalSpec().parse(args);
        if (m == null) {
            return null;
        }
        ModelOptions mo = m.mixin(ModelOptions.class);
        String on = m.get("--on");
        Object target;
        if (on != null) {
            target = bound().get(on);
        } else if (m.matched("--model")) {
            target = mo.load();
        } else {
            Quantization q = bound().latest(Quantization.class);
            target = q != null ? q : bound().latest(Model.class);
            if (target == null) {
                target = mo.load();
            }
        }
        // a model loaded just for this evaluation is bound to nothing: free its native memory when done
        boolean loadedHere = target instanceof Model && !bound().all().containsValue(target);
        try {
            return eval(m, mo, on, target);
        } finally {
            if (loadedHere) {
                ((Model) target).close();
            }
        }
    }

    private static Accuracy eval(MagicSpec m, ModelOptions mo, String on, Object target) throws Exception {
        Model anyModel = target instanceof Quantization q ? q.teacher() : (Model) target;
        ImageSet data = Genie.data(m.get("--data"), anyModel, mo.seed);
        int limit = m.<Integer>get("--limit");
        if (limit > 0) {
            data = data.head(limit);
        }
        Accuracy a;
        String label;
        if (target instanceof Quantization q) {
            a = Genie.eval(q, data);
            label = q.toString();
        } else if (target instanceof Model model) {
            a = Genie.eval(model, data);
            Genie.record(new genie.report.ResultRow("fp32", 32, 32, "-", 0, 0, 100 * a.top1(), a.images(), 0));
            label = model.spec().name();
        } else {
            throw new IllegalArgumentException("'" + on + "' is neither a Model nor a Quantization");
        }
        System.out.println(label + " on " + data.description() + ": " + a);
        String as = m.get("--as");
        if (as != null) {
            bound().put(as, a);
        }
        return a;
    }

    // ------------------------------------------------------------------ helpers




    /** The teacher: --teacher NAME, else --model when given, else the latest bound model, else --model's default. */
    static Model teacher(MagicSpec m, ModelOptions mo) throws Exception {
        String name = m.get("--teacher");
        if (name != null) {
            return bound().get(name, Model.class);
        }
        if (!m.matched("--model")) {
            Model latest = bound().latest(Model.class);
            if (latest != null) {
                return latest;
            }
        }
        Model loaded = mo.load();
        bound().put("teacher", loaded);
        return loaded;
    }

    /** The values of the current session. */
    static Bindings bound() {
        return GenieSession.current().bindings();
    }
}
