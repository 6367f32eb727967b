package genie.kernel;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Dependencies point one way, kernel -> magics -> engine: the engine runs headless and the magics work in any
 * JShell, so neither may reach up. Checked over all three modules' classes, which only this module sees together.
 */
@AnalyzeClasses(packages = "genie", importOptions = ImportOption.DoNotIncludeTests.class)
class ModuleDirectionTest {
    @ArchTest
    static final ArchRule engineKnowsNoNotebook = noClasses()
            .that().resideOutsideOfPackages("genie.magics..", "genie.kernel..")
            .should().dependOnClassesThat().resideInAnyPackage("genie.magics..", "genie.kernel..", "org.dflib.jjava..",
                    "jdk.jshell..");

    @ArchTest
    static final ArchRule magicsKnowNoKernel = noClasses().that().resideInAPackage("genie.magics..")
            .should().dependOnClassesThat().resideInAnyPackage("genie.kernel..", "jdk.jshell..");
}
