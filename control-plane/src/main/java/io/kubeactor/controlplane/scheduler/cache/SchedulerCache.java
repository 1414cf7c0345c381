package io.kubeactor.controlplane.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kubeactor.controlplane.scheduler.framework.AffinityTerm;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.PodInfo;
import io.kubeactor.controlplane.scheduler.framework.Snapshot;
import io.kubeactor.controlplane.scheduler.framework.VolumeObjects;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * kube-scheduler's cache (pkg/scheduler/backend/cache): a {@link NodeInfo} per node, kept up to date
 * from the informers' events (nodes, and pods bound to a node and not terminated) and from the
 * scheduler's own decisions. A pod the scheduler placed is <em>assumed</em> on its node at once,
 * before its binding is written, so the next attempt counts it; the informer's event with the
 * pod's node confirms it ({@link #addPod}). An assumed pod whose binding finished but that is never
 * confirmed expires after the TTL (none when the TTL is zero); one whose binding failed is
 * forgotten. Each change to a node raises its generation and moves it to the head of a list, so
 * {@link #updateSnapshot} copies only the nodes changed since the snapshot's generation. Pods are
 * known by namespace/name. Not thread-safe: the scheduler actor owns it.
 *
 * <p>Pod states: Initial → assumed (assumePod) → confirmed (addPod) or expired (cleanup) or gone
 * (forgetPod); confirmed → updated (updatePod) → deleted (removePod); an expired pod the informer
 * shows bound later is added again.
 */
public final class SchedulerCache {

  /** A pod the cache counts on a node; deadline is set once its binding finished (assumed pods only). */
  private static final class PodState {
    PodInfo pod;
    String nodeName;
    Instant deadline;
    boolean bindingFinished;

    PodState(PodInfo pod, String nodeName) {
      this.pod = pod;
      this.nodeName = nodeName;
    }
  }

  /** A node in the doubly linked list, most recently changed first. */
  private static final class Item {
    final NodeInfo info;
    final String name;
    Item prev;
    Item next;

    Item(String name, NodeInfo info) {
      this.name = name;
      this.info = info;
    }
  }

  private final Duration ttl;
  private final Clock clock;
  private final Map<String, Item> nodes = new HashMap<>();
  private Item head;
  /** How many cached nodes have their Node object (the others only hold pods naming them). */
  private int nodeCount;
  private final Map<String, PodState> podStates = new HashMap<>();
  private final Set<String> assumed = new HashSet<>();
  private long generation;

  /**
   * @param ttl how long an assumed pod whose binding finished waits for the informer to confirm it
   *     before it no longer counts; zero: forever
   */
  public SchedulerCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  public static String keyOf(Pod pod) {
    return AffinityTerm.namespaceOf(pod) + "/" + pod.getMetadata().getName();
  }

  public static boolean terminated(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  /** A snapshot of fixed nodes and pods, as tests and one-off decisions build it. */
  public static Snapshot snapshotOf(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels) {
    return snapshotOf(nodes, boundPods, incoming, namespaceLabels, VolumeObjects.NONE);
  }

  /**
   * @param incoming the pod being scheduled, left out of the bound pods should it appear there
   */
  public static Snapshot snapshotOf(List<Node> nodes, List<Pod> boundPods, Pod incoming, Map<String, Map<String, String>> namespaceLabels,
      VolumeObjects volumes) {
    SchedulerCache cache = new SchedulerCache(Duration.ZERO, Clock.systemUTC());
    for (Node node : nodes) {
      if (node.getMetadata() != null && node.getMetadata().getName() != null) cache.addNode(node);
    }
    for (Pod pod : boundPods) {
      if (pod.getSpec() == null || pod.getSpec().getNodeName() == null) continue;
      if (terminated(pod) || (incoming != null && samePod(pod, incoming))) continue;
      cache.addPod(pod);
    }
    Snapshot snapshot = new Snapshot();
    cache.updateSnapshot(snapshot);
    Map<String, Map<String, String>> labels = namespaceLabels == null ? Map.of() : namespaceLabels;
    snapshot.setNamespaceLabels(ns -> labels.getOrDefault(ns, Map.of()));
    snapshot.setVolumes(volumes);
    return snapshot;
  }

  // Nodes.

  /** A Node seen, new or changed. */
  public void addNode(Node node) {
    String name = node.getMetadata().getName();
    Item item = nodes.get(name);
    if (item == null) {
      item = new Item(name, new NodeInfo(node));
      nodes.put(name, item);
      nodeCount++;
    } else {
      if (item.info.node() == null) nodeCount++;
      item.info.setNode(node);
    }
    touch(item);
  }

  /** A Node deleted: its pods still count until their own deletions are seen (upstream RemoveNode). */
  public void removeNode(String name) {
    Item item = nodes.get(name);
    if (item == null || item.info.node() == null) return;
    item.info.removeNode();
    nodeCount--;
    if (item.info.pods().isEmpty()) unlink(item);
    else touch(item);
  }

  // Pods seen by the informer.

  /** A pod the informer shows bound: confirms it if assumed (on whatever node it landed), else adds it. */
  public void addPod(Pod pod) {
    String key = keyOf(pod);
    PodState state = podStates.get(key);
    String nodeName = pod.getSpec().getNodeName();
    if (state == null) {
      // new, or assumed and expired since: counted (again)
      PodState added = new PodState(PodInfo.of(pod), nodeName);
      podStates.put(key, added);
      addToNode(added);
      return;
    }
    // assumed and now confirmed, or seen before: the informer's pod replaces what was counted
    removeFromNode(state);
    state.pod = PodInfo.of(pod);
    state.nodeName = nodeName;
    state.deadline = null;
    addToNode(state);
    assumed.remove(key);
  }

  /** A bound pod changed (labels, a resize, or a different node in an odd case). */
  public void updatePod(Pod pod) {
    addPod(pod);
  }

  /** A bound pod deleted or terminated. */
  public void removePod(String key) {
    PodState state = podStates.remove(key);
    assumed.remove(key);
    if (state != null) removeFromNode(state);
  }

  // The scheduler's own decisions.

  /** Counts the pod on the node the scheduler chose, before its binding is written. */
  public void assumePod(Pod pod, String nodeName) {
    String key = keyOf(pod);
    if (podStates.containsKey(key)) throw new IllegalStateException("pod " + key + " is in the cache already");
    PodState state = new PodState(PodInfo.of(pod), nodeName);
    podStates.put(key, state);
    assumed.add(key);
    addToNode(state);
  }

  /** The binding of an assumed pod was written: from now on it may expire. */
  public void finishBinding(String key) {
    PodState state = podStates.get(key);
    if (state == null || !assumed.contains(key)) return;
    state.bindingFinished = true;
    state.deadline = clock.instant().plus(ttl);
  }

  /** The binding of an assumed pod failed: it no longer counts. */
  public void forgetPod(String key) {
    if (!assumed.contains(key)) return;
    removePod(key);
  }

  public boolean isAssumed(String key) {
    return assumed.contains(key);
  }

  /** Whether the cache counts this pod on a node, assumed or confirmed. */
  public boolean contains(String key) {
    return podStates.containsKey(key);
  }

  /** The node the cache counts the pod on, or null. */
  public String nodeOf(String key) {
    PodState state = podStates.get(key);
    return state == null ? null : state.nodeName;
  }

  /** Drops the assumed pods whose binding finished more than the TTL ago unconfirmed; returns their keys. */
  public List<String> cleanupExpiredAssumedPods() {
    if (ttl.isZero()) return List.of();
    Instant now = clock.instant();
    List<String> expired = assumed.stream().filter(key -> {
      PodState state = podStates.get(key);
      return state.bindingFinished && now.isAfter(state.deadline);
    }).toList();
    expired.forEach(this::removePod);
    return expired;
  }

  public int nodeCount() {
    return nodeCount;
  }

  public int podCount() {
    return podStates.size();
  }

  /** The cache's node info (not a copy), for tests. */
  public NodeInfo nodeInfo(String name) {
    Item item = nodes.get(name);
    return item == null ? null : item.info;
  }

  // The snapshot.

  /**
   * Brings the snapshot up to the cache's state: copies the nodes changed since the snapshot's
   * generation (walking the list from its head until an older node), drops nodes gone, and orders
   * the list again only when nodes came or went (upstream UpdateSnapshot).
   */
  public void updateSnapshot(Snapshot snapshot) {
    long since = snapshot.generation();
    boolean relist = false;
    boolean relistAffinity = false;
    for (Item item = head; item != null && item.info.generation() > since; item = item.next) {
      if (item.info.node() == null) continue;
      Snapshot.Rebuild rebuild = snapshot.put(item.info.copy());
      relist |= rebuild == Snapshot.Rebuild.ALL_LISTS;
      relistAffinity |= rebuild == Snapshot.Rebuild.AFFINITY_LISTS;
    }
    if (head != null) snapshot.setGeneration(head.info.generation());
    if (snapshot.size() > nodeCount) {
      relist |= snapshot.removeIf(name -> {
        Item item = nodes.get(name);
        return item == null || item.info.node() == null;
      });
    }
    if (relist) snapshot.relist();
    else if (relistAffinity) snapshot.relistAffinity();
  }

  private void addToNode(PodState state) {
    Item item = nodes.get(state.nodeName);
    if (item == null) {
      // a pod may name a node not seen yet
      item = new Item(state.nodeName, new NodeInfo(null));
      nodes.put(state.nodeName, item);
    }
    item.info.addPod(state.pod);
    touch(item);
  }

  private void removeFromNode(PodState state) {
    Item item = nodes.get(state.nodeName);
    if (item == null || !item.info.removePod(state.pod.key())) return;
    if (item.info.node() == null && item.info.pods().isEmpty()) unlink(item);
    else touch(item);
  }

  /** A node changed: a new generation, and to the head of the list. */
  private void touch(Item item) {
    item.info.setGeneration(++generation);
    if (head == item) return;
    if (item.prev != null) item.prev.next = item.next;
    if (item.next != null) item.next.prev = item.prev;
    item.prev = null;
    item.next = head;
    if (head != null) head.prev = item;
    head = item;
  }

  private void unlink(Item item) {
    nodes.remove(item.name);
    if (item.prev != null) item.prev.next = item.next;
    if (item.next != null) item.next.prev = item.prev;
    if (head == item) head = item.next;
    item.prev = null;
    item.next = null;
  }
  private static boolean samePod(Pod a, Pod b) {
    if (a == b) return true;
    if (a.getMetadata() == null || b.getMetadata() == null) return false;
    String uidA = a.getMetadata().getUid(), uidB = b.getMetadata().getUid();
    if (uidA != null && uidB != null) return uidA.equals(uidB);
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }}
