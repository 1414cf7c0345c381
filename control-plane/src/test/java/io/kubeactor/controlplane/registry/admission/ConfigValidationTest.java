package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

  @Test
  void configMapKeysAreValidConfigKeys() {
    assertThat(create("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default},
         data: {app.properties: x, LOG_LEVEL: debug, -x_: y}}
        """)).isEmpty();
    assertThat(printed(create("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default},
         data: {"bad key": x, "..hidden": y}, binaryData: {"..hidden": eQ==}}
        """))).containsExactly(
        "data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' "
            + "or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        "data[..hidden]: Invalid value: \"..hidden\": must not start with '..'",
        "data[..hidden]: Invalid value: \"..hidden\": duplicate of key present in binaryData",
        "binaryData[..hidden]: Invalid value: \"..hidden\": must not start with '..'");
  }

  @Test
  void configMapsHoldAtMostOneMebibyte() {
    ObjectNode configMap = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}}");
    configMap.putObject("data").put("big", "x".repeat(1024 * 1024 + 1));
    assertThat(create(configMap))
        .containsExactly(new ApiException.Cause("FieldValueTooLong", "Too long: may not be more than 1048576 bytes", "[]"));
  }

  @Test
  void immutableConfigMapsKeepTheirData() {
    String before = "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}, immutable: true, data: {a: '1'}}";
    assertThat(update(before, before)).isEmpty();
    assertThat(printed(update(before,
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}, data: {a: '2'}}"))).containsExactly(
        "immutable: Forbidden: field is immutable when `immutable` is set",
        "data: Forbidden: field is immutable when `immutable` is set");
  }

  @Test
  void secretKeysIncludeStringData() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default},
         data: {password: cGFzcw==}, stringData: {"..": x}}
        """))).containsExactly("data[..]: Invalid value: \"..\": must not be '..'");
  }

  @Test
  void typedSecretsNeedTheirKeys() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}, type: kubernetes.io/tls, data: {tls.crt: eA==}}
        """))).containsExactly("data[tls.key]: Required value");
    assertThat(printed(create("""
        {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}, type: kubernetes.io/dockerconfigjson}
        """))).containsExactly("data[.dockerconfigjson]: Required value");
    assertThat(create("""
        {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}, type: kubernetes.io/dockerconfigjson,
         stringData: {.dockerconfigjson: '{"auths":{}}'}}
        """)).isEmpty();
  }

  @Test
  void aSecretKeepsItsType() {
    assertThat(printed(update(
        "{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}, data: {tls.crt: eA==, tls.key: eA==}}",
        "{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}, type: kubernetes.io/tls, data: {tls.crt: eA==, tls.key: eA==}}")))
        .containsExactly("type: Invalid value: \"kubernetes.io/tls\": field is immutable");
  }

  @Test
  void namespaceFinalizersMustBeKnownOrQualified() {
    assertThat(printed(create("{apiVersion: v1, kind: Namespace, metadata: {name: ns}, spec: {finalizers: [cleanup]}}")))
        .containsExactly("spec.finalizers: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified");
  }

  @Test
  void claimsNeedAccessModesAndStorage() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data, namespace: default}, spec: {volumeMode: Tape}}
        """))).containsExactly(
        "spec.accessModes: Required value: at least 1 access mode is required",
        "spec.resources[storage]: Required value",
        "spec.volumeMode: Unsupported value: \"Tape\": supported values: \"Block\", \"Filesystem\"");
  }

  @Test
  void autoscalerBounds() {
    assertThat(printed(create("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: default}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 2
        """))).containsExactly("spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`");
  }

  @Test
  void nodeTaintsAreReportedUnderMetadataAsKubernetesDoes() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: Node, metadata: {name: n1},
         spec: {taints: [{key: dedicated, value: gpu, effect: Sometimes}, {key: dedicated, effect: NoSchedule},
                         {key: dedicated, value: x, effect: NoSchedule}]}}
        """))).containsExactly(
        "metadata.taints[0].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
        "metadata.taints[2]: Duplicate value: core.Taint{Key:\"dedicated\", Value:\"x\", Effect:\"NoSchedule\", "
            + "TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair");
  }

  @Test
  void aNodesConfigSourceNamesOneConfigMapInFull() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: Node, metadata: {name: n1}, spec: {configSource: {configMap: {uid: u}}}}
        """))).containsExactly(
        "spec.configSource.configMap.uid: Forbidden: uid must not be set in spec",
        "spec.configSource.configMap.namespace: Required value: namespace must be set",
        "spec.configSource.configMap.name: Required value: name must be set",
        "spec.configSource.configMap.kubeletConfigKey: Required value: kubeletConfigKey must be set");
    assertThat(printed(create("""
        {apiVersion: v1, kind: Node, metadata: {name: n1},
         spec: {configSource: {configMap: {namespace: kube-system, name: kubelet, kubeletConfigKey: kubelet}}}}
        """))).isEmpty();
  }

  @Test
  void aStatefulSetsMountsAndDevicesNameTheirPaths() {
    assertThat(printed(create("""
        {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: web, namespace: default},
         spec: {selector: {matchLabels: {app: web}}, serviceName: web,
                template: {metadata: {labels: {app: web}},
                           spec: {containers: [{name: c, image: i, volumeDevices: [{name: www}],
                                                volumeMounts: [{name: www, mountPath: /data}]}]}}}}
        """))).containsExactly("spec.template.spec.containers[0].volumeDevices[0].devicePath: Required value");
  }
}
