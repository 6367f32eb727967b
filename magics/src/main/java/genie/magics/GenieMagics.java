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
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * Loaded by ServiceLoader as a jjava-jupyter {@link Extension} into any jjava-based kernel with this jar.
 */
public final class GenieMagics implements Extension {
    static final String AS = "Bind the result to this notebook variable.";

    @Override
    public void install(BaseKernel kernel) {
        register(kernel.getMagicsRegistry());
        if (!"genie.kernel.GenieKernel".equals(kernel.getClass().getName())) {
            // other jjava kernels: show charts and tables (the Genie kernel registers its own renderers)
            kernel.getRenderer().createRegistration(org.knowm.xchart.internal.chartpart.Chart.class)
                    .preferring(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG)
                    .register((c, ctx) -> ctx.renderIfRequested(
                            org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG,
                            () -> Display.render(c).getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.IMAGE_PNG)));
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
        r.registerLineMagic("genie_plot", (BaseKernel k, List<String> a) -> plot(a));
        r.registerLineMagic("genie_table", (BaseKernel k, List<String> a) -> table(a));
        r.registerLineMagic("genie_export", (BaseKernel k, List<String> a) -> export(a));
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
        Session.put(as, model);
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
        Session.put(as, r.images());
        Session.put(as + "_result", r);
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
        Model teacher = teacher(m, mo);
        String as = m.get("--as");
        if (Session.has(as) && Session.get(as) instanceof Quantization old) {
            old.close();
        }
        Quantization q = Genie.quantize(teacher, (String) m.get("--data"), cfg);
        Session.put(as, q);
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
        Quantization q = quantization(m.get("--on"));
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
            target = Session.get(on);
        } else if (m.matched("--model")) {
            target = mo.load();
        } else {
            Quantization q = Session.latest(Quantization.class);
            target = q != null ? q : Session.latest(Model.class);
            if (target == null) {
                target = mo.load();
            }
        }
        // a model loaded just for this evaluation is bound to nothing: free its native memory when done
        boolean loadedHere = target instanceof Model && !Session.all().containsValue(target);
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
            Session.put(as, a);
        }
        return a;
    }

    // ------------------------------------------------------------------ %genie_plot

    static MagicSpec plotSpec() {
        return MagicSpec.create("genie_plot", "Pictures: activations --layer L | weights --layer L | losses | unit --unit U"
                        + " | output --unit U | synth-loss | bn-stats | images.")
                .positional("KIND", "activations, weights, losses, unit, output, synth-loss, bn-stats or images.")
                .option("--on", String.class, null, "NAME", "The quantization, synthesis result or model (default: the latest).")
                .option("--layer", String.class, null, "LAYER", "Layer for activations/weights.")
                .option("--unit", String.class, null, "UNIT", "Unit for unit/output (default: the last stepped).")
                .option("--data", String.class, null, "NAME|SPEC", "Images for images/bn-stats (default: the latest bound image set).")
                .option("--compare", String[].class, null, "LABEL=NAME|SPEC", "bn-stats: more sets, e.g. real=fashion-mnist:test:64 noise=noise:64.")
                .option("--images", int.class, "64", "N", "Images to probe or show (default: ${DEFAULT-VALUE}).")
                .option("--out", Path.class, null, "FILE.png|svg", "Also save the picture.")
                .option("--as", String.class, null, "NAME", AS);
    }

    public static Object plot(List<String> args) throws Exception {
        MagicSpec m = plotSpec().parse(args);
        if (m == null) {
            return null;
        }
        String kind = m.positional();
        if (kind == null) {
            throw new MagicException("Missing required parameter: 'KIND'");
        }
        int n = m.<Integer>get("--images");
        Object pic = switch (kind) {
            case "activations" -> Genie.plotActivations(quantization(m.get("--on")), required(m, "--layer"), n);
            case "weights" -> Genie.plotWeights(quantization(m.get("--on")), required(m, "--layer"));
            case "losses" -> Genie.plotLosses(quantization(m.get("--on")));
            case "unit" -> {
                Quantization q = quantization(m.get("--on"));
                yield Genie.plotUnit(q, unit(q, m.get("--unit")));
            }
            case "output" -> {
                Quantization q = quantization(m.get("--on"));
                yield Genie.plotOutput(q, unit(q, m.get("--unit")));
            }
            case "synth-loss" -> {
                String on = m.get("--on");
                SynthResult r = on != null ? Session.get(on, SynthResult.class) : Session.latest(SynthResult.class);
                if (r == null) {
                    throw new IllegalArgumentException("no synthesis yet: run %%genie_synth first");
                }
                yield Genie.plotSynthLoss(r);
            }
            case "bn-stats" -> {
                Model t = model(m.get("--on"));
                Map<String, ImageSet> sets = new LinkedHashMap<>();
                String d = m.get("--data");
                if (d != null) {
                    sets.put(d, Genie.data(d, t, 0));
                } else if (Session.latest(ImageSet.class) != null) {
                    sets.put(nameOf(Session.latest(ImageSet.class)), Session.latest(ImageSet.class));
                }
                String[] more = m.get("--compare");
                if (more != null) {
                    for (String s : more) {
                        int eq = s.indexOf('=');
                        if (eq <= 0) {
                            throw new MagicException("--compare must look like LABEL=NAME|SPEC, got '" + s + "'");
                        }
                        sets.put(s.substring(0, eq), Genie.data(s.substring(eq + 1), t, 0));
                    }
                } else {
                    sets.put("noise", Genie.data("noise:" + n, t, 0));
                }
                yield Genie.plotBnStats(t, sets, n);
            }
            case "images" -> {
                Model t = model(m.get("--on"));
                String d = m.get("--data");
                ImageSet set = d != null ? Genie.data(d, t, 0) : Session.latest(ImageSet.class);
                if (set == null) {
                    throw new IllegalArgumentException("no images: pass --data NAME|SPEC");
                }
                yield Genie.plotImages(t, set, Math.min(n, 32), 8);
            }
            default -> throw new MagicException("Unknown plot kind '" + kind + "'; use activations, weights, losses, "
                    + "unit, output, synth-loss, bn-stats or images");
        };
        Path out = m.get("--out");
        if (out != null) {
            if (pic instanceof org.knowm.xchart.internal.chartpart.Chart<?, ?> c) {
                genie.report.Charts.save(c, out);
            } else {
                genie.report.Images.save((java.awt.image.BufferedImage) pic, out);
            }
            System.out.println("saved " + out);
        }
        String as = m.get("--as");
        if (as != null) {
            Session.put(as, pic);
        }
        return shown(pic);
    }

    // ------------------------------------------------------------------ %genie_table

    static MagicSpec tableSpec() {
        return MagicSpec.create("genie_table", "Tables: placement | units | results.")
                .positional("KIND", "placement, units or results.")
                .option("--on", String.class, null, "NAME", "The quantization (default: the latest).")
                .option("--csv", Path.class, null, "FILE.csv", "Also write the table as CSV.")
                .option("--as", String.class, null, "NAME", AS);
    }

    public static Object table(List<String> args) throws Exception {
        MagicSpec m = tableSpec().parse(args);
        if (m == null) {
            return null;
        }
        String kind = m.positional();
        if (kind == null) {
            throw new MagicException("Missing required parameter: 'KIND'");
        }
        Table t = switch (kind) {
            case "placement" -> Genie.tablePlacement(quantization(m.get("--on")));
            case "units" -> Genie.tableUnits(quantization(m.get("--on")));
            case "results" -> Genie.tableResults();
            default -> throw new MagicException("Unknown table kind '" + kind + "'; use placement, units or results");
        };
        Path csv = m.get("--csv");
        if (csv != null) {
            genie.report.Tables.csv(t, csv);
            System.out.println("wrote " + csv);
        }
        String as = m.get("--as");
        if (as != null) {
            Session.put(as, t);
        }
        return shown(t);
    }

    // ------------------------------------------------------------------ %genie_export

    static MagicSpec exportSpec() {
        MagicSpec m = MagicSpec.create("genie_export", "Write the integer export of a quantization.")
                .option("--on", String.class, null, "NAME", "The quantization (default: the latest).");
        // the CLI's own --out option (quantize --out), required here
        var cliOut = picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(new QuantizeCommand()).findOption("--out");
        m.spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(cliOut).required(true).build());
        return m;
    }

    public static Path export(List<String> args) throws Exception {
        MagicSpec m = exportSpec().parse(args);
        if (m == null) {
            return null;
        }
        Quantization q = quantization(m.get("--on"));
        if (q.hasNext()) {
            System.err.println("note: " + (q.units().size() - q.reports().size()) + " unit(s) are not reconstructed "
                    + "yet; they are exported with round-to-nearest weights");
        }
        Path out = Genie.export(q, m.get("--out"));
        System.out.println("integer export: " + out);
        return out;
    }

    // ------------------------------------------------------------------ helpers

    private static Object shown(Object pic) {
        return Display.show(pic) == null ? pic : null;
    }

    private static String required(MagicSpec m, String option) {
        String v = m.get(option);
        if (v == null) {
            throw new MagicException("Missing required option: '" + option + "'");
        }
        return v;
    }

    private static String unit(Quantization q, String unit) {
        if (unit != null) {
            return unit;
        }
        List<UnitReport> r = q.reports();
        if (r.isEmpty()) {
            throw new IllegalArgumentException("no unit reconstructed yet: run %genie_step first");
        }
        return r.get(r.size() - 1).name();
    }

    static Quantization quantization(String name) {
        if (name != null) {
            return Session.get(name, Quantization.class);
        }
        Quantization q = Session.latest(Quantization.class);
        if (q == null) {
            throw new IllegalArgumentException("no quantization yet: run %genie_quantize first");
        }
        return q;
    }

    static Model model(String name) {
        if (name != null) {
            Object v = Session.get(name);
            if (v instanceof Quantization q) {
                return q.teacher();
            }
            return Session.get(name, Model.class);
        }
        Model t = Session.latest(Model.class);
        if (t == null) {
            throw new IllegalArgumentException("no model yet: run %genie_load first");
        }
        return t;
    }

    /** The teacher: --teacher NAME, else --model when given, else the latest bound model, else --model's default. */
    static Model teacher(MagicSpec m, ModelOptions mo) throws Exception {
        String name = m.get("--teacher");
        if (name != null) {
            return Session.get(name, Model.class);
        }
        if (!m.matched("--model")) {
            Model latest = Session.latest(Model.class);
            if (latest != null) {
                return latest;
            }
        }
        Model loaded = mo.load();
        Session.put("teacher", loaded);
        return loaded;
    }

    private static String nameOf(Object value) {
        for (Map.Entry<String, Object> e : Session.all().entrySet()) {
            if (e.getValue() == value) {
                return e.getKey();
            }
        }
        return "data";
    }
}
