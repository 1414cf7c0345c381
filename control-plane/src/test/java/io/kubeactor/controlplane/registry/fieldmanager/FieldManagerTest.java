package io.kubeactor.controlplane.registry.fieldmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.ResourceRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FieldManagerTest {
  private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();
  private static final ResourceType DEPLOYMENTS = TYPES.find("/apis/apps/v1", "deployments").orElseThrow();
  private static final ResourceType PODS = TYPES.find("/api/v1", "pods").orElseThrow();
  private static final ResourceType CONFIG_MAPS = TYPES.find("/api/v1", "configmaps").orElseThrow();
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.700Z");
  private static final Instant T1 = Instant.parse("2026-01-01T00:01:00Z");

  /** A Deployment as kubectl apply creates it, after defaulting, and the entry upstream records for it. */
  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx","namespace":"default",
       "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},"labels":{"app":"nginx"}},
       "spec":{"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,
        "selector":{"matchLabels":{"app":"nginx"}},
        "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
        "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"image":"nginx:1.14.2",
          "imagePullPolicy":"IfNotPresent","name":"nginx","ports":[{"containerPort":80,"protocol":"TCP"}],
          "resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
         "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
         "terminationGracePeriodSeconds":30}}}}""";

  private static final String DEPLOYMENT_FIELDS = "{\"f:metadata\":{\"f:annotations\":{\".\":{},"
      + "\"f:kubectl.kubernetes.io/last-applied-configuration\":{}},\"f:labels\":{\".\":{},\"f:app\":{}}},"
      + "\"f:spec\":{\"f:progressDeadlineSeconds\":{},\"f:replicas\":{},\"f:revisionHistoryLimit\":{},\"f:selector\":{},"
      + "\"f:strategy\":{\"f:rollingUpdate\":{\".\":{},\"f:maxSurge\":{},\"f:maxUnavailable\":{}},\"f:type\":{}},"
      + "\"f:template\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{"
      + "\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:imagePullPolicy\":{},\"f:name\":{},"
      + "\"f:ports\":{\".\":{},\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},"
      + "\"f:containerPort\":{},\"f:protocol\":{}}},\"f:resources\":{},\"f:terminationMessagePath\":{},"
      + "\"f:terminationMessagePolicy\":{}}},\"f:dnsPolicy\":{},\"f:restartPolicy\":{},\"f:schedulerName\":{},"
      + "\"f:securityContext\":{},\"f:terminationGracePeriodSeconds\":{}}}}}";

  @Test
  void fieldsV1RoundTripsAsWritten() throws Exception {
    JsonNode fields = Json.MAPPER.readTree(DEPLOYMENT_FIELDS);
    assertThat(FieldSet.fromFieldsV1(fields).toFieldsV1().toString()).isEqualTo(DEPLOYMENT_FIELDS);
  }

  @Test
  void createRecordsWhatUpstreamRecords() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    JsonNode entry = d.path("metadata").path("managedFields").get(0);
    assertThat(entry.path("manager").asText()).isEqualTo("kubectl-client-side-apply");
    assertThat(entry.path("operation").asText()).isEqualTo("Update");
    assertThat(entry.path("apiVersion").asText()).isEqualTo("apps/v1");
    assertThat(entry.path("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(entry.path("fieldsType").asText()).isEqualTo("FieldsV1");
    assertThat(entry.has("subresource")).isFalse();
    assertThat(entry.path("fieldsV1").toString()).isEqualTo(DEPLOYMENT_FIELDS);
  }

  @Test
  void appliedPodSetHasItemsAndKeysButNotStructFields() {
    ObjectNode pod = object("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"a"}},
         "spec":{"containers":[{"name":"c","image":"nginx","env":[{"name":"A","value":"1"}]}],
          "nodeSelector":{"disk":"ssd"},"tolerations":[{"key":"k","operator":"Exists"}]}}""");
    ObjectNode applied = FieldManager.apply(PODS, null, pod, "kubectl", null, "v1", false, T0);
    assertThat(applied.path("metadata").path("managedFields").get(0).path("fieldsV1").toString()).isEqualTo(
        "{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{"
            + "\".\":{},\"f:env\":{\"k:{\\\"name\\\":\\\"A\\\"}\":{\".\":{},\"f:name\":{},\"f:value\":{}}},"
            + "\"f:image\":{},\"f:name\":{}}},\"f:nodeSelector\":{\"f:disk\":{}},\"f:tolerations\":{}}}");
  }

  @Test
  void anUpdateTakesTheFieldsItChanges() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    ObjectNode scaled = d.deepCopy();
    scaled.withObjectProperty("spec").put("replicas", 3);
    FieldManager.update(DEPLOYMENTS, d, scaled, "kubectl", "scale", "apps/v1", T1);
    JsonNode entries = scaled.path("metadata").path("managedFields");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
    assertThat(entries.get(1).path("manager").asText()).isEqualTo("kubectl");
    assertThat(entries.get(1).path("subresource").asText()).isEqualTo("scale");
    assertThat(entries.get(1).path("time").asText()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(entries.get(1).path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
  }

  @Test
  void aWriteThatChangesNothingKeepsEntriesAndTimes() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "a", null, "apps/v1", T0);
    ObjectNode same = d.deepCopy();
    FieldManager.update(DEPLOYMENTS, d, same, "b", null, "apps/v1", T1);
    assertThat(same).isEqualTo(d);
  }

  @Test
  void applyRemovesWhatItAppliedBeforeAndNowLeavesOut() {
    ObjectNode first = apply(null, "{\"a\":\"1\",\"b\":\"2\"}", "kubectl", T0);
    ObjectNode second = apply(first, "{\"a\":\"1\"}", "kubectl", T1);
    assertThat(second.path("data").toString()).isEqualTo("{\"a\":\"1\"}");
    assertThat(second.path("metadata").path("name").asText()).isEqualTo("c");
    assertThat(second.path("metadata").path("managedFields").get(0).path("fieldsV1").toString())
        .isEqualTo("{\"f:data\":{\"f:a\":{}}}");
  }

  @Test
  void applyKeepsAFieldItLeavesOutThatAnotherManagerOwns() {
    ObjectNode first = apply(null, "{\"a\":\"1\",\"b\":\"2\"}", "kubectl", T0);
    ObjectNode shared = apply(first, "{\"b\":\"2\"}", "other", T0);
    ObjectNode second = apply(shared, "{\"a\":\"1\"}", "kubectl", T1);
    assertThat(second.path("data").toString()).isEqualTo("{\"a\":\"1\",\"b\":\"2\"}");
  }

  @Test
  void applyChangingAnotherManagersFieldConflictsUnlessForced() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    ObjectNode config = object("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"spec":{"replicas":3}}""");
    assertThatThrownBy(() -> FieldManager.apply(DEPLOYMENTS, d, config, "kubectl", null, "apps/v1", false, T1))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code).isEqualTo(409);
          assertThat(e.reason).isEqualTo("Conflict");
          assertThat(e.getMessage()).isEqualTo(
              "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
          assertThat(e.causes).containsExactly(new ApiException.Cause("FieldManagerConflict",
              "conflict with \"kubectl-client-side-apply\" using apps/v1", ".spec.replicas"));
        });

    ObjectNode forced = FieldManager.apply(DEPLOYMENTS, d, config, "kubectl", null, "apps/v1", true, T1);
    assertThat(forced.path("spec").path("replicas").asInt()).isEqualTo(3);
    JsonNode entries = forced.path("metadata").path("managedFields");
    assertThat(entries.get(0).path("operation").asText()).isEqualTo("Apply");
    assertThat(entries.get(0).path("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
    assertThat(entries.get(1).path("fieldsV1").path("f:spec").has("f:replicas")).isFalse();
  }

  @Test
  void severalConflictsAreListedByManager() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    ObjectNode config = object("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"spec":{"replicas":3,
         "template":{"spec":{"containers":[{"name":"nginx","image":"nginx:2"}]}}}}""");
    assertThatThrownBy(() -> FieldManager.apply(DEPLOYMENTS, d, config, "kubectl", null, "apps/v1", false, T1))
        .hasMessage("Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
            + "- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image");
  }

  @Test
  void applyingTheLiveValueSharesTheField() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    ObjectNode config = object("""
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nginx"},"spec":{"replicas":1}}""");
    ObjectNode applied = FieldManager.apply(DEPLOYMENTS, d, config, "kubectl", null, "apps/v1", false, T1);
    JsonNode entries = applied.path("metadata").path("managedFields");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(1).path("fieldsV1").path("f:spec").has("f:replicas")).isTrue();
  }

  @Test
  void anAppliedObjectMayNotCarryManagedFields() {
    ObjectNode config = object("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","managedFields":[]}}""");
    assertThatThrownBy(() -> FieldManager.apply(CONFIG_MAPS, null, config, "kubectl", null, "v1", false, T0))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code).isEqualTo(400))
        .hasMessage("metadata.managedFields must be nil");
  }

  @Test
  void atMostTenUpdateManagersTheOldestMergedIntoAncientChanges() {
    ObjectNode live = object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"}}");
    FieldManager.update(CONFIG_MAPS, null, live, "m0", null, "v1", T0);
    for (int i = 0; i < 12; i++) {
      ObjectNode next = live.deepCopy();
      next.withObjectProperty("data").put("k" + i, "v");
      FieldManager.update(CONFIG_MAPS, live, next, "m" + i, null, "v1", T0.plusSeconds(i * 60L));
      live = next;
    }
    JsonNode entries = live.path("metadata").path("managedFields");
    assertThat(entries).hasSize(10);
    JsonNode ancient = entries.get(0);
    assertThat(ancient.path("manager").asText()).isEqualTo("ancient-changes");
    assertThat(ancient.path("fieldsV1").path("f:data").has("f:k0")).isTrue();
    assertThat(ancient.path("fieldsV1").path("f:data").has("f:k2")).isTrue();
    assertThat(entries.get(9).path("manager").asText()).isEqualTo("m11");
  }

  @Test
  void statusIsOwnedOnlyThroughTheStatusSubresource() {
    ObjectNode pod = object("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]},
         "status":{"phase":"Pending"}}""");
    FieldManager.update(PODS, null, pod, "kubectl-create", null, "v1", T0);
    assertThat(pod.path("metadata").path("managedFields").get(0).path("fieldsV1").has("f:status")).isFalse();
    ObjectNode running = pod.deepCopy();
    running.withObjectProperty("status").put("phase", "Running");
    FieldManager.update(PODS, pod, running, "kubelet", "status", "v1", T1);
    JsonNode kubelet = running.path("metadata").path("managedFields").get(1);
    assertThat(kubelet.path("subresource").asText()).isEqualTo("status");
    assertThat(kubelet.path("fieldsV1").toString()).isEqualTo("{\"f:status\":{\"f:phase\":{}}}");
  }

  /** An identity is the JSON upstream's BuildManagerIdentifier makes, escapes included: conflicts are ordered by it. */
  @Test
  void identifiersAreTheEntriesJsonWithoutTimeAndFields() {
    assertThat(ManagedFields.identifier("kubectl \"edit\"\u0001", ManagedFields.UPDATE, "apps/v1", "scale"))
        .isEqualTo("{\"manager\":\"kubectl \\\"edit\\\"\\u0001\",\"operation\":\"Update\","
            + "\"apiVersion\":\"apps/v1\",\"subresource\":\"scale\"}");
    assertThat(ManagedFields.identifier("kubectl", ManagedFields.APPLY, "apps/v1", ""))
        .isEqualTo("{\"manager\":\"kubectl\",\"operation\":\"Apply\"}");
  }

  /** An item's key prints as Jackson writes its JSON, escapes and numbers included: FieldsV1 names items so. */
  @Test
  void itemKeysPrintAsTheirJson() {
    ObjectNode keys = Json.object().put("name", "a\"b\\c\n\u0001\u00e9/").put("containerPort", 80).put("protocol", "TCP");
    java.util.Map<String, JsonNode> map = new java.util.LinkedHashMap<>();
    keys.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
    ObjectNode sorted = Json.object();
    new java.util.TreeMap<>(map).forEach(sorted::set);
    assertThat(PathElement.key(map).encoded()).isEqualTo("k:" + sorted);
    assertThat(PathElement.parse("k:" + sorted)).isEqualTo(PathElement.key(map));
    assertThat(PathElement.key(java.util.Map.of("type", keys.get("name"))).encoded())
        .isEqualTo("k:" + Json.object().set("type", keys.get("name")));
  }

  /** A status write leaves the creator's entry as it was, down to the order of its fields. */
  @Test
  void entriesAWriteDoesNotTouchAreKeptAsTheyWere() {
    ObjectNode d = object(DEPLOYMENT);
    FieldManager.update(DEPLOYMENTS, null, d, "kubectl-client-side-apply", null, "apps/v1", T0);
    ObjectNode live = d.deepCopy();
    live.putObject("status");
    // as a client might send it: the same fields in another order, which upstream would encode again
    ObjectNode creator = (ObjectNode) live.path("metadata").path("managedFields").get(0);
    ObjectNode reordered = Json.object();
    reordered.set("f:spec", creator.path("fieldsV1").path("f:spec"));
    reordered.set("f:metadata", creator.path("fieldsV1").path("f:metadata"));
    creator.set("fieldsV1", reordered);
    ObjectNode updated = live.deepCopy();
    updated.withObjectProperty("status").put("replicas", 1);
    FieldManager.update(DEPLOYMENTS, live, updated, "kube-controller-manager", "status", "apps/v1", T1);
    JsonNode entries = updated.path("metadata").path("managedFields");
    assertThat(entries).hasSize(2);
    assertThat(entries.get(0).path("fieldsV1")).isEqualTo(reordered);
    assertThat(entries.get(1).path("fieldsV1").toString()).isEqualTo("{\"f:status\":{\"f:replicas\":{}}}");
    // an entry the write does change is encoded anew, in upstream's order
    ObjectNode relabelled = updated.deepCopy();
    relabelled.withObjectProperty("metadata").withObjectProperty("labels").put("app", "web");
    FieldManager.update(DEPLOYMENTS, updated, relabelled, "kubectl-edit", null, "apps/v1", T1);
    JsonNode creatorAfter = relabelled.path("metadata").path("managedFields").get(0).path("fieldsV1");
    assertThat(creatorAfter.fieldNames().next()).isEqualTo("f:metadata");
    assertThat(creatorAfter.path("f:metadata").path("f:labels").has("f:app")).isFalse();
  }

  private static ObjectNode configMap(String data) {
    return object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":" + data + "}");
  }

  private static ObjectNode apply(ObjectNode live, String data, String manager, Instant now) {
    return FieldManager.apply(CONFIG_MAPS, live, configMap(data), manager, null, "v1", false, now);
  }

  private static ObjectNode object(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
