package genie.magics;

import genie.data.ImageSet;
import genie.nn.Model;
import genie.quant.QuantConfig;
import genie.quant.QuantizedModel;
import genie.quant.Reconstruction;
import genie.quant.Unit;
import genie.quant.UnitReport;
import genie.report.Charts;
import genie.report.Probes;
import genie.report.Tables;
import genie.util.Cancellation;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A prepared quantization: the teacher, the calibration set, the {@link QuantizedModel} and its
 * {@link Reconstruction}, stepped unit by unit. What {@code %genie_quantize --as q} binds to {@code q}.
 *
 * <p>Each step also records the unit's output on a few calibration images before and after (for
 * {@link #outputChart(String)}). On an interrupt the engine rolls the half-done unit back to round-to-nearest;
 * the units stepped before stay reconstructed.
 */
public final class Quantization implements AutoCloseable {
    /** Images used to picture a unit's output before/after. */
    public static final int PROBE_IMAGES = 32;

    private final Model teacher;
    private final ImageSet calibration;
    private final String dataSpec;
    private final QuantizedModel model;
    private final Reconstruction reconstruction;
    private final Map<String, float[][]> outputs = new HashMap<>(); // unit -> teacher, before, after
    private final Cancellation cancellation;
    private volatile genie.quant.ReconstructionListener listener;

    public Quantization(Model teacher, ImageSet calibration, String dataSpec, QuantConfig config,
            Cancellation cancellation) {
        this.teacher = teacher;
        this.cancellation = cancellation;
        this.calibration = calibration;
        this.dataSpec = dataSpec;
        this.model = QuantizedModel.prepare(teacher, config);
        try {
            this.reconstruction = new Reconstruction(teacher, model, calibration).withCancellation(cancellation);
            this.reconstruction.addListener(new genie.quant.ReconstructionListener() {
                @Override
                public void onIteration(Unit unit, int iteration, int total, float rec, float round) {
                    genie.quant.ReconstructionListener l = listener;
                    if (l != null) {
                        l.onIteration(unit, iteration, total, rec, round);
                    }
                }

                @Override
                public void onUnitDone(UnitReport report) {
                    genie.quant.ReconstructionListener l = listener;
                    if (l != null) {
                        l.onUnitDone(report);
                    }
                }
            });
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The one extra listener (live progress) of the next steps; null removes it. */
    public void setListener(genie.quant.ReconstructionListener l) {
        this.listener = l;
    }

    public Model teacher() {
        return teacher;
    }

    public ImageSet calibration() {
        return calibration;
    }

    public String dataSpec() {
        return dataSpec;
    }

    /** The fake-quantized student. */
    public QuantizedModel model() {
        return model;
    }

    public Model student() {
        return model.student();
    }

    public QuantConfig config() {
        return model.config();
    }

    public Reconstruction reconstruction() {
        return reconstruction;
    }

    public List<Unit> units() {
        return reconstruction.units();
    }

    public List<UnitReport> reports() {
        return reconstruction.reports();
    }

    public boolean hasNext() {
        return reconstruction.hasNext();
    }

    /** The next unit to reconstruct, or null when all are done. */
    public Unit nextUnit() {
        return hasNext() ? units().get(reconstruction.position()) : null;
    }

    /** Reconstructs the next unit (recording its output before/after). */
    public UnitReport step() {
        Unit u = nextUnit();
        if (u == null) {
            throw new IllegalStateException("all " + units().size() + " units are reconstructed");
        }
        int n = Math.min(PROBE_IMAGES, calibration.size());
        float[] t = Probes.capture(teacher, u.name(), calibration, n, true);
        float[] before = Probes.capture(model.student(), u.name(), calibration, n, true);
        UnitReport r = reconstruction.step();
        float[] after = Probes.capture(model.student(), u.name(), calibration, n, true);
        outputs.put(u.name(), new float[][] {t, before, after});
        return r;
    }

    /** Steps {@code count} units (fewer when the end comes first). */
    public List<UnitReport> step(int count) {
        List<UnitReport> out = new ArrayList<>();
        for (int i = 0; i < count && hasNext(); i++) {
            cancellation.check();
            out.add(step());
        }
        return out;
    }

    /** Steps up to and including the named unit. */
    public List<UnitReport> stepTo(String unit) {
        if (units().stream().noneMatch(u -> u.name().equals(unit))) {
            reconstruction.stepTo(unit); // the engine's message, with the unit names
        }
        List<UnitReport> out = new ArrayList<>();
        while (hasNext() && reports().stream().noneMatch(r -> r.name().equals(unit))) {
            out.add(step());
        }
        return out;
    }

    /** Steps every remaining unit. */
    public List<UnitReport> run() {
        return step(Integer.MAX_VALUE);
    }

    public UnitReport report(String unit) {
        return reports().stream().filter(r -> r.name().equals(unit)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unit " + unit + " is not reconstructed yet; done: "
                        + reports().stream().map(UnitReport::name).toList()));
    }

    public Table placementTable() {
        return Tables.placement(model.placement());
    }

    public Table unitTable() {
        return Tables.units(reports());
    }

    public XYChart lossChart() {
        return Charts.unitLosses(reports());
    }

    public XYChart lossChart(String unit) {
        return Charts.unitLoss(report(unit));
    }

    /** The unit's output on the probe images: FP32 teacher, quantized before and after its reconstruction. */
    public XYChart outputChart(String unit) {
        float[][] o = outputs.get(unit);
        if (o == null) {
            report(unit);
            throw new IllegalArgumentException("no output record for " + unit + " (stepped outside this object)");
        }
        return Charts.outputDistribution(unit, o[0], o[1], o[2]);
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "Quantization(" + config().method() + " W" + config().wbits() + "A" + config().abits() + ", "
                + reports().size() + "/" + units().size() + " units reconstructed, calibration " + calibration.size()
                + " images" + (dataSpec == null ? "" : " from " + dataSpec) + ")";
    }
}
