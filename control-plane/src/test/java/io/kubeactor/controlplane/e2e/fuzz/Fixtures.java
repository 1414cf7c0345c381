package io.kubeactor.controlplane.e2e.fuzz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.security.certificates.TestRequests;
import java.util.Map;

/**
 * A small valid object of every served kind, chosen so that the controllers leave it alone once
 * created: workloads with no replicas, pods no scheduler picks up, storage that binds to nothing.
 */
public final class Fixtures {
  private Fixtures() {}

  private static final String POD_SPEC = """
      {"schedulerName":"fuzz-scheduler","restartPolicy":"Always","terminationGracePeriodSeconds":30,
       "containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],
         "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
         "env":[{"name":"A","value":"1"}],
         "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"memory":"128Mi"}},
         "readinessProbe":{"httpGet":{"path":"/","port":8080},"periodSeconds":10}}]}""";

  private static String template(String app) {
    return "{\"metadata\":{\"labels\":{\"app\":\"" + app + "\"}},\"spec\":" + POD_SPEC + "}";
  }

  private static String selector(String app) {
    return "{\"matchLabels\":{\"app\":\"" + app + "\"}}";
  }

  /** The body of each kind beside apiVersion, kind and metadata, by "apiVersion kind". */
  private static final Map<String, String> BODIES = Map.ofEntries(
      Map.entry("v1 Namespace", "{}"),
      Map.entry("v1 Pod", "{\"spec\":" + POD_SPEC + "}"),
      Map.entry("v1 Node", "{\"spec\":{\"unschedulable\":true,\"providerID\":\"fuzz://node\"}}"),
      Map.entry("v1 Service", """
          {"spec":{"type":"ClusterIP","selector":{"app":"fuzz-svc"},
           "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}}"""),
      Map.entry("v1 Endpoints", """
          {"subsets":[{"addresses":[{"ip":"10.1.2.3"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}"""),
      Map.entry("v1 Event", """
          {"involvedObject":{"apiVersion":"v1","kind":"ConfigMap","namespace":"NAMESPACE","name":"nothing"},
           "reason":"Fuzzed","message":"a fuzz test event","type":"Normal","count":1,
           "firstTimestamp":"2024-01-01T00:00:00Z","lastTimestamp":"2024-01-01T00:00:00Z",
           "source":{"component":"fuzz"}}"""),
      Map.entry("events.k8s.io/v1 Event", """
          {"regarding":{"apiVersion":"v1","kind":"ConfigMap","namespace":"NAMESPACE","name":"nothing"},
           "reason":"Fuzzed","note":"a fuzz test event","type":"Normal","action":"Fuzzing",
           "eventTime":"2024-01-01T00:00:00.000000Z","reportingController":"example.com/fuzz",
           "reportingInstance":"fuzz-1"}"""),
      Map.entry("v1 ConfigMap", "{\"data\":{\"a\":\"1\"},\"binaryData\":{\"b\":\"AAEC\"}}"),
      Map.entry("v1 Secret", "{\"type\":\"Opaque\",\"data\":{\"a\":\"MQ==\"}}"),
      Map.entry("v1 ServiceAccount", "{\"automountServiceAccountToken\":false}"),
      Map.entry("v1 PersistentVolume", """
          {"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/fuzz"},
           "persistentVolumeReclaimPolicy":"Retain","storageClassName":"fuzz-none"}}"""),
      Map.entry("v1 PersistentVolumeClaim", """
          {"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
           "storageClassName":"fuzz-other"}}"""),
      Map.entry("apps/v1 Deployment", "{\"spec\":{\"replicas\":0,\"selector\":" + selector("fuzz-deploy")
          + ",\"template\":" + template("fuzz-deploy") + "}}"),
      Map.entry("apps/v1 ReplicaSet", "{\"spec\":{\"replicas\":0,\"selector\":" + selector("fuzz-rs")
          + ",\"template\":" + template("fuzz-rs") + "}}"),
      Map.entry("apps/v1 DaemonSet", "{\"spec\":{\"selector\":" + selector("fuzz-ds")
          + ",\"template\":" + template("fuzz-ds") + "}}"),
      Map.entry("apps/v1 StatefulSet", "{\"spec\":{\"replicas\":0,\"serviceName\":\"fuzz\",\"selector\":"
          + selector("fuzz-sts") + ",\"template\":" + template("fuzz-sts") + "}}"),
      Map.entry("v1 ReplicationController", "{\"spec\":{\"replicas\":0,\"selector\":{\"app\":\"fuzz-rc\"},\"template\":"
          + template("fuzz-rc") + "}}"),
      // suspended, so that their controllers start no pods while the fuzz runs
      Map.entry("batch/v1 Job", "{\"spec\":{\"suspend\":true,\"backoffLimit\":2,\"template\":"
          + template("fuzz-job").replace("\"Always\"", "\"Never\"") + "}}"),
      Map.entry("batch/v1 CronJob", "{\"spec\":{\"schedule\":\"0 0 1 1 *\",\"suspend\":true,\"jobTemplate\":{\"spec\":"
          + "{\"template\":" + template("fuzz-cronjob").replace("\"Always\"", "\"Never\"") + "}}}}"),
      Map.entry("apps/v1 ControllerRevision", "{\"revision\":1,\"data\":{\"spec\":{\"a\":\"b\"}}}"),
      Map.entry("autoscaling/v2 HorizontalPodAutoscaler", """
          {"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"nothing"},
           "minReplicas":1,"maxReplicas":3,
           "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]}}"""),
      Map.entry("autoscaling/v1 HorizontalPodAutoscaler", """
          {"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"nothing"},
           "minReplicas":1,"maxReplicas":3,"targetCPUUtilizationPercentage":50}}"""),
      Map.entry("autoscaling.k8s.io/v1 VerticalPodAutoscaler", """
          {"spec":{"targetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"nothing"},
           "updatePolicy":{"updateMode":"Off"},
           "resourcePolicy":{"containerPolicies":[{"containerName":"*","minAllowed":{"cpu":"25m"},"maxAllowed":{"cpu":"1"},
             "controlledResources":["cpu","memory"],"controlledValues":"RequestsAndLimits"}]}}}"""),
      Map.entry("autoscaling.k8s.io/v1 VerticalPodAutoscalerCheckpoint", """
          {"spec":{"vpaObjectName":"nothing","containerName":"c"}}"""),
      Map.entry("policy/v1 PodDisruptionBudget", "{\"spec\":{\"minAvailable\":1,\"selector\":" + selector("fuzz-pdb") + "}}"),
      Map.entry("networking.k8s.io/v1 Ingress", """
          {"spec":{"ingressClassName":"fuzz","rules":[{"host":"fuzz.example.com","http":{"paths":[
            {"path":"/","pathType":"Prefix","backend":{"service":{"name":"svc","port":{"number":80}}}}]}}]}}"""),
      Map.entry("networking.k8s.io/v1 IngressClass", "{\"spec\":{\"controller\":\"example.com/fuzz\"}}"),
      Map.entry("discovery.k8s.io/v1 EndpointSlice", """
          {"addressType":"IPv4","endpoints":[{"addresses":["10.1.2.3"],"conditions":{"ready":true}}],
           "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}"""),
      Map.entry("coordination.k8s.io/v1 Lease", """
          {"spec":{"holderIdentity":"fuzz","leaseDurationSeconds":15,"leaseTransitions":0,
           "acquireTime":"2024-01-01T00:00:00.000000Z","renewTime":"2024-01-01T00:00:00.000000Z"}}"""),
      Map.entry("storage.k8s.io/v1 StorageClass", """
          {"provisioner":"example.com/fuzz","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer",
           "parameters":{"a":"b"}}"""),
      Map.entry("rbac.authorization.k8s.io/v1 Role", """
          {"rules":[{"apiGroups":[""],"resources":["pods","pods/log"],"verbs":["get","list"],"resourceNames":["a"]}]}"""),
      Map.entry("rbac.authorization.k8s.io/v1 ClusterRole", """
          {"rules":[{"apiGroups":["apps"],"resources":["deployments"],"verbs":["get"]},
                    {"nonResourceURLs":["/healthz","/metrics/*"],"verbs":["get"]}]}"""),
      Map.entry("rbac.authorization.k8s.io/v1 RoleBinding", """
          {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
           "subjects":[{"kind":"ServiceAccount","name":"default","namespace":"NAMESPACE"},
                       {"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"jane"}]}"""),
      Map.entry("rbac.authorization.k8s.io/v1 ClusterRoleBinding", """
          {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
           "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"fuzzers"}]}"""),
      // a request of a signer nobody signs for: it stays pending, as the fuzz needs it unchanged by controllers
      Map.entry("certificates.k8s.io/v1 CertificateSigningRequest", """
          {"spec":{"request":"REQUEST","signerName":"example.com/fuzz","usages":["digital signature","client auth"],
                   "expirationSeconds":3600}}""".replace("REQUEST", TestRequests.base64(TestRequests.pem("fuzz-user", "fuzzers")))));

