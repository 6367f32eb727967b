// Genie for Java, headless: ./genie script notebooks/scripts/quickstart.jsh
// The same cells as notebooks/01_quickstart.ipynb (magics included); GENIE_BUDGET=smoke|full.
import genie.magics.*;
import genie.report.Record;

boolean full = "full".equals(System.getenv("GENIE_BUDGET"));
Session.put("samples", full ? 1024 : 32);
Session.put("synthIters", full ? 4000 : 20);
Session.put("iters", full ? 20000 : 20);
Session.put("evalLimit", full ? 10000 : 500);

%genie_load --model default --as teacher

%%genie_synth --as data --seed 0
--samples ${samples}
--batch ${samples}
--iters ${synthIters}

%genie_quantize --data data --wbits 4 --abits 4 --method genie --iters ${iters} --recon-batch 32 --seed 0 --run --as q

var fp32 = Genie.eval(teacher, Genie.data("fashion-mnist:test", teacher, 0).head((Integer) Session.get("evalLimit")));
var w4a4 = Genie.eval(q, Genie.data("fashion-mnist:test", teacher, 0).head((Integer) Session.get("evalLimit")));
System.out.println(String.format(Locale.ROOT, "FP32 %.2f %%, W4A4 Genie %.2f %%", 100 * fp32.top1(), 100 * w4a4.top1()));

%genie_table results
