package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

class PodValidationTest {

  private static String pod(String spec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void aMinimalPodIsValid() {
    assertThat(create(pod("containers: [{name: web, image: nginx}]"))).isEmpty();
  }

  @Test
  void containersAreRequired() {
    assertThat(create(pod("containers: []")))
        .containsExactly(new ApiException.Cause("FieldValueRequired", "Required value", "spec.containers"));
  }

  @Test
  void containerNamesAreUniqueDnsLabelsAndImagesRequired() {
    assertThat(printed(create(pod("""
        containers:
        - {name: Web, image: nginx}
        - {name: side, image: busybox}
        - {name: side}
        """)))).containsExactly(
        "spec.containers[0].name: Invalid value: \"Web\": a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[2].image: Required value",
        "spec.containers[2].name: Duplicate value: \"side\"");
  }

  @Test
  void initContainerNamesMayNotRepeatRegularOnes() {
    assertThat(printed(create(pod("""
        containers: [{name: web, image: nginx}]
        initContainers: [{name: web, image: busybox, livenessProbe: {exec: {command: [true]}}}]
        """)))).containsExactly(
        "spec.initContainers[0].name: Duplicate value: \"web\"",
        "spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always");
  }

  @Test
  void portsAreInRangeWithKnownProtocolsAndUniqueNames() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          ports:
          - {name: http, containerPort: 70000}
          - {name: http, containerPort: 8080, protocol: HTTP}
          - {name: Metrics_Port_Number, containerPort: 9090, hostPort: -1}
        """)))).containsExactly(
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[1].name: Duplicate value: \"http\"",
        "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "spec.containers[0].ports[2].name: Invalid value: \"Metrics_Port_Number\": must be no more than 15 characters",
        "spec.containers[0].ports[2].name: Invalid value: \"Metrics_Port_Number\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.containers[0].ports[2].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive");
  }

  @Test
  void twoContainersMayNotShareAHostPort() {
    assertThat(printed(create(pod("""
        containers:
        - {name: a, image: nginx, ports: [{containerPort: 80, hostPort: 8080}]}
        - {name: b, image: nginx, ports: [{containerPort: 81, hostPort: 8080}]}
        """)))).containsExactly("spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\"");
  }

  @Test
  void restartPolicyMustBeKnown() {
    assertThat(create(pod("""
        restartPolicy: Sometimes
        containers: [{name: web, image: nginx}]
        """))).containsExactly(new ApiException.Cause("FieldValueNotSupported",
        "Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"", "spec.restartPolicy"));
  }

  @Test
  void requestsMayNotExceedLimits() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          resources:
            requests: {cpu: "2", memory: 1.5Gi}
            limits: {cpu: "1", memory: 1Gi}
        """)))).containsExactly(
        "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
        "spec.containers[0].resources.requests: Invalid value: \"1536Mi\": must be less than or equal to memory limit of 1Gi");
  }

  @Test
  void resourcesAreKnownAndNonNegative() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          resources:
            requests: {cpu: -100m, gpu: "1"}
        """)))).containsExactly(
        "spec.containers[0].resources.requests[cpu]: Invalid value: \"-100m\": must be greater than or equal to 0",
        "spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource type or fully qualified",
        "spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for containers");
  }

  @Test
  void extendedResourcesAreWholeAndRequestedAsLimited() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          resources:
            requests: {example.com/gpu: 500m}
        """)))).containsExactly(
        "spec.containers[0].resources.requests[example.com/gpu]: Invalid value: 500m: must be an integer",
        "spec.containers[0].resources.limits: Required value: Limit must be set for non overcommitable resources");
  }

  @Test
  void probesNeedExactlyOneHandler() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          livenessProbe:
            httpGet: {port: 80}
            tcpSocket: {port: 80}
            successThreshold: 2
          readinessProbe:
            periodSeconds: 5
          startupProbe:
            httpGet: {port: http-web, scheme: FTP}
        """)))).containsExactly(
        "spec.containers[0].livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe: Required value: must specify a handler type",
        "spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"");
  }

  @Test
  void probePortsAreNumbersInRangeOrServiceNames() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          livenessProbe: {tcpSocket: {port: 0}}
          readinessProbe: {httpGet: {port: "8080"}}
        """)))).containsExactly(
        "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.containers[0].readinessProbe.httpGet.port: Invalid value: \"8080\": must contain at least one letter (a-z)");
  }

  @Test
  void volumeMountsNameADeclaredVolume() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          volumeMounts:
          - {name: data, mountPath: /data}
          - {name: cache, mountPath: /data, subPath: ../etc}
        volumes:
        - {name: cache, emptyDir: {}}
        - {name: Bad, hostPath: {path: /x}, emptyDir: {}}
        """)))).containsExactly(
        "spec.volumes[1].hostPath: Forbidden: may not specify more than 1 volume type",
        "spec.volumes[1].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
        "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique",
        "spec.containers[0].volumeMounts.subPath: Invalid value: \"../etc\": must not contain '..'");
  }

  @Test
  void volumeDevicesAreClaimsAtAPathOfTheirOwn() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          volumeMounts:
          - {name: cache, mountPath: /data}
          volumeDevices:
          - {name: block}
          - {name: cache, devicePath: /data}
          - {name: missing, devicePath: /dev/xvda}
          - {name: block, devicePath: /dev/../xvdb}
        volumes:
        - {name: cache, emptyDir: {}}
        - {name: block, persistentVolumeClaim: {claimName: disk}}
        """)))).containsExactly(
        "spec.containers[0].volumeDevices[0].devicePath: Required value",
        "spec.containers[0].volumeDevices[1].name: Invalid value: \"cache\": can only use volume source type of "
            + "PersistentVolumeClaim or Ephemeral for block mode",
        "spec.containers[0].volumeDevices[1].name: Invalid value: \"cache\": must not already exist in volumeMounts",
        "spec.containers[0].volumeDevices[1].devicePath: Invalid value: \"/data\": must not already exist as a path in volumeMounts",
        "spec.containers[0].volumeDevices[2].name: Not found: \"missing\"",
        "spec.containers[0].volumeDevices[3].name: Invalid value: \"block\": must be unique",
        "spec.containers[0].volumeDevices[3].devicePath: Invalid value: \"/dev/../xvdb\": can not contain backsteps ('..')");
  }

  @Test
  void securityProfilesNeedAKnownTypeAndLocalhostItsProfile() {
    assertThat(printed(create(pod("""
        securityContext:
          seccompProfile: {localhostProfile: profiles/audit.json}
          appArmorProfile: {type: Localhost}
        containers:
        - name: web
          image: nginx
          securityContext:
            seccompProfile: {type: Strict}
        """)))).containsExactly(
        "spec.containers[0].securityContext.seccompProfile.type: Unsupported value: \"Strict\": supported values: "
            + "\"Localhost\", \"RuntimeDefault\", \"Unconfined\"",
        "spec.securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set",
        "spec.securityContext.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost");
  }

  @Test
  void environmentVariablesNeedANameAndOneSource() {
    assertThat(printed(create(pod("""
        containers:
        - name: web
          image: nginx
          env:
          - {name: "", value: x}
          - {name: "A=B", value: x}
          - {name: C, valueFrom: {}}
          - name: D
            valueFrom: {configMapKeyRef: {name: settings, key: "bad key"}}
        """)))).containsExactly(
        "spec.containers[0].env[0].name: Required value",
        "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of "
            + "printable ASCII characters other than '='",
        "spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, "
            + "`configMapKeyRef` or `secretKeyRef`",
        "spec.containers[0].env[3].valueFrom.configMapKeyRef.key: Invalid value: \"bad key\": a valid config key must consist "
            + "of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for "
            + "validation is '[-._a-zA-Z0-9]+')");
  }

  @Test
  void tolerationsAreChecked() {
    assertThat(printed(create(pod("""
        containers: [{name: web, image: nginx}]
        tolerations:
        - {operator: Equal, value: x}
        - {key: dedicated, operator: Exists, value: gpu, effect: NoSchedule, tolerationSeconds: 10}
        """)))).containsExactly(
        "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means "
            + "\"match all values and all keys\"",
        "spec.tolerations[1].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        "spec.tolerations[1].operator: Invalid value: \"gpu\": value must be empty when `operator` is 'Exists'");
  }

  @Test
  void ephemeralContainersCannotBeSetOnCreate() {
    assertThat(printed(create(pod("""
        containers: [{name: web, image: nginx}]
        ephemeralContainers: [{name: debug, image: busybox}]
        """)))).containsExactly("spec.ephemeralContainers: Forbidden: cannot be set on create");
  }

  @Test
  void anUpdateMayChangeImagesButNotOtherSpecFields() {
    String before = pod("containers: [{name: web, image: nginx:1.26}]");
    assertThat(update(before, pod("containers: [{name: web, image: nginx:1.27}]"))).isEmpty();
    var causes = update(before, pod("containers: [{name: web, image: nginx:1.26, args: [--debug]}]"));
    assertThat(causes).hasSize(1);
    assertThat(causes.get(0).field()).isEqualTo("spec");
    assertThat(causes.get(0).reason()).isEqualTo("FieldValueForbidden");
    assertThat(causes.get(0).message()).startsWith("Forbidden: pod updates may not change fields other than "
        + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
        + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
        + "was previously negative)\n")
        .contains("containers[0].args");
  }

  @Test
  void anUpdateMayNotAddContainers() {
    assertThat(printed(update(pod("containers: [{name: web, image: nginx}]"),
        pod("containers: [{name: web, image: nginx}, {name: side, image: busybox}]"))))
        .containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
  }
}