  /**
   * Dotted paths of []byte fields, by kind: their schema in our document is a plain string (fabric8
   * types them as strings), so the walk is told.
   */
  public static final Map<String, java.util.List<String>> BYTE_FIELDS = Map.of(
      "v1 Secret", java.util.List.of("data.*"),
      "v1 ConfigMap", java.util.List.of("binaryData.*"),
      "certificates.k8s.io/v1 CertificateSigningRequest", java.util.List.of("spec.request", "status.certificate"));

  public static boolean has(ResourceType t) {
    return BODIES.containsKey(t.apiVersion() + " " + t.kind());
  }

  /** A valid object of the kind with this name, in this namespace if the kind is namespaced. */
  public static ObjectNode of(ResourceType t, String name, String namespace) {
    String body = BODIES.get(t.apiVersion() + " " + t.kind());
    if (body == null) throw new AssertionError("no fuzz fixture for " + t.apiVersion() + " " + t.kind() + ": write one");
    ObjectNode object = Json.object().put("apiVersion", t.apiVersion()).put("kind", t.kind());
    ObjectNode meta = object.putObject("metadata").put("name", name);
    if (t.namespaced()) meta.put("namespace", namespace);
    meta.putObject("labels").put("fuzz", "yes");
    meta.putObject("annotations").put("fuzz/note", "fixture");
    object.setAll((ObjectNode) Json.parse(body.replace("NAMESPACE", namespace == null ? "" : namespace).getBytes()));
    return object;
  }
}
