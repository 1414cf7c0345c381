package io.kubeactor.controlplane.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The control plane's layers, read from the top down: the HTTP layer (apiserver) over the registry
 * (admission, defaulting, validation, patches, decoding) over the store; components (controllers,
 * the scheduler) read and write cluster state only through the client layer (informers, the
 * writer, deliberate fresh reads), never through the store, and only the client layer, the API
 * server and the wiring (ControlPlane) hold the registry. api/ is the vocabulary every layer
 * shares. The node gateway's relay serves agents lists and watches as the API server serves
 * clients, so it alone outside the server may read the watch cache. Each rule keeps an arrow from
 * turning back up.
 */
class LayeringTest {

  static final String ROOT = "io.kubeactor.controlplane";

  static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(ROOT);

  @Test
  void controllersAndTheSchedulerNeverReachIntoTheStore() {
    noClasses().that().resideInAnyPackage(ROOT + ".controller..", ROOT + ".scheduler..", ROOT + ".dns..",
            ROOT + ".events..", ROOT + ".node..", ROOT + ".autoscaler..")
        .and().haveNameNotMatching(ROOT.replace(".", "\\.") + "\\.node\\.ObjectRelay(\\$.*)?")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".store..")
        .because("components read through the client layer's informers and fresh reads, and write through its writer")
        .check(CLASSES);
  }

  @Test
  void onlyTheApiServerTheClientLayerAndTheWiringHoldTheRegistry() {
    noClasses().that().resideOutsideOfPackages(ROOT + ".registry..", ROOT + ".apiserver..", ROOT + ".client..")
        .and().doNotHaveFullyQualifiedName(ROOT + ".ControlPlane")
        .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".registry.Registry")
        .because("components write through the client layer's ApiWriter, which takes each write through the registry"
            + " as a client's request is taken, and read through its informers and fresh reads")
        .check(CLASSES);
  }

  @Test
  void theRegistryNeverImportsTheHttpLayer() {
    noClasses().that().resideInAPackage(ROOT + ".registry..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".apiserver..")
        .check(CLASSES);
  }

  @Test
  void theStoreKnowsNothingAboveIt() {
    noClasses().that().resideInAPackage(ROOT + ".store..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".api..", ROOT + ".registry..", ROOT + ".apiserver..",
            ROOT + ".client..", ROOT + ".controller..", ROOT + ".scheduler..", ROOT + ".node..")
        .check(CLASSES);
  }

  @Test
  void theClientLayerServesComponentsAndNeverDependsOnThem() {
    noClasses().that().resideInAPackage(ROOT + ".client..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".apiserver..", ROOT + ".controller..",
            ROOT + ".scheduler..", ROOT + ".node..")
        .check(CLASSES);
  }

  @Test
  void theApiVocabularyStandsOnNothingElseOfTheControlPlane() {
    noClasses().that().resideInAPackage(ROOT + ".api..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".store..", ROOT + ".registry..",
            ROOT + ".apiserver..", ROOT + ".client..", ROOT + ".controller..", ROOT + ".scheduler..", ROOT + ".node..")
        .check(CLASSES);
  }

  @Test
  void controllersAndTheSchedulerNeverReachIntoEachOther() {
    noClasses().that().resideInAPackage(ROOT + ".controller..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".scheduler..")
        .orShould().dependOnClassesThat().resideInAPackage(ROOT + ".node..")
        .because("what controllers share with the scheduler (tolerations, node affinity, volume binding) lives in api/")
        .check(CLASSES);
    noClasses().that().resideInAPackage(ROOT + ".scheduler..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".controller..", ROOT + ".node..")
        .check(CLASSES);
  }
}
