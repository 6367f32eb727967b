// Genie for Java, headless: ./genie script notebooks/scripts/quickstart.jsh
// The same cells as notebooks/01_quickstart.ipynb (magics included); GENIE_BUDGET=tiny|smoke|full|paper.
import genie.magics.*;
import genie.report.Budget;
import genie.report.Record;

Budget budget = Budget.fromEnv();
budget.asMap().forEach(Session::put);

%genie_load --model default --as teacher

%%genie_synth --as data --seed 0
--samples ${samples}
--batch ${synthBatch}
--iters ${synthIters}

%genie_quantize --data data --wbits 4 --abits 4 --method genie --iters ${iters} --recon-batch 32 --seed 0 --run --as q

var fp32 = Genie.eval(teacher, Genie.data("fashion-mnist:test", teacher, 0).head(budget.evalImages()));
var w4a4 = Genie.eval(q, Genie.data("fashion-mnist:test", teacher, 0).head(budget.evalImages()));
System.out.println(String.format(Locale.ROOT, "FP32 %.2f %%, W4A4 Genie %.2f %%", 100 * fp32.top1(), 100 * w4a4.top1()));

%genie_table results
