package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.defaulted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DefaulterTest {

  private static Object tree(JsonNode node) {
    return Json.MAPPER.convertValue(node, Object.class);
  }

  private static void assertSame(JsonNode actual, String expectedYaml) {
    assertThat(tree(actual)).isEqualTo(tree(Admission.node(expectedYaml)));
  }

  @Test
  void aControllerRevisionWithoutRevisionIsStoredWithZeroAsGoWritesIt() {
    ObjectNode revision = defaulted("""
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata: {name: web-1, namespace: default}
        data: {}
        """);
    assertThat(revision.path("revision").isIntegralNumber()).isTrue();
    assertThat(revision.path("revision").asLong()).isZero();
  }

  @Test
  void podGetsSpecContainerProbeVolumeAndAdmissionDefaults() {
    ObjectNode pod = defaulted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: web
            image: nginx
            ports: [{containerPort: 80}]
            env:
            - name: NODE
              valueFrom: {fieldRef: {fieldPath: spec.nodeName}}
            livenessProbe:
              httpGet: {port: 80}
            readinessProbe:
              tcpSocket: {port: 80}
              periodSeconds: 5
          volumes:
          - name: scratch
          - name: config
            configMap: {name: web-config}
        """);
    assertSame(pod, """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: web
            image: nginx
            imagePullPolicy: Always
            terminationMessagePath: /dev/termination-log
            terminationMessagePolicy: File
            resources: {}
            ports: [{containerPort: 80, protocol: TCP}]
            env:
            - name: NODE
              valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.nodeName}}
            livenessProbe:
              httpGet: {path: /, port: 80, scheme: HTTP}
              timeoutSeconds: 1
              periodSeconds: 10
              successThreshold: 1
              failureThreshold: 3
            readinessProbe:
              tcpSocket: {port: 80}
              timeoutSeconds: 1
              periodSeconds: 5
              successThreshold: 1
              failureThreshold: 3
          volumes:
          - name: scratch
            emptyDir: {}
          - name: config
            configMap: {name: web-config, defaultMode: 420}
          dnsPolicy: ClusterFirst
          restartPolicy: Always
          schedulerName: default-scheduler
          securityContext: {}
          terminationGracePeriodSeconds: 30
          enableServiceLinks: true
          serviceAccountName: default
          serviceAccount: default
          priority: 0
          preemptionPolicy: PreemptLowerPriority
          tolerations:
          - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
          - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
        status:
          phase: Pending
          qosClass: BestEffort
        """);
  }

  @ParameterizedTest
  @CsvSource({
      "nginx, Always",
      "nginx:latest, Always",
      "nginx:1.27, IfNotPresent",
      "registry.local:5000/team/app, Always",
      "registry.local:5000/team/app:v2, IfNotPresent",
      "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, IfNotPresent",
  })
  void imagePullPolicyIsAlwaysOnlyForLatestOrUntaggedImages(String image, String policy) {
    ObjectNode pod = defaulted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers: [{name: c, image: "%s"}]
        """.formatted(image));
    assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo(policy);
  }

  @Test
  void valuesTheUserSetAreKept() {
    ObjectNode pod = defaulted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          restartPolicy: Never
          serviceAccountName: builder
          terminationGracePeriodSeconds: 5
          containers: [{name: c, image: "nginx:1.27", imagePullPolicy: Always}]
          tolerations: [{operator: Exists}]
        """);
    assertThat(pod.at("/spec/restartPolicy").asText()).isEqualTo("Never");
    assertThat(pod.at("/spec/serviceAccountName").asText()).isEqualTo("builder");
    assertThat(pod.at("/spec/serviceAccount").asText()).isEqualTo("builder");
    assertThat(pod.at("/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(5);
    assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
    // A toleration of every taint already covers not-ready and unreachable.
    assertThat(pod.at("/spec/tolerations").size()).isEqualTo(1);
  }

  @Test
  void defaultTolerationSecondsComeFromTheClusterSettingAndOnlyForTheTaintsNotYetTolerated() {
    ObjectNode pod = Admission.yaml("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers: [{name: c, image: "nginx:1.27"}]
          tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}]
        """);
    Admission.applyDefaults(pod, new AdmissionSettings(60));
    assertSame(pod.at("/spec/tolerations"), """
        - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 5}
        - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 60}
        """);
  }

  @Test
  void podRequestsDefaultToItsLimitsAndSetTheQosClass() {
    ObjectNode pod = defaulted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers:
          - name: c
            image: nginx
            resources:
              limits: {cpu: 500m, memory: 128Mi}
        """);
    assertSame(pod.at("/spec/containers/0/resources"), """
        limits: {cpu: 500m, memory: 128Mi}
        requests: {cpu: 500m, memory: 128Mi}
        """);
    assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Guaranteed");
  }

  @Test
  void aPodWithRequestsBelowItsLimitsIsBurstable() {
    ObjectNode pod = defaulted("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          containers:
          - name: c
            image: nginx
            resources:
              requests: {cpu: 100m}
              limits: {cpu: "1", memory: 1Gi}
        """);
    assertThat(pod.at("/spec/containers/0/resources/requests/memory").asText()).isEqualTo("1Gi");
    assertThat(pod.at("/status/qosClass").asText()).isEqualTo("Burstable");
  }

  @Test
  void deploymentGetsItsDefaultsAndItsTemplateThePodSpecDefaultsOnly() {
    ObjectNode deployment = defaulted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: nginx:1.27
                resources: {limits: {cpu: "1"}}
        """);
    assertSame(deployment.get("spec"), """
        replicas: 1
        selector: {matchLabels: {app: web}}
        strategy:
          type: RollingUpdate
          rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}
        revisionHistoryLimit: 10
        progressDeadlineSeconds: 600
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: web
              image: nginx:1.27
              imagePullPolicy: IfNotPresent
              terminationMessagePath: /dev/termination-log
              terminationMessagePolicy: File
              resources: {limits: {cpu: "1"}}
            dnsPolicy: ClusterFirst
            restartPolicy: Always
            schedulerName: default-scheduler
            securityContext: {}
            terminationGracePeriodSeconds: 30
        """);
  }

  @Test
  void recreateDeploymentsGetNoRollingUpdate() {
    ObjectNode deployment = defaulted("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          replicas: 3
          strategy: {type: Recreate}
          template: {spec: {containers: [{name: c, image: nginx}]}}
        """);
    assertSame(deployment.at("/spec/strategy"), "type: Recreate");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void replicaSetDefaultsToOneReplica() {
    ObjectNode replicaSet = defaulted("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web, namespace: default}
        spec:
          template: {spec: {containers: [{name: c, image: nginx}]}}
        """);
    assertThat(replicaSet.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(replicaSet.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
  }

  @Test
  void daemonSetRollsOneNodeAtATime() {
    ObjectNode daemonSet = defaulted("""
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: default}
        spec:
          template: {spec: {containers: [{name: c, image: agent}]}}
        """);
    assertSame(daemonSet.at("/spec/updateStrategy"), """
        type: RollingUpdate
        rollingUpdate: {maxUnavailable: 1, maxSurge: 0}
        """);
    assertThat(daemonSet.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
  }

  @Test
  void statefulSetDefaultsIncludingItsClaimTemplates() {
    ObjectNode statefulSet = defaulted("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        """);
    JsonNode spec = statefulSet.get("spec");
    assertThat(spec.get("replicas").asInt()).isEqualTo(1);
    assertThat(spec.get("podManagementPolicy").asText()).isEqualTo("OrderedReady");
    assertThat(spec.get("revisionHistoryLimit").asInt()).isEqualTo(10);
    assertSame(spec.get("updateStrategy"), "{type: RollingUpdate, rollingUpdate: {partition: 0}}");
    assertSame(spec.get("persistentVolumeClaimRetentionPolicy"), "{whenDeleted: Retain, whenScaled: Retain}");
    assertSame(spec.get("volumeClaimTemplates"), """
        - metadata: {name: data}
          spec:
            accessModes: [ReadWriteOnce]
            resources: {requests: {storage: 1Gi}}
            volumeMode: Filesystem
          status: {phase: Pending}
        """);
  }

  @Test
  void clusterIpServiceDefaults() {
    ObjectNode service = defaulted("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          selector: {app: web}
          ports:
          - {name: http, port: 80}
          - {name: metrics, port: 9090, targetPort: metrics}
        """);
    assertSame(service.get("spec"), """
        selector: {app: web}
        ports:
        - {name: http, port: 80, protocol: TCP, targetPort: 80}
        - {name: metrics, port: 9090, protocol: TCP, targetPort: metrics}
        type: ClusterIP
        sessionAffinity: None
        internalTrafficPolicy: Cluster
        """);
  }

  @Test
  void externallyReachableServicesGetAnExternalTrafficPolicy() {
    ObjectNode nodePort = defaulted("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: NodePort, ports: [{port: 80}]}
        """);
    assertThat(nodePort.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");
    ObjectNode loadBalancer = defaulted("""
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: LoadBalancer, sessionAffinity: ClientIP, ports: [{port: 80}]}
        """);
    assertThat(loadBalancer.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");
    assertThat(loadBalancer.at("/spec/allocateLoadBalancerNodePorts").asBoolean()).isTrue();
    assertThat(loadBalancer.at("/spec/sessionAffinityConfig/clientIP/timeoutSeconds").asInt()).isEqualTo(10800);
    ObjectNode externalName = defaulted("""
        apiVersion: v1
        kind: Service
        metadata: {name: db, namespace: default}
        spec: {type: ExternalName, externalName: db.example.com}
        """);
    assertThat(externalName.at("/spec").has("ipFamilies")).isFalse();
    assertThat(externalName.at("/spec").has("internalTrafficPolicy")).isFalse();
  }

  @Test
  void namespaceGetsItsNameLabelFinalizerAndPhase() {
    ObjectNode namespace = defaulted("""
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        """);
    assertSame(namespace, """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: team-a
          labels: {kubernetes.io/metadata.name: team-a}
        spec: {finalizers: [kubernetes]}
        status: {phase: Active}
        """);
  }

  @Test
  void coreKindsWithSimpleDefaults() {
    assertThat(defaulted("{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: default}}").get("type").asText())
        .isEqualTo("Opaque");
    ObjectNode claim = defaulted("""
        {apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: c, namespace: default},
         spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}
        """);
    assertThat(claim.at("/spec/volumeMode").asText()).isEqualTo("Filesystem");
    assertThat(claim.at("/status/phase").asText()).isEqualTo("Pending");
    ObjectNode volume = defaulted("{apiVersion: v1, kind: PersistentVolume, metadata: {name: v}, spec: {hostPath: {path: /data}}}");
    assertThat(volume.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
    ObjectNode node = defaulted("{apiVersion: v1, kind: Node, metadata: {name: n}, status: {capacity: {cpu: '4', pods: '110'}}}");
    assertSame(node.at("/status/allocatable"), "{cpu: '4', pods: '110'}");
    ObjectNode endpoints = defaulted("""
        {apiVersion: v1, kind: Endpoints, metadata: {name: web, namespace: default},
         subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{port: 80}]}]}
        """);
    assertThat(endpoints.at("/subsets/0/ports/0/protocol").asText()).isEqualTo("TCP");
    ObjectNode storageClass = defaulted("{apiVersion: storage.k8s.io/v1, kind: StorageClass, metadata: {name: local}, provisioner: x}");
    assertThat(storageClass.get("reclaimPolicy").asText()).isEqualTo("Delete");
    assertThat(storageClass.get("volumeBindingMode").asText()).isEqualTo("Immediate");
  }

  @Test
  void horizontalPodAutoscalerTargetsEightyPercentCpuByDefault() {
    ObjectNode hpa = defaulted("""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web, namespace: default}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 5
          behavior: {scaleDown: {stabilizationWindowSeconds: 60}}
        """);
    assertSame(hpa.get("spec"), """
        scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
        minReplicas: 1
        maxReplicas: 5
        metrics:
        - type: Resource
          resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 0
            selectPolicy: Max
            policies:
            - {type: Pods, value: 4, periodSeconds: 15}
            - {type: Percent, value: 100, periodSeconds: 15}
          scaleDown:
            stabilizationWindowSeconds: 60
            selectPolicy: Max
            policies:
            - {type: Percent, value: 100, periodSeconds: 15}
        """);
  }

  @Test
  void defaultingTwiceChangesNothing() {
    String manifest = """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, namespace: default}
        spec:
          hostNetwork: true
          containers: [{name: c, image: nginx, ports: [{containerPort: 8080}], resources: {limits: {cpu: "1"}}}]
        """;
    ObjectNode once = defaulted(manifest);
    ObjectNode twice = once.deepCopy();
    Admission.applyDefaults(twice, AdmissionSettings.defaults());
    assertThat(tree(twice)).isEqualTo(tree(once));
    assertThat(once.at("/spec/containers/0/ports/0/hostPort").asInt()).isEqualTo(8080);
  }
}
