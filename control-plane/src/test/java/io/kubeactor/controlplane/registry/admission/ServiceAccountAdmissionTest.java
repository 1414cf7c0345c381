package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.defaulted;
import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.registry.strategy.AdmissionReads;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategies;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceAccountAdmissionTest {

  private final Map<String, ObjectNode> accounts = new HashMap<>(Map.of(
      "default", yaml("{apiVersion: v1, kind: ServiceAccount, metadata: {name: default, namespace: team-a}}")));

  private ObjectNode admitted(String manifest) {
    ObjectNode pod = defaulted(manifest);
    ServiceAccountAdmission.admit(pod, accounts::get, true, () -> "x7k2p");
    return pod;
  }

  @Test
  void aPodGetsTheDefaultAccountAndItsTokenVolumeInEveryContainer() {
    ObjectNode pod = admitted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: team-a}
        spec:
          initContainers: [{name: init, image: busybox}]
          containers: [{name: app, image: nginx}, {name: sidecar, image: busybox}]
        """);

    JsonNode spec = pod.get("spec");
    assertThat(spec.get("serviceAccountName").asText()).isEqualTo("default");
    assertThat(Json.string(spec.get("volumes"))).isEqualTo("[{\"name\":\"kube-api-access-x7k2p\",\"projected\":{"
        + "\"defaultMode\":420,\"sources\":[{\"serviceAccountToken\":{\"expirationSeconds\":3607,\"path\":\"token\"}},"
        + "{\"configMap\":{\"name\":\"kube-root-ca.crt\",\"items\":[{\"key\":\"ca.crt\",\"path\":\"ca.crt\"}]}},"
        + "{\"downwardAPI\":{\"items\":[{\"path\":\"namespace\",\"fieldRef\":{\"apiVersion\":\"v1\","
        + "\"fieldPath\":\"metadata.namespace\"}}]}}]}}]");
    String mount = "[{\"name\":\"kube-api-access-x7k2p\",\"readOnly\":true,"
        + "\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]";
    assertThat(Json.string(spec.at("/initContainers/0/volumeMounts"))).isEqualTo(mount);
    assertThat(Json.string(spec.at("/containers/0/volumeMounts"))).isEqualTo(mount);
    assertThat(Json.string(spec.at("/containers/1/volumeMounts"))).isEqualTo(mount);
  }

  @Test
  void theAdmittedPodIsValid() {
    ObjectNode pod = admitted("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {containers: [{name: app, image: nginx}]}}");

    assertThat(Admission.create(pod)).isEmpty();
  }

  @Test
  void aPodThatTurnsAutomountOffGetsNoToken() {
    ObjectNode pod = admitted("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {automountServiceAccountToken: false, containers: [{name: app, image: nginx}]}}");

    assertThat(pod.get("spec").has("volumes")).isFalse();
    assertThat(pod.at("/spec/containers/0").has("volumeMounts")).isFalse();
  }

  @Test
  void anAccountThatTurnsAutomountOffGivesNoTokenUnlessThePodAsks() {
    accounts.put("robot", yaml("{apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, namespace: team-a}, "
        + "automountServiceAccountToken: false}"));

    ObjectNode quiet = admitted("{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: team-a}, "
        + "spec: {serviceAccountName: robot, containers: [{name: app, image: nginx}]}}");
    ObjectNode asking = admitted("{apiVersion: v1, kind: Pod, metadata: {name: b, namespace: team-a}, "
        + "spec: {serviceAccountName: robot, automountServiceAccountToken: true, containers: [{name: app, image: nginx}]}}");

    assertThat(quiet.get("spec").has("volumes")).isFalse();
    assertThat(asking.at("/spec/volumes/0/name").asText()).isEqualTo("kube-api-access-x7k2p");
  }

  @Test
  void aContainerWithItsOwnMountAtThePathKeepsIt() {
    ObjectNode pod = admitted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: team-a}
        spec:
          volumes: [{name: mine, emptyDir: {}}]
          containers:
          - {name: own, image: nginx, volumeMounts: [{name: mine, mountPath: /var/run/secrets/kubernetes.io/serviceaccount}]}
          - {name: app, image: nginx}
        """);

    assertThat(pod.at("/spec/containers/0/volumeMounts").size()).isEqualTo(1);
    assertThat(pod.at("/spec/containers/0/volumeMounts/0/name").asText()).isEqualTo("mine");
    assertThat(pod.at("/spec/containers/1/volumeMounts/0/name").asText()).isEqualTo("kube-api-access-x7k2p");
    assertThat(pod.at("/spec/volumes").size()).isEqualTo(2);
  }

  @Test
  void aPodNamingAMissingAccountIsForbidden() {
    assertThatThrownBy(() -> admitted("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {serviceAccountName: builder, containers: [{name: app, image: nginx}]}}"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(403);
          assertThat(e.reason).isEqualTo("Forbidden");
          assertThat(e.getMessage()).isEqualTo("pods \"web\" is forbidden: error looking up service account "
              + "team-a/builder: serviceaccount \"builder\" not found");
        });
  }

  @Test
  void aGeneratedPodIsNamedByItsPrefixAsUpstreamsAdmissionSeesIt() {
    assertThatThrownBy(() -> admitted("{apiVersion: v1, kind: Pod, metadata: {name: web-7d9c8-b4x2q, "
        + "generateName: web-7d9c8-, namespace: team-a}, spec: {serviceAccountName: builder, "
        + "containers: [{name: app, image: nginx}]}}"))
        .hasMessageStartingWith("pods \"web-7d9c8-\" is forbidden: ");
  }

  @Test
  void withTokensOffThePluginOnlyNamesTheAccountAndCopiesItsPullSecrets() {
    accounts.put("default", yaml("{apiVersion: v1, kind: ServiceAccount, metadata: {name: default, namespace: team-a}, "
        + "imagePullSecrets: [{name: regcred}]}"));
    ObjectNode pod = defaulted("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {containers: [{name: app, image: nginx}]}}");
    ObjectNode missingAccount = defaulted("{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {serviceAccountName: builder, containers: [{name: app, image: nginx}]}}");

    ServiceAccountAdmission.admit(pod, accounts::get, false, () -> "x7k2p");
    ServiceAccountAdmission.admit(missingAccount, accounts::get, false, () -> "x7k2p");

    assertThat(pod.get("spec").has("volumes")).isFalse();
    assertThat(Json.string(pod.at("/spec/imagePullSecrets"))).isEqualTo("[{\"name\":\"regcred\"}]");
    assertThat(missingAccount.get("spec").has("volumes")).isFalse();
  }

  @Test
  void thePodStrategyRunsThePluginAsTheClustersSettingsSay() {
    AdmissionReads cluster = new AdmissionReads() {
      @Override public Collection<ObjectNode> storageClasses() { return List.of(); }
      @Override public Collection<ObjectNode> ingressClasses() { return List.of(); }
      @Override public ObjectNode serviceAccount(String namespace, String name) {
        return namespace.equals("team-a") ? accounts.get(name) : null;
      }
      @Override public boolean hasVerticalPodAutoscalers(String namespace) { return false; }
      @Override public Collection<ObjectNode> verticalPodAutoscalers(String namespace) { return List.of(); }
      @Override public ObjectNode vpaTarget(JsonNode targetRef, String namespace) { return null; }
    };
    String manifest = "{apiVersion: v1, kind: Pod, metadata: {name: web, namespace: team-a}, "
        + "spec: {containers: [{name: app, image: nginx}]}}";
    ObjectNode on = defaulted(manifest);
    ObjectNode off = defaulted(manifest);
    var strategy = ResourceStrategies.of(Admission.typeOf(on));

    strategy.admit(on, cluster, AdmissionSettings.defaults().withServiceAccountTokens(true));
    strategy.admit(off, cluster, AdmissionSettings.defaults());

    assertThat(on.at("/spec/volumes/0/name").asText()).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(off.get("spec").has("volumes")).isFalse();
  }

  @Test
  void anAccountEnforcingMountableSecretsRefusesOthers() {
    accounts.put("strict", yaml("{apiVersion: v1, kind: ServiceAccount, metadata: {name: strict, namespace: team-a, "
        + "annotations: {kubernetes.io/enforce-mountable-secrets: 'true'}}, secrets: [{name: allowed}]}"));

    ObjectNode ok = admitted("{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: team-a}, spec: {serviceAccountName: "
        + "strict, volumes: [{name: s, secret: {secretName: allowed}}], containers: [{name: app, image: nginx}]}}");
    assertThat(ok.at("/spec/volumes").size()).isEqualTo(2);
    assertThatThrownBy(() -> admitted("{apiVersion: v1, kind: Pod, metadata: {name: b, namespace: team-a}, spec: "
        + "{serviceAccountName: strict, containers: [{name: app, image: nginx, env: [{name: PASSWORD, valueFrom: "
        + "{secretKeyRef: {name: db, key: password}}}]}]}}"))
        .hasMessage("pods \"b\" is forbidden: container app with envVar PASSWORD referencing secret.secretName=\"db\" "
            + "is not allowed because service account strict does not reference that secret");
  }
}
