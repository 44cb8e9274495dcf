package io.vipkeeper.appliance.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package directions of appliance/DESIGN.md, checked on the compiled classes: the VRRP
 * library knows nothing of the appliance, config and the neutral data-plane model know no engine,
 * and the API is a leaf the daemon uses, never the other way round.
 */
@AnalyzeClasses(packages = "io.vipkeeper", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
    /** Where data plane engines live; a new engine is added here. */
    private static final String[] ENGINES = {"io.vipkeeper.appliance.ipvs..", "io.vipkeeper.appliance.nftables.."};

    @ArchTest
    static final ArchRule vrrpNeverImportsTheAppliance = noClasses().that().resideInAPackage("io.vipkeeper.vrrp..")
            .should().dependOnClassesThat().resideInAPackage("io.vipkeeper.appliance..")
            .because("the VRRP library is usable without the appliance");

    @ArchTest
    static final ArchRule configImportsNoEngine = noClasses().that().resideInAPackage("io.vipkeeper.appliance.config..")
            .should().dependOnClassesThat().resideInAnyPackage(ENGINES)
            .because("a config must read the same whichever engine runs it");

    @ArchTest
    static final ArchRule dataPlaneModelImportsNoEngine = classes().that()
            .resideInAPackage("io.vipkeeper.appliance.dataplane..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.netty.util..",
                    "io.vipkeeper.appliance", "io.vipkeeper.appliance.dataplane..")
            .because("the neutral model sits between pool policy and every engine and depends on neither");

    @ArchTest
    static final ArchRule apiDoesNotImportTheDaemon = noClasses().that().resideInAPackage("io.vipkeeper.appliance.api..")
            .should().dependOnClassesThat().resideInAPackage("io.vipkeeper.appliance.daemon..")
            .because("the daemon starts the API and feeds it through StatusInputs; api and daemon must not be"
                    + " mutually dependent");

    @ArchTest
    static final ArchRule apiAndHealthReadNoEngine = noClasses().that()
            .resideInAnyPackage("io.vipkeeper.appliance.api..", "io.vipkeeper.appliance.health..")
            .should().dependOnClassesThat().resideInAnyPackage(ENGINES)
            .because("status, metrics and health speak the neutral model");

    @ArchTest
    static final ArchRule onlyTheEngineAndItsOpenersSpeakNetlink = noClasses().that()
            .resideOutsideOfPackages("io.vipkeeper.appliance.ipvs..", "io.vipkeeper.appliance.daemon..",
                    "io.vipkeeper.appliance.cli..")
            .should().dependOnClassesThat().resideInAPackage("io.vipkeeper.appliance.ipvs.genl..")
            .because("kernel numbers and messages stay inside the engine; the daemon and the CLI only open it");

    @ArchTest
    static final ArchRule theKeepalivedImportUsesTheJdkOnly = classes().that()
            .resideInAPackage("io.vipkeeper.appliance.keepalived..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.vipkeeper.appliance.keepalived..")
            .because("an import only writes text; the ordinary checker judges it, so it cannot grow a second reading "
                    + "of the config");

    @ArchTest
    static final ArchRule appliancePackagesAreFreeOfCycles = slices().matching("io.vipkeeper.appliance.(*)..")
            .should().beFreeOfCycles()
            .because("each package's job leans on the ones below it (appliance/DESIGN.md), never back");
}
