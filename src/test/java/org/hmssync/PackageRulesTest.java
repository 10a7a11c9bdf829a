package org.hmssync;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The shape of the hub, checked: arrows point down only, and no two packages lean on each other.
 *
 * <pre>
 * config (wiring)  commands/ (the jar's commands)
 * cluster/         several hubs sharing the work (cluster mode)
 * ingress/ (HTTP)  broker/ (AMQP)  http/ observe/
 *             runs/      the one door every run of an event goes through
 *         coordinator/   the two-phase protocol only
 * dlq/  adapters/  simulators/
 * ledger/  event/  journal/  settings/  circuits/   below all
 * </pre>
 */
@AnalyzeClasses(packages = "org.hmssync", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {

    @ArchTest
    static final ArchRule noCyclesBetweenPackages = slices().matching("org.hmssync.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule arrowsPointDown = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Wiring").definedBy("org.hmssync", "org.hmssync.config..", "org.hmssync.commands..")
            .layer("Cluster").definedBy("org.hmssync.cluster..")
            .layer("Edges").definedBy("org.hmssync.ingress..", "org.hmssync.broker..", "org.hmssync.http..", "org.hmssync.observe..")
            .layer("Runs").definedBy("org.hmssync.runs..")
            .layer("Coordinator").definedBy("org.hmssync.coordinator..")
            .layer("Parts").definedBy("org.hmssync.dlq..", "org.hmssync.adapters..", "org.hmssync.simulators..")
            .layer("Base").definedBy("org.hmssync.ledger..", "org.hmssync.event..", "org.hmssync.journal..", "org.hmssync.settings..", "org.hmssync.circuits..")
            .whereLayer("Wiring").mayNotBeAccessedByAnyLayer()
            .whereLayer("Cluster").mayOnlyBeAccessedByLayers("Wiring")
            .whereLayer("Edges").mayOnlyBeAccessedByLayers("Wiring", "Cluster")
            .whereLayer("Runs").mayOnlyBeAccessedByLayers("Wiring", "Cluster", "Edges")
            .whereLayer("Coordinator").mayOnlyBeAccessedByLayers("Wiring", "Cluster", "Edges", "Runs")
            .whereLayer("Parts").mayOnlyBeAccessedByLayers("Wiring", "Cluster", "Edges", "Runs")
            .whereLayer("Base").mayOnlyBeAccessedByLayers("Wiring", "Cluster", "Edges", "Runs", "Coordinator", "Parts");

    /** Below all, the base packages stand on nothing of the hub's but each other. */
    @ArchTest
    static final ArchRule theBaseLeansOnNothingAbove = com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
            .that().resideInAnyPackage("org.hmssync.ledger..", "org.hmssync.event..", "org.hmssync.journal..", "org.hmssync.settings..", "org.hmssync.circuits..")
            .should().dependOnClassesThat().resideInAnyPackage("org.hmssync.config..", "org.hmssync.commands..", "org.hmssync.cluster..", "org.hmssync.ingress..", "org.hmssync.broker..",
                    "org.hmssync.http..", "org.hmssync.observe..", "org.hmssync.runs..", "org.hmssync.coordinator..", "org.hmssync.dlq..",
                    "org.hmssync.adapters..", "org.hmssync.simulators..");
}
