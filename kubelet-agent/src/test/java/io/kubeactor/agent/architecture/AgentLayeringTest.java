package io.kubeactor.agent.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The agent talks to the control plane only through the cluster protocol in common/, never its classes. */
class AgentLayeringTest {

  @Test
  void theAgentNeverImportsTheControlPlane() {
    noClasses().that().resideInAPackage("io.kubeactor.agent..")
        .should().dependOnClassesThat().resideInAPackage("io.kubeactor.controlplane..")
        .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kubeactor.agent"));
  }
}
