package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Kinds without a class of their own, and the demo manifests a user applies first. */
class ServedKindsValidationTest {

  @Test
  void theDemoManifestsAreValid() throws IOException {
    Path demo = Path.of("..", "k8s-demo");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(demo)) {
      files = walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    List<String> checked = new ArrayList<>();
    for (Path file : files) {
      try (var docs = Json.YAML.readerFor(ObjectNode.class).<ObjectNode>readValues(file.toFile())) {
        while (docs.hasNext()) {
          ObjectNode object = docs.next();
          if (object == null || object.isEmpty()) continue;
          if (!object.path("metadata").has("namespace")) object.with("metadata").put("namespace", "default");
          if (!Admission.typeOf(object).namespaced()) object.with("metadata").remove("namespace");
          // as the Service storage hands a Service to validation: clusterIPs follows clusterIP
          ObjectNode spec = (ObjectNode) object.get("spec");
          if (spec != null && object.path("kind").asText().equals("Service") && spec.has("clusterIP") && !spec.has("clusterIPs")) {
            spec.putArray("clusterIPs").add(spec.get("clusterIP").asText());
          }
          assertThat(printed(create(object))).as(file.toString()).isEmpty();
          checked.add(file + " " + object.path("kind").asText());
        }
      }
    }
    assertThat(checked).hasSizeGreaterThanOrEqualTo(files.size());
  }

  private static String lease(String spec) {
    return """
        apiVersion: coordination.k8s.io/v1
        kind: Lease
        metadata: {name: kube-scheduler, namespace: kube-system}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void aLeaseHasAPositiveDurationAndNonNegativeTransitions() {
    assertThat(create(lease("{holderIdentity: a, leaseDurationSeconds: 1, leaseTransitions: 0}"))).isEmpty();
    assertThat(printed(create(lease("{leaseDurationSeconds: 0, leaseTransitions: -1}")))).containsExactly(
        "spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0");
  }
}
