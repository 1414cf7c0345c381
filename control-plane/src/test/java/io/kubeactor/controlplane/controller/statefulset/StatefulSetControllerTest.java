package io.kubeactor.controlplane.controller.statefulset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.common.Json;
import io.kubeactor.common.Timestamps;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.Controller;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.registry.PodBinding;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The StatefulSet controller over a real store, without nodes: tests play the kubelet by writing pod status. */
class StatefulSetControllerTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static final AtomicInteger namespaces = new AtomicInteger();
  static ResourceType podType;
  static ActorRef<Controller.Command> controller;

  @BeforeAll
  static void start() {
    controller = fixture.start(new StatefulSetController(fixture.context));
    podType = fixture.registry.types().byKind("v1", "Pod").orElseThrow();
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  // ---- helpers ----

  /** A namespace of the test's own, so tests never see each other's objects. */
  static String namespace() {
    String ns = "sts-" + namespaces.incrementAndGet();
    fixture.apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + ns + "}}");
    return ns;
  }

  static void statefulSet(String ns, String name, int replicas, String extraSpec) {
    fixture.apply("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: %s, namespace: %s}
        spec:
          serviceName: nginx
          replicas: %d
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec:
              containers:
              - name: nginx
                image: nginx:1.27
                volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
          volumeClaimTemplates:
          - metadata: {name: www}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
        %s
        """.formatted(name, ns, replicas, name, name, extraSpec.indent(2)));
  }

  static Pod pod(String ns, String name) {
    return fixture.get(Pod.class, ns, name);
  }

  static StatefulSet set(String ns, String name) {
    return fixture.get(StatefulSet.class, ns, name);
  }

  /** The kubelet's part: the pod runs and is ready, since {@code readySince}. */
  static void runReady(String ns, String name, Instant readySince) {
    fixture.changeStatus("v1", "Pod", ns, name, o -> {
      ObjectNode status = o.withObjectProperty("status");
      status.put("phase", "Running");
      ArrayNode conditions = status.putArray("conditions");
      conditions.addObject().put("type", "Ready").put("status", "True")
          .put("lastTransitionTime", Timestamps.format(readySince));
      return o;
    });
  }

  static void runReady(String ns, String name) {
    runReady(ns, name, Instant.now());
  }

  static void failed(String ns, String name) {
    fixture.changeStatus("v1", "Pod", ns, name, o -> {
      o.withObjectProperty("status").put("phase", "Failed").remove("conditions");
      return o;
    });
  }

  /** The scheduler's part: the pod is bound to a node, so its deletion is graceful. */
  static void bind(String ns, String name) {
    join(PodBinding.bind(fixture.registry, podType, ns, name, "node-1", Clock.systemUTC()));
  }

  /** The kubelet's part of a graceful deletion: the pod is gone. */
  static void finishDeletion(String ns, String name) {
    join(fixture.registry.delete(podType, ns, name, new DeleteOptions(0L, null, null, null, false)));
  }

  /** Waits for each pod to exist, then makes it run and be ready, in order. */
  static void bringUp(String ns, String... names) {
    for (String name : names) {
      await().until(() -> pod(ns, name) != null);
      runReady(ns, name);
    }
  }

  static List<String> podNames(String ns) {
    return fixture.list(Pod.class, ns).stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  static List<String> events(String ns) {
    return fixture.list(Event.class, ns).stream().map(e -> e.getReason() + ": " + e.getMessage()).toList();
  }

  /** How often an event with this message was recorded (repeats are counted on one event). */
  static int eventCount(String ns, String message) {
    return fixture.list(Event.class, ns).stream().filter(e -> message.equals(e.getMessage()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
  }

  static void changeImage(String ns, String name, String image) {
    fixture.change("apps/v1", "StatefulSet", ns, name, o -> {
      ((ObjectNode) o.at("/spec/template/spec/containers/0")).put("image", image);
      return o;
    });
  }

  static void scale(String ns, String name, int replicas) {
    fixture.change("apps/v1", "StatefulSet", ns, name, o -> {
      o.withObjectProperty("spec").put("replicas", replicas);
      return o;
    });
  }

  /** Waits until the controller has reconciled the set since the test's last change: then what it did not do, it will not. */
  static void awaitReconciled(String ns, String name) {
    fixture.awaitReconciled(controller, ns + "/" + name);
  }

  static String revision(Pod pod) {
    return pod.getMetadata().getLabels().get("controller-revision-hash");
  }

  static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- tests ----

  @Test
  void orderedReadyMakesEachPodOnlyOnceThePreviousIsRunningAndReady() {
    String ns = namespace();
    statefulSet(ns, "web", 3, "");
    await().until(() -> pod(ns, "web-0") != null);
    awaitReconciled(ns, "web");
    assertThat(podNames(ns)).containsExactly("web-0");

    runReady(ns, "web-0");
    await().until(() -> pod(ns, "web-1") != null);
    awaitReconciled(ns, "web");
    assertThat(pod(ns, "web-2")).isNull();
    runReady(ns, "web-1");
    await().until(() -> pod(ns, "web-2") != null);

    assertThat(events(ns)).contains(
        "SuccessfulCreate: create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "SuccessfulCreate: create Pod web-0 in StatefulSet web successful",
        "SuccessfulCreate: create Pod web-1 in StatefulSet web successful");
  }

  @Test
  void aPodHasItsNameLabelsHostnameOwnerAndItsOwnClaim() {
    String ns = namespace();
    statefulSet(ns, "web", 1, "");
    await().until(() -> pod(ns, "web-0") != null);
    Pod pod = pod(ns, "web-0");
    StatefulSet set = set(ns, "web");

    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web")
        .containsEntry("statefulset.kubernetes.io/pod-name", "web-0")
        .containsEntry("apps.kubernetes.io/pod-index", "0")
        .containsEntry("controller-revision-hash", set.getStatus() == null ? revision(pod) : set.getStatus().getUpdateRevision());
    assertThat(revision(pod)).startsWith("web-");
    assertThat(pod.getSpec().getHostname()).isEqualTo("web-0");
    assertThat(pod.getSpec().getSubdomain()).isEqualTo("nginx");
    OwnerReference ref = pod.getMetadata().getOwnerReferences().get(0);
    assertThat(ref.getKind()).isEqualTo("StatefulSet");
    assertThat(ref.getName()).isEqualTo("web");
    assertThat(ref.getUid()).isEqualTo(set.getMetadata().getUid());
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v -> {
      assertThat(v.getName()).isEqualTo("www");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-0");
    });

    PersistentVolumeClaim claim = fixture.get(PersistentVolumeClaim.class, ns, "www-web-0");
    assertThat(claim).isNotNull();
    assertThat(claim.getMetadata().getLabels()).isEqualTo(Map.of("app", "web"));
    assertThat(claim.getSpec().getStorageClassName()).isNull();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    // Retain/Retain: the claim outlives the pod and the set
    assertThat(claim.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void parallelMakesAllPodsAtOnce() {
    String ns = namespace();
    statefulSet(ns, "db", 3, "podManagementPolicy: Parallel");
    await().until(() -> podNames(ns).equals(List.of("db-0", "db-1", "db-2")));
    assertThat(fixture.list(PersistentVolumeClaim.class, ns)).extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("www-db-0", "www-db-1", "www-db-2");
  }

  @Test
  void ordinalsStartWhereTheSpecSays() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "podManagementPolicy: Parallel\nordinals: {start: 5}");
    await().until(() -> podNames(ns).equals(List.of("web-5", "web-6")));
    assertThat(pod(ns, "web-5").getMetadata().getLabels()).containsEntry("apps.kubernetes.io/pod-index", "5");
    assertThat(fixture.get(PersistentVolumeClaim.class, ns, "www-web-6")).isNotNull();
  }

  @Test
  void scaleDownRemovesTheHighestOrdinalFirstOneAtATimeAndKeepsTheClaims() {
    String ns = namespace();
    statefulSet(ns, "web", 3, "");
    bringUp(ns, "web-0", "web-1", "web-2");
    for (String p : List.of("web-0", "web-1", "web-2")) bind(ns, p);

    scale(ns, "web", 1);
    await().until(() -> pod(ns, "web-2").getMetadata().getDeletionTimestamp() != null);
    // web-1 waits for web-2 to be gone
    awaitReconciled(ns, "web");
    assertThat(pod(ns, "web-1").getMetadata().getDeletionTimestamp()).isNull();
    finishDeletion(ns, "web-2");
    await().until(() -> pod(ns, "web-1") != null && pod(ns, "web-1").getMetadata().getDeletionTimestamp() != null);
    finishDeletion(ns, "web-1");
    await().until(() -> podNames(ns).equals(List.of("web-0")));

    assertThat(fixture.list(PersistentVolumeClaim.class, ns)).extracting(c -> c.getMetadata().getName())
        .containsExactlyInAnyOrder("www-web-0", "www-web-1", "www-web-2");
    assertThat(events(ns)).contains("SuccessfulDelete: delete Pod web-2 in StatefulSet web successful",
        "SuccessfulDelete: delete Pod web-1 in StatefulSet web successful");
    await().until(() -> set(ns, "web").getStatus().getReplicas() == 1);
  }

  @Test
  void aDeletedPodComesBackUnderItsNameOnlyOnceTheOldOneIsGone() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "");
    bringUp(ns, "web-0", "web-1");
    bind(ns, "web-1");
    String oldUid = pod(ns, "web-1").getMetadata().getUid();

    fixture.delete("v1", "Pod", ns, "web-1", null);
    // Terminating: the old pod holds its identity; no second web-1 is asked for
    awaitReconciled(ns, "web");
    Pod terminating = pod(ns, "web-1");
    assertThat(terminating.getMetadata().getUid()).isEqualTo(oldUid);
    assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(eventCount(ns, "create Pod web-1 in StatefulSet web successful")).isEqualTo(1);

    finishDeletion(ns, "web-1");
    await().until(() -> pod(ns, "web-1") != null && !pod(ns, "web-1").getMetadata().getUid().equals(oldUid));
    assertThat(pod(ns, "web-1").getMetadata().getDeletionTimestamp()).isNull();
    assertThat(eventCount(ns, "create Pod web-1 in StatefulSet web successful")).isEqualTo(2);
    // the claim is the same one
    assertThat(pod(ns, "web-1").getSpec().getVolumes()).anySatisfy(v ->
        assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-1"));
  }

  @Test
  void aFailedPodIsDeletedAndMadeAgain() {
    String ns = namespace();
    statefulSet(ns, "web", 1, "");
    bringUp(ns, "web-0");
    String oldUid = pod(ns, "web-0").getMetadata().getUid();
    failed(ns, "web-0");
    await().until(() -> pod(ns, "web-0") != null && !pod(ns, "web-0").getMetadata().getUid().equals(oldUid));
    assertThat(StatefulPods.phase(pod(ns, "web-0"))).isEqualTo("Pending");
  }

  @Test
  void aRollingUpdateReplacesPodsFromTheHighestOrdinalDownEachOnceTheOneAboveIsReady() {
    String ns = namespace();
    statefulSet(ns, "web", 3, "");
    bringUp(ns, "web-0", "web-1", "web-2");
    await().until(() -> set(ns, "web").getStatus() != null && Integer.valueOf(3).equals(set(ns, "web").getStatus().getReadyReplicas()));
    String oldRevision = set(ns, "web").getStatus().getCurrentRevision();

    changeImage(ns, "web", "nginx:1.28");
    await().until(() -> pod(ns, "web-2") != null && !revision(pod(ns, "web-2")).equals(oldRevision));
    String newRevision = revision(pod(ns, "web-2"));
    assertThat(pod(ns, "web-2").getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
    // web-1 waits while web-2 is not ready
    awaitReconciled(ns, "web");
    assertThat(revision(pod(ns, "web-1"))).isEqualTo(oldRevision);
    StatefulSet mid = set(ns, "web");
    assertThat(mid.getStatus().getCurrentRevision()).isEqualTo(oldRevision);
    assertThat(mid.getStatus().getUpdateRevision()).isEqualTo(newRevision);

    runReady(ns, "web-2");
    await().until(() -> pod(ns, "web-1") != null && revision(pod(ns, "web-1")).equals(newRevision));
    assertThat(revision(pod(ns, "web-0"))).isEqualTo(oldRevision);
    runReady(ns, "web-1");
    await().until(() -> pod(ns, "web-0") != null && revision(pod(ns, "web-0")).equals(newRevision));
    runReady(ns, "web-0");

    await().until(() -> newRevision.equals(set(ns, "web").getStatus().getCurrentRevision()));
    var status = set(ns, "web").getStatus();
    assertThat(status.getUpdateRevision()).isEqualTo(newRevision);
    assertThat(status.getCurrentReplicas()).isEqualTo(3);
    assertThat(status.getUpdatedReplicas()).isEqualTo(3);

    List<ControllerRevision> revisions = fixture.list(ControllerRevision.class, ns);
    assertThat(revisions).extracting(r -> r.getMetadata().getName()).containsExactlyInAnyOrder(oldRevision, newRevision);
    ControllerRevision latest = revisions.stream().filter(r -> r.getMetadata().getName().equals(newRevision)).findFirst().orElseThrow();
    assertThat(latest.getRevision()).isEqualTo(2L);
    var data = Json.MAPPER.valueToTree(latest.getData());
    assertThat(data.at("/spec/template/$patch").asText()).isEqualTo("replace");
    assertThat(data.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:1.28");
    assertThat(latest.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(latest.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
  }

  @Test
  void aPartitionKeepsLowerOrdinalsAtTheCurrentRevision() {
    String ns = namespace();
    statefulSet(ns, "web", 3, "updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}");
    bringUp(ns, "web-0", "web-1", "web-2");
    await().until(() -> set(ns, "web").getStatus() != null && Integer.valueOf(3).equals(set(ns, "web").getStatus().getReadyReplicas()));
    String oldRevision = set(ns, "web").getStatus().getCurrentRevision();

    changeImage(ns, "web", "nginx:1.28");
    await().until(() -> pod(ns, "web-2") != null && !revision(pod(ns, "web-2")).equals(oldRevision));
    runReady(ns, "web-2");
    await().until(() -> Integer.valueOf(1).equals(set(ns, "web").getStatus().getUpdatedReplicas())
        && Integer.valueOf(3).equals(set(ns, "web").getStatus().getReadyReplicas()));
    awaitReconciled(ns, "web");
    assertThat(revision(pod(ns, "web-1"))).isEqualTo(oldRevision);
    assertThat(revision(pod(ns, "web-0"))).isEqualTo(oldRevision);
    assertThat(set(ns, "web").getStatus().getCurrentRevision()).isEqualTo(oldRevision);
    assertThat(set(ns, "web").getStatus().getCurrentReplicas()).isEqualTo(2);
  }

  @Test
  void onDeleteReplacesAPodOnlyWhenItIsDeleted() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "updateStrategy: {type: OnDelete}");
    bringUp(ns, "web-0", "web-1");
    await().until(() -> set(ns, "web").getStatus() != null && Integer.valueOf(2).equals(set(ns, "web").getStatus().getReadyReplicas()));
    String oldRevision = set(ns, "web").getStatus().getCurrentRevision();

    changeImage(ns, "web", "nginx:1.28");
    await().until(() -> !oldRevision.equals(set(ns, "web").getStatus().getUpdateRevision()));
    awaitReconciled(ns, "web");
    assertThat(revision(pod(ns, "web-0"))).isEqualTo(oldRevision);
    assertThat(revision(pod(ns, "web-1"))).isEqualTo(oldRevision);

    fixture.delete("v1", "Pod", ns, "web-0", null);
    await().until(() -> pod(ns, "web-0") != null && !revision(pod(ns, "web-0")).equals(oldRevision));
    assertThat(pod(ns, "web-0").getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
  }

  @Test
  void statusCountsThePods() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "");
    bringUp(ns, "web-0", "web-1");
    await().until(() -> set(ns, "web").getStatus() != null && Integer.valueOf(2).equals(set(ns, "web").getStatus().getReadyReplicas()));
    StatefulSet set = set(ns, "web");
    var status = set.getStatus();
    assertThat(status.getObservedGeneration()).isEqualTo(set.getMetadata().getGeneration());
    assertThat(status.getReplicas()).isEqualTo(2);
    assertThat(status.getAvailableReplicas()).isEqualTo(2);
    assertThat(status.getCurrentReplicas()).isEqualTo(2);
    assertThat(status.getUpdatedReplicas()).isEqualTo(2);
    assertThat(status.getCollisionCount()).isZero();
    assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision()).startsWith("web-");

    scale(ns, "web", 3);
    await().until(() -> set(ns, "web").getStatus().getObservedGeneration() == 2L
        && set(ns, "web").getStatus().getReplicas() == 3);
    assertThat(set(ns, "web").getStatus().getReadyReplicas()).isEqualTo(2);
  }

  @Test
  void minReadySecondsHoldsTheNextPodUntilThePreviousIsAvailable() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "minReadySeconds: 3600");
    await().until(() -> pod(ns, "web-0") != null);
    runReady(ns, "web-0", Instant.now());
    awaitReconciled(ns, "web");
    assertThat(pod(ns, "web-1")).isNull();
    await().until(() -> set(ns, "web").getStatus() != null && Integer.valueOf(1).equals(set(ns, "web").getStatus().getReadyReplicas()));
    assertThat(set(ns, "web").getStatus().getAvailableReplicas()).isZero();

    runReady(ns, "web-0", Instant.now().minusSeconds(3601));
    await().until(() -> pod(ns, "web-1") != null);
    assertThat(set(ns, "web").getStatus().getAvailableReplicas()).isEqualTo(1);
  }

  @Test
  void claimsFollowTheRetentionPolicy() {
    String ns = namespace();
    statefulSet(ns, "web", 2, "podManagementPolicy: Parallel\n"
        + "persistentVolumeClaimRetentionPolicy: {whenDeleted: Delete, whenScaled: Delete}");
    await().until(() -> pod(ns, "web-1") != null);
    String setUid = set(ns, "web").getMetadata().getUid();
    await().until(() -> ownerUids(ns, "www-web-0").equals(List.of(setUid)) && ownerUids(ns, "www-web-1").equals(List.of(setUid)));

    runReady(ns, "web-0");
    runReady(ns, "web-1");
    bind(ns, "web-1");
    String podUid = pod(ns, "web-1").getMetadata().getUid();
    scale(ns, "web", 1);
    // the condemned pod's claim goes with the pod, not with the set
    await().until(() -> ownerUids(ns, "www-web-1").equals(List.of(podUid)));
    assertThat(ownerUids(ns, "www-web-0")).containsExactly(setUid);
  }

  @Test
  void oldRevisionsBeyondTheHistoryLimitAreDeleted() {
    String ns = namespace();
    statefulSet(ns, "web", 0, "revisionHistoryLimit: 1");
    await().until(() -> set(ns, "web").getStatus() != null && set(ns, "web").getStatus().getUpdateRevision() != null);
    for (String image : List.of("nginx:1", "nginx:2", "nginx:3")) {
      String before = set(ns, "web").getStatus().getUpdateRevision();
      changeImage(ns, "web", image);
      await().until(() -> !before.equals(set(ns, "web").getStatus().getUpdateRevision()));
    }
    await().until(() -> fixture.list(ControllerRevision.class, ns).size() == 2);
    assertThat(fixture.list(ControllerRevision.class, ns)).extracting(ControllerRevision::getRevision)
        .containsExactlyInAnyOrder(3L, 4L);
  }

  @Test
  void goingBackToAnEarlierTemplateRenumbersItsRevision() {
    String ns = namespace();
    statefulSet(ns, "web", 0, "");
    await().until(() -> set(ns, "web").getStatus() != null && set(ns, "web").getStatus().getUpdateRevision() != null);
    String first = set(ns, "web").getStatus().getUpdateRevision();
    changeImage(ns, "web", "nginx:2");
    await().until(() -> !first.equals(set(ns, "web").getStatus().getUpdateRevision()));
    changeImage(ns, "web", "nginx:1.27");
    await().until(() -> first.equals(set(ns, "web").getStatus().getUpdateRevision()));
    Map<String, Long> numbers = fixture.list(ControllerRevision.class, ns).stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), ControllerRevision::getRevision));
    assertThat(numbers).hasSize(2).containsEntry(first, 3L);
  }

  @Test
  void admissionDefaultsTheSpec() {
    String ns = namespace();
    ObjectNode stored = fixture.apply("""
        {apiVersion: apps/v1, kind: StatefulSet, metadata: {name: plain, namespace: %s},
         spec: {selector: {matchLabels: {app: plain}}, template: {metadata: {labels: {app: plain}},
           spec: {containers: [{name: c, image: busybox}]}}}}
        """.formatted(ns));
    var spec = stored.path("spec");
    assertThat(spec.path("replicas").asInt()).isEqualTo(1);
    assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("OrderedReady");
    assertThat(spec.path("updateStrategy").path("type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.path("updateStrategy").path("rollingUpdate").path("partition").asInt(-1)).isZero();
    assertThat(spec.path("revisionHistoryLimit").asInt()).isEqualTo(10);
    assertThat(spec.path("persistentVolumeClaimRetentionPolicy").path("whenDeleted").asText()).isEqualTo("Retain");
    assertThat(spec.path("persistentVolumeClaimRetentionPolicy").path("whenScaled").asText()).isEqualTo("Retain");
  }

  static List<String> ownerUids(String ns, String claim) {
    PersistentVolumeClaim c = fixture.get(PersistentVolumeClaim.class, ns, claim);
    if (c == null || c.getMetadata().getOwnerReferences() == null) return List.of();
    return c.getMetadata().getOwnerReferences().stream().map(OwnerReference::getUid).toList();
  }
}
