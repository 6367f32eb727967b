package genie.cli;

import genie.report.Charts;
import genie.report.RecordTable;
import genie.report.SeedChart;
import genie.report.SeedStatistics;
import genie.report.Tables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code genie report DIR...}: run records (from {@code --record DIR} or {@code Record.write}) as one table. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Aggregate run records (folders with record.json, searched below each DIR) into one table, and "
                + "group them by their settings without the seed: mean ± std and n of the top-1 per group.")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Record folders or folders containing them.")
    List<Path> dirs;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the table as CSV.")
    Path csv;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write the tables and the chart as an HTML page.")
    Path html;

    @Option(names = "--groups-csv", paramLabel = "FILE", description = "Also write the mean ± std table as CSV.")
    Path groupsCsv;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Also write the mean ± std chart (error bars).")
    Path chart;

    @Override
    public Integer call() throws Exception {
        var table = RecordTable.of(dirs);
        if (table.rowCount() == 0) {
            System.err.println("genie report: no record.json found below " + dirs);
            return 1;
        }
        System.out.println(table.printAll());
        System.out.println(table.rowCount() + " record(s)");
        var groups = SeedStatistics.of(dirs);
        var stats = SeedStatistics.table(groups);
        if (!groups.isEmpty()) {
            System.out.println();
            System.out.println(stats.printAll());
            System.out.println(groups.size() + " group(s) of runs that differ only in the seed");
        }
        var errorBars = groups.isEmpty() ? null : SeedChart.of(groups, "top-1 % over seeds");
        if (groupsCsv != null) {
            Tables.csv(stats, groupsCsv);
            System.out.println("wrote " + groupsCsv);
        }
        if (chart != null && errorBars != null) {
            Charts.save(errorBars, chart);
            System.out.println("wrote " + chart);
        }
        if (csv != null) {
            Tables.csv(table, csv);
            System.out.println("wrote " + csv);
        }
        if (html != null) {
            if (html.getParent() != null) Files.createDirectories(html.getParent());
            Files.writeString(html, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Genie runs</title>"
                    + "<style>table{border-collapse:collapse;font-family:sans-serif;font-size:13px}"
                    + "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style></head><body>\n"
                    + Tables.html(table) + "\n" + (groups.isEmpty() ? "" : Tables.html(stats) + "\n<p><img src=\"data:image/png;base64,"
                    + java.util.Base64.getEncoder().encodeToString(Charts.png(errorBars)) + "\"></p>\n") + "</body></html>\n");
            System.out.println("wrote " + html);
        }
        return 0;
    }
}
