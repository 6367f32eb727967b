package genie.magics;

import genie.cli.QuantizeCommand;
import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.UnitReport;
import genie.synth.SynthResult;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The magics that show and write results: {@code %genie_plot}, {@code %genie_table}, {@code %genie_export}. */
public final class ReportMagics {
    private ReportMagics() {}

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
                .option("--as", String.class, null, "NAME", GenieMagics.AS);
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
            case "activations" -> Genie.plotActivations(GenieMagics.bound().quantization(m.get("--on")), required(m, "--layer"), n);
            case "weights" -> Genie.plotWeights(GenieMagics.bound().quantization(m.get("--on")), required(m, "--layer"));
            case "losses" -> Genie.plotLosses(GenieMagics.bound().quantization(m.get("--on")));
            case "unit" -> {
                Quantization q = GenieMagics.bound().quantization(m.get("--on"));
                yield Genie.plotUnit(q, unit(q, m.get("--unit")));
            }
            case "output" -> {
                Quantization q = GenieMagics.bound().quantization(m.get("--on"));
                yield Genie.plotOutput(q, unit(q, m.get("--unit")));
            }
            case "synth-loss" -> {
                String on = m.get("--on");
                SynthResult r = on != null ? GenieMagics.bound().get(on, SynthResult.class) : GenieMagics.bound().latest(SynthResult.class);
                if (r == null) {
                    throw new IllegalArgumentException("no synthesis yet: run %%genie_synth first");
                }
                yield Genie.plotSynthLoss(r);
            }
            case "bn-stats" -> {
                Model t = GenieMagics.bound().model(m.get("--on"));
                Map<String, ImageSet> sets = new LinkedHashMap<>();
                String d = m.get("--data");
                if (d != null) {
                    sets.put(d, Genie.data(d, t, 0));
                } else if (GenieMagics.bound().latest(ImageSet.class) != null) {
                    sets.put(GenieMagics.bound().nameOf(GenieMagics.bound().latest(ImageSet.class)), GenieMagics.bound().latest(ImageSet.class));
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
                Model t = GenieMagics.bound().model(m.get("--on"));
                String d = m.get("--data");
                ImageSet set = d != null ? Genie.data(d, t, 0) : GenieMagics.bound().latest(ImageSet.class);
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
            GenieMagics.bound().put(as, pic);
        }
        return shown(pic);
    }

    // ------------------------------------------------------------------ %genie_table

    static MagicSpec tableSpec() {
        return MagicSpec.create("genie_table", "Tables: placement | units | results.")
                .positional("KIND", "placement, units or results.")
                .option("--on", String.class, null, "NAME", "The quantization (default: the latest).")
                .option("--csv", Path.class, null, "FILE.csv", "Also write the table as CSV.")
                .option("--as", String.class, null, "NAME", GenieMagics.AS);
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
            case "placement" -> Genie.tablePlacement(GenieMagics.bound().quantization(m.get("--on")));
            case "units" -> Genie.tableUnits(GenieMagics.bound().quantization(m.get("--on")));
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
            GenieMagics.bound().put(as, t);
        }
        return shown(t);
    }

    // ------------------------------------------------------------------ %genie_export

    static MagicSpec exportSpec() {
        MagicSpec m = MagicSpec.create("genie_export", "Write the integer export (--out) or the ONNX QDQ graph (--onnx) "
                        + "of a quantization, or both.")
                .option("--on", String.class, null, "NAME", "The quantization (default: the latest).");
        // the CLI's own --out and --onnx options (quantize --out/--onnx); at least one is needed here
        var cli = picocli.CommandLine.Model.CommandSpec.forAnnotatedObject(new QuantizeCommand());
        m.spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(cli.findOption("--out")).build());
        m.spec.addOption(picocli.CommandLine.Model.OptionSpec.builder(cli.findOption("--onnx")).build());
        return m;
    }

    public static Path export(List<String> args) throws Exception {
        MagicSpec m = exportSpec().parse(args);
        if (m == null) {
            return null;
        }
        Path out = m.get("--out");
        Path onnx = m.get("--onnx");
        if (out == null && onnx == null) {
            throw new MagicException("Missing required option: '--out=FILE.safetensors' or '--onnx=FILE.onnx'");
        }
        Quantization q = GenieMagics.bound().quantization(m.get("--on"));
        if (q.hasNext()) {
            System.err.println("note: " + (q.units().size() - q.reports().size()) + " unit(s) are not reconstructed "
                    + "yet; they are exported with round-to-nearest weights");
        }
        if (onnx != null) {
            System.out.println("ONNX export: " + Genie.exportOnnx(q, onnx));
        }
        if (out != null) {
            System.out.println("integer export: " + Genie.export(q, out));
        }
        return out != null ? out : onnx;
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
}
