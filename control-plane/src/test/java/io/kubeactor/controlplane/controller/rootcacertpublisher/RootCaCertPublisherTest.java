package io.kubeactor.controlplane.controller.rootcacertpublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.ControllerSettings;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RootCaCertPublisherTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBcluster\n-----END CERTIFICATE-----\n";

  private final ControllerFixture fixture =
      new ControllerFixture(ControllerSettings.defaults().withRootCa(CA), Clock.systemUTC());

  @AfterEach
  void close() {
    fixture.close();
  }

  private ConfigMap rootCa(String namespace) {
    return fixture.get(ConfigMap.class, namespace, "kube-root-ca.crt");
  }

  @Test
  void everyNamespaceGetsTheClusterCaAndKeepsIt() {
    fixture.start(new RootCaCertPublisher(fixture.context));
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: team-a}}");

    for (String ns : new String[] {"default", "kube-system", "team-a"}) {
      await().untilAsserted(() -> {
        ConfigMap cm = rootCa(ns);
        assertThat(cm).isNotNull();
        assertThat(cm.getData()).isEqualTo(Map.of("ca.crt", CA));
        assertThat(cm.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description",
            "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such "
                + "as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
                + "distributions of Kubernetes clusters.");
      });
    }

    fixture.delete("v1", "ConfigMap", "team-a", "kube-root-ca.crt", null);
    await().until(() -> rootCa("team-a") != null);

    ConfigMap changed = rootCa("team-a");
    changed.setData(Map.of("ca.crt", "not the CA"));
    fixture.update(changed);
    await().until(() -> CA.equals(rootCa("team-a").getData().get("ca.crt")));
  }

  @Test
  void withoutACaNothingIsPublished() {
    var quiet = new ControllerFixture();
    try {
      var controller = quiet.start(new RootCaCertPublisher(quiet.context));
      quiet.awaitReconciled(controller, "default");
      assertThat(quiet.get(ConfigMap.class, "default", "kube-root-ca.crt")).isNull();
    } finally {
      quiet.close();
    }
  }
}
