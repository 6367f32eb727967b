package genie.report;

import genie.quant.LayerPlan;
import genie.quant.UnitReport;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Genie's tables (Tablesaw): placement, per-unit report, experiment results; CSV and HTML out. */
public final class Tables {
    /** Rows shown in HTML before the rest is summarised. */
    public static final int MAX_HTML_ROWS = 60;

    private Tables() {}

    /** Every quantized layer: type, weight bits, input bits, who owns its (shared) input quantizer, its unit. */
    public static Table placement(List<LayerPlan> plans) {
        StringColumn layer = StringColumn.create("layer");
        StringColumn type = StringColumn.create("type");
        StringColumn w = StringColumn.create("w_bits");
        StringColumn a = StringColumn.create("a_bits");
        StringColumn q = StringColumn.create("input quantizer");
        StringColumn unit = StringColumn.create("unit");
        for (LayerPlan p : plans) {
            layer.append(p.name());
            type.append(p.type());
            w.append(p.weightBits() == 0 ? "-" : Integer.toString(p.weightBits()));
            a.append(p.inputBits() == 0 ? "float" : Integer.toString(p.inputBits()));
            q.append(p.owner().isEmpty() ? "-" : p.sharesInput() ? "shared: " + p.owner() : "own");
            unit.append(p.unit());
        }
        return Table.create("placement", layer, type, w, a, q, unit);
    }

    /** One row per reconstructed unit: losses, output MSE and SQNR before/after, time. */
    public static Table units(List<UnitReport> reports) {
        IntColumn idx = IntColumn.create("#");
        StringColumn unit = StringColumn.create("unit");
        IntColumn layers = IntColumn.create("layers");
        IntColumn iters = IntColumn.create("iters");
        DoubleColumn rec = DoubleColumn.create("rec loss");
        DoubleColumn mseB = DoubleColumn.create("MSE before");
        DoubleColumn mseA = DoubleColumn.create("MSE after");
        DoubleColumn sqB = DoubleColumn.create("SQNR before (dB)");
        DoubleColumn sqA = DoubleColumn.create("SQNR after (dB)");
        DoubleColumn sec = DoubleColumn.create("seconds");
        DoubleColumn ms = DoubleColumn.create("ms/iter");
        for (UnitReport r : reports) {
            idx.append(r.index());
            unit.append(r.name());
            layers.append(r.layers().size());
            iters.append(r.iterations());
            rec.append(round(r.finalRec(), 6));
            mseB.append(round(r.mseBefore(), 6));
            mseA.append(round(r.mseAfter(), 6));
            sqB.append(round(r.sqnrBefore(), 2));
            sqA.append(round(r.sqnrAfter(), 2));
            sec.append(round(r.seconds(), 2));
            ms.append(round(r.msPerIter(), 2));
        }
        return Table.create("reconstruction units", idx, unit, layers, iters, rec, mseB, mseA, sqB, sqA, sec, ms);
    }

    /** Experiment results: method x bits x data. */
    public static Table results(List<ResultRow> rows) {
        StringColumn method = StringColumn.create("method");
        StringColumn bits = StringColumn.create("bits");
        StringColumn data = StringColumn.create("data");
        IntColumn samples = IntColumn.create("samples");
        IntColumn iters = IntColumn.create("iters");
        DoubleColumn top1 = DoubleColumn.create("top-1 %");
        IntColumn images = IntColumn.create("images");
        DoubleColumn sec = DoubleColumn.create("seconds");
        for (ResultRow r : rows) {
            method.append(r.method());
            bits.append(r.wbits() >= 32 ? "FP32" : "W" + r.wbits() + "A" + r.abits());
            data.append(r.data());
            samples.append(r.samples());
            iters.append(r.iters());
            top1.append(round(r.top1(), 2));
            images.append(r.images());
            sec.append(round(r.seconds(), 1));
        }
        return Table.create("results", method, bits, data, samples, iters, top1, images, sec);
    }

    /** Writes a table as CSV (with a header row). */
    public static Path csv(Table t, Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        t.write().csv(file.toFile());
        return file;
    }

    /** CSV text of a table. */
    public static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }

    /** An HTML table with a header row, the name as caption and a row/column count. */
    public static String html(Table t) {
        StringBuilder sb = new StringBuilder("<div class=\"genie-table\"><table class=\"dataframe\" border=\"1\">");
        if (t.name() != null && !t.name().isEmpty()) {
            sb.append("<caption>").append(Html.escape(t.name())).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (String name : t.columnNames()) {
            sb.append("<th>").append(Html.escape(name)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        int rows = Math.min(t.rowCount(), MAX_HTML_ROWS);
        for (int r = 0; r < rows; r++) {
            sb.append("<tr>");
            for (int c = 0; c < t.columnCount(); c++) {
                sb.append("<td>").append(Html.escape(t.column(c).getString(r))).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table><p>").append(t.rowCount()).append(" rows &times; ").append(t.columnCount())
                .append(" columns");
        if (t.rowCount() > rows) {
            sb.append(" (first ").append(rows).append(" shown)");
        }
        return sb.append("</p></div>").toString();
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
