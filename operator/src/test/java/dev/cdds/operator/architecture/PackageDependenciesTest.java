package dev.cdds.operator.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The map of docs/architecture.md, enforced: dependencies between the product's packages point one
 * way, and the operator and the exporter never use each other.
 */
class PackageDependenciesTest {
  private static JavaClasses product;

  @BeforeAll
  static void importProduct() {
    product =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.cdds.operator");
  }

  @Test
  void noPackageCycle() {
    slices().matching("dev.cdds.operator.(**)").should().beFreeOfCycles().check(product);
  }

  @Test
  void layersDependOnlyOnTheLayersBelow() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("api")
        .definedBy("dev.cdds.operator.api..")
        .layer("schedule")
        .definedBy("dev.cdds.operator.schedule..")
        .layer("runcontract")
        .definedBy("dev.cdds.operator.runcontract..")
        .layer("storage")
        .definedBy("dev.cdds.operator.storage..")
        .layer("retention")
        .definedBy("dev.cdds.operator.retention..")
        .layer("notification")
        .definedBy("dev.cdds.operator.notification..")
        .layer("reconciler")
        .definedBy("dev.cdds.operator.reconciler..")
        .layer("exporter")
        .definedBy("dev.cdds.operator.exporter..")
        .layer("plugin")
        .definedBy("dev.cdds.operator.plugin..")
        .layer("entrypoint")
        .definedBy("dev.cdds.operator.entrypoint..")
        .whereLayer("entrypoint")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("plugin")
        .mayOnlyBeAccessedByLayers("entrypoint")
        .whereLayer("reconciler")
        .mayOnlyBeAccessedByLayers("entrypoint")
        .whereLayer("exporter")
        .mayOnlyBeAccessedByLayers("entrypoint", "plugin")
        .whereLayer("retention")
        .mayOnlyBeAccessedByLayers("reconciler", "entrypoint")
        .whereLayer("notification")
        .mayOnlyBeAccessedByLayers("reconciler")
        .whereLayer("storage")
        .mayOnlyBeAccessedByLayers("retention", "reconciler", "exporter", "plugin", "entrypoint")
        .whereLayer("runcontract")
        .mayOnlyBeAccessedByLayers(
            "storage", "retention", "reconciler", "exporter", "plugin", "entrypoint")
        .whereLayer("schedule")
        .mayOnlyBeAccessedByLayers(
            "runcontract", "storage", "retention", "reconciler", "exporter", "plugin", "entrypoint")
        .check(product);
  }
}
