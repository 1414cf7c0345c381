package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.defaultNumber;
import static io.kubeactor.controlplane.registry.admission.Nodes.defaultText;
import static io.kubeactor.controlplane.registry.admission.Nodes.object;
import static io.kubeactor.controlplane.registry.admission.Nodes.objectOrNull;
import static io.kubeactor.controlplane.registry.admission.Nodes.objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What Kubernetes v1.32 fills in when an object of a kind is decoded and admitted, in place: the
 * generated defaults of pkg/apis/{core,apps,autoscaling,...}/v1/defaults.go, plus what the
 * built-in admission plugins and create strategies add (a namespace's finalizer and phase). A
 * pod's are in {@link PodDefaults}; a Service's IP families and addresses are the Service REST
 * storage's (registry/service). Each kind's strategy (registry/strategy) says which apply.
 * Applying them twice changes nothing.
 */
public final class Defaulter {
  private Defaulter() {}

  public static void deployment(ObjectNode deployment) {
    ObjectNode spec = object(deployment, "spec");
    defaultNumber(spec, "replicas", 1);
    ObjectNode strategy = object(spec, "strategy");
    defaultText(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rollingUpdate = object(strategy, "rollingUpdate");
      if (Nodes.absent(rollingUpdate.get("maxUnavailable"))) rollingUpdate.put("maxUnavailable", "25%");
      if (Nodes.absent(rollingUpdate.get("maxSurge"))) rollingUpdate.put("maxSurge", "25%");
    }
    defaultNumber(spec, "revisionHistoryLimit", 10);
    defaultNumber(spec, "progressDeadlineSeconds", 600);
    PodDefaults.template(object(spec, "template"));
  }

  public static void replicaSet(ObjectNode replicaSet) {
    ObjectNode spec = object(replicaSet, "spec");
    defaultNumber(spec, "replicas", 1);
    PodDefaults.template(object(spec, "template"));
  }

  /**
   * SetDefaults_ReplicationController: the selector and the labels default to the template's labels
   * (the labels only when it has none of its own).
   */
  public static void replicationController(ObjectNode controller) {
    ObjectNode spec = object(controller, "spec");
    ObjectNode template = objectOrNull(spec, "template");
    JsonNode labels = template == null ? null : template.path("metadata").get("labels");
    if (!Nodes.absent(labels)) {
      if (Nodes.size(spec, "selector") == 0) spec.set("selector", labels.deepCopy());
      ObjectNode metadata = object(controller, "metadata");
      if (Nodes.size(metadata, "labels") == 0) metadata.set("labels", labels.deepCopy());
    }
    defaultNumber(spec, "replicas", 1);
    if (template != null) PodDefaults.template(template);
  }

  /**
   * SetDefaults_Job: a Job without completions and parallelism runs one pod to completion; six
   * retries; NonIndexed; not suspended; pods replaced once terminating or failed (once failed with a
   * pod failure policy). Its labels default to its template's.
   */
  public static void job(ObjectNode job) {
    ObjectNode spec = object(job, "spec");
    if (Nodes.absent(spec.get("completions")) && Nodes.absent(spec.get("parallelism"))) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    defaultNumber(spec, "parallelism", 1);
    defaultNumber(spec, "backoffLimit", Nodes.absent(spec.get("backoffLimitPerIndex")) ? 6 : Integer.MAX_VALUE);
    defaultText(spec, "completionMode", "NonIndexed");
    Nodes.defaultBoolean(spec, "suspend", false);
    ObjectNode failurePolicy = objectOrNull(spec, "podFailurePolicy");
    if (failurePolicy != null) {
      for (ObjectNode rule : objects(failurePolicy, "rules")) {
        for (ObjectNode pattern : objects(rule, "onPodConditions")) defaultText(pattern, "status", "True");
      }
    }
    defaultText(spec, "podReplacementPolicy", failurePolicy != null ? "Failed" : "TerminatingOrFailed");
    ObjectNode template = object(spec, "template");
    JsonNode labels = template.path("metadata").get("labels");
    ObjectNode metadata = object(job, "metadata");
    if (!Nodes.absent(labels) && Nodes.size(metadata, "labels") == 0) metadata.set("labels", labels.deepCopy());
    PodDefaults.template(template);
  }

  /** SetDefaults_CronJob; the Job template's pod template gets the pod defaults, its Job spec none. */
  public static void cronJob(ObjectNode cronJob) {
    ObjectNode spec = object(cronJob, "spec");
    defaultText(spec, "concurrencyPolicy", "Allow");
    Nodes.defaultBoolean(spec, "suspend", false);
    defaultNumber(spec, "successfulJobsHistoryLimit", 3);
    defaultNumber(spec, "failedJobsHistoryLimit", 1);
    PodDefaults.template(object(object(object(spec, "jobTemplate"), "spec"), "template"));
  }

  public static void daemonSet(ObjectNode daemonSet) {
    ObjectNode spec = object(daemonSet, "spec");
    ObjectNode strategy = object(spec, "updateStrategy");
    defaultText(strategy, "type", "RollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate")) {
      ObjectNode rollingUpdate = object(strategy, "rollingUpdate");
      defaultNumber(rollingUpdate, "maxUnavailable", 1);
      defaultNumber(rollingUpdate, "maxSurge", 0);
    }
    defaultNumber(spec, "revisionHistoryLimit", 10);
    PodDefaults.template(object(spec, "template"));
  }

  public static void statefulSet(ObjectNode statefulSet) {
    ObjectNode spec = object(statefulSet, "spec");
    defaultText(spec, "podManagementPolicy", "OrderedReady");
    ObjectNode strategy = object(spec, "updateStrategy");
    if (Nodes.text(strategy, "type").isEmpty()) {
      strategy.put("type", "RollingUpdate");
      object(strategy, "rollingUpdate");
    }
    ObjectNode rollingUpdate = objectOrNull(strategy, "rollingUpdate");
    if (strategy.path("type").asText().equals("RollingUpdate") && rollingUpdate != null) {
      defaultNumber(rollingUpdate, "partition", 0);
    }
    ObjectNode retention = object(spec, "persistentVolumeClaimRetentionPolicy");
    defaultText(retention, "whenDeleted", "Retain");
    defaultText(retention, "whenScaled", "Retain");
    defaultNumber(spec, "replicas", 1);
    defaultNumber(spec, "revisionHistoryLimit", 10);
    PodDefaults.template(object(spec, "template"));
    for (ObjectNode claim : objects(spec, "volumeClaimTemplates")) persistentVolumeClaim(claim);
  }

  public static void service(ObjectNode service) {
    ObjectNode spec = object(service, "spec");
    defaultText(spec, "sessionAffinity", "None");
    String affinity = spec.path("sessionAffinity").asText();
    if (affinity.equals("None")) {
      spec.remove("sessionAffinityConfig");
    } else if (affinity.equals("ClientIP")) {
      ObjectNode clientIP = object(object(spec, "sessionAffinityConfig"), "clientIP");
      defaultNumber(clientIP, "timeoutSeconds", 10800);
    }
    defaultText(spec, "type", "ClusterIP");
    String type = spec.path("type").asText();
    for (ObjectNode port : objects(spec, "ports")) {
      defaultText(port, "protocol", "TCP");
      JsonNode target = port.get("targetPort");
      if (Nodes.absent(target) || (target.isNumber() && target.asInt() == 0) || (target.isTextual() && target.asText().isEmpty())) {
        port.put("targetPort", (int) Nodes.number(port, "port"));
      }
    }
    boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
        || (type.equals("ClusterIP") && Nodes.size(spec, "externalIPs") > 0);
    if (externallyAccessible) defaultText(spec, "externalTrafficPolicy", "Cluster");
    if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
      defaultText(spec, "internalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer")) {
      Nodes.defaultBoolean(spec, "allocateLoadBalancerNodePorts", true);
      for (ObjectNode ingress : objects(service.path("status").path("loadBalancer"), "ingress")) {
        if (!Nodes.text(ingress, "ip").isEmpty()) defaultText(ingress, "ipMode", "VIP");
      }
    }
  }

  public static void namespace(ObjectNode namespace) {
    ObjectNode metadata = object(namespace, "metadata");
    String name = Nodes.text(metadata, "name");
    if (!name.isEmpty()) object(metadata, "labels").put("kubernetes.io/metadata.name", name);
    // The namespace create strategy adds the finalizer the namespace controller removes.
    ObjectNode spec = object(namespace, "spec");
    if (Nodes.absent(spec.get("finalizers"))) spec.putArray("finalizers").add("kubernetes");
    defaultText(object(namespace, "status"), "phase", "Active");
  }

  public static void persistentVolumeClaim(ObjectNode claim) {
    defaultText(object(claim, "spec"), "volumeMode", "Filesystem");
    defaultText(object(claim, "status"), "phase", "Pending");
  }

  public static void secret(ObjectNode secret) {
    defaultText(secret, "type", "Opaque");
  }

  /**
   * Go writes revision always (no omitempty): one left out is stored as kube-apiserver stores it, 0,
   * and clients that require it (the Python client) can read it.
   */
  public static void controllerRevision(ObjectNode revision) {
    defaultNumber(revision, "revision", 0);
  }

  public static void persistentVolume(ObjectNode volume) {
    ObjectNode spec = object(volume, "spec");
    defaultText(spec, "persistentVolumeReclaimPolicy", "Retain");
    defaultText(spec, "volumeMode", "Filesystem");
    defaultText(object(volume, "status"), "phase", "Pending");
  }

  public static void endpoints(ObjectNode endpoints) {
    for (ObjectNode subset : objects(endpoints, "subsets")) {
      for (ObjectNode port : objects(subset, "ports")) defaultText(port, "protocol", "TCP");
    }
  }

  public static void endpointSlice(ObjectNode slice) {
    // a required list that Go writes as null when empty; clients that check required fields (the
    // Python client) cannot read a slice without it, so an empty one is kept as []
    if (Nodes.absent(slice.get("endpoints"))) slice.putArray("endpoints");
    for (ObjectNode port : objects(slice, "ports")) {
      if (Nodes.absent(port.get("name"))) port.put("name", "");
      defaultText(port, "protocol", "TCP");
    }
  }

  public static void node(ObjectNode node) {
    ObjectNode status = objectOrNull(node, "status");
    if (status != null && Nodes.has(status, "capacity") && Nodes.absent(status.get("allocatable"))) {
      status.set("allocatable", status.get("capacity").deepCopy());
    }
  }

  public static void storageClass(ObjectNode storageClass) {
    defaultText(storageClass, "reclaimPolicy", "Delete");
    defaultText(storageClass, "volumeBindingMode", "Immediate");
  }

  /** With the version the object is written in: only autoscaling/v2 defaults the metrics and behavior. */
  public static void horizontalPodAutoscaler(ObjectNode hpa, String version) {
    ObjectNode spec = object(hpa, "spec");
    defaultNumber(spec, "minReplicas", 1);
    if (!version.equals("v2")) return;
    if (Nodes.size(spec, "metrics") == 0) {
      ObjectNode resource = spec.putArray("metrics").addObject().put("type", "Resource").putObject("resource");
      resource.put("name", "cpu").putObject("target").put("type", "Utilization").put("averageUtilization", 80);
    }
    // Behavior is completed only when given (SetDefaults_HorizontalPodAutoscalerBehavior).
    ObjectNode behavior = objectOrNull(spec, "behavior");
    if (behavior != null) {
      ObjectNode scaleUp = object(behavior, "scaleUp");
      defaultNumber(scaleUp, "stabilizationWindowSeconds", 0);
      defaultText(scaleUp, "selectPolicy", "Max");
      if (Nodes.absent(scaleUp.get("policies"))) {
        ArrayNode policies = scaleUp.putArray("policies");
        policies.addObject().put("type", "Pods").put("value", 4).put("periodSeconds", 15);
        policies.addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
      }
      // scaleDown's stabilization window stays unset: the controller applies its own default (300 s)
      ObjectNode scaleDown = object(behavior, "scaleDown");
      defaultText(scaleDown, "selectPolicy", "Max");
      if (Nodes.absent(scaleDown.get("policies"))) {
        scaleDown.putArray("policies").addObject().put("type", "Percent").put("value", 100).put("periodSeconds", 15);
      }
    }
  }
}
