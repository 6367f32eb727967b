package genie.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The engine's layering, checked on the compiled classes: the paper's core (nn, data, synth, quant, optim, eval,
 * io, util, export) knows nothing of the command line, sweeps, reporting, installers or notebooks, so it can be
 * read, tested and reused alone. A wrong import fails the build here.
 */
@AnalyzeClasses(packages = "genie", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    static final String[] CORE = {"genie.nn..", "genie.data..", "genie.synth..", "genie.quant..", "genie.optim..",
        "genie.eval..", "genie.io..", "genie.util..", "genie.export.."};

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Command line").definedBy("genie.cli..")
            .layer("Sweeps").definedBy("genie.sweep..")
            .layer("Reporting").definedBy("genie.report..")
            .layer("Setup").definedBy("genie.setup..")
            .layer("Core").definedBy(CORE)
            .whereLayer("Command line").mayNotBeAccessedByAnyLayer()
            // and by genie.magics, another module (ModuleDirectionTest keeps the engine from reaching up to it)
            .whereLayer("Sweeps").mayOnlyBeAccessedByLayers("Command line")
            .whereLayer("Reporting").mayOnlyBeAccessedByLayers("Command line", "Sweeps")
            .whereLayer("Setup").mayOnlyBeAccessedByLayers("Command line")
            .whereLayer("Core").mayOnlyBeAccessedByLayers("Command line", "Sweeps", "Reporting", "Setup");

    @ArchTest
    static final ArchRule coreImportsNoOuterLibrary = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("picocli..", "org.knowm.xchart..", "tech.tablesaw..",
                    "org.dflib.jjava..", "jdk.jshell..", "genie.magics..", "genie.kernel..", "ai.onnxruntime..")
            .because("the core is the paper's algorithm; options, charts, tables, notebooks and the ONNX Runtime"
                    + " benchmark sit above it");

    @ArchTest
    static final ArchRule utilitiesAreTheBottom = noClasses().that().resideInAPackage("genie.util..")
            .should().dependOnClassesThat().resideInAnyPackage("genie.nn..", "genie.data..", "genie.synth..",
                    "genie.quant..", "genie.optim..", "genie.eval..", "genie.io..")
            .because("everything depends on genie.util, so it can depend on nothing of ours");

    @ArchTest
    static final ArchRule formatsSitBelowTheModels = noClasses().that().resideInAPackage("genie.io..")
            .should().dependOnClassesThat().resideInAnyPackage("genie.nn..", "genie.data..", "genie.synth..",
                    "genie.quant..", "genie.optim..", "genie.eval..")
            .because("one safetensors implementation serves weights, image sets and exports alike");

    @ArchTest
    static final ArchRule optimisersKnowOnlyTensors = noClasses().that().resideInAPackage("genie.optim..")
            .should().dependOnClassesThat().resideInAnyPackage("genie.nn..", "genie.data..", "genie.synth..",
                    "genie.quant..", "genie.eval..");

    @ArchTest
    static final ArchRule corePackagesFormNoCycle = slices().matching("genie.(*)..").should().beFreeOfCycles();
}
