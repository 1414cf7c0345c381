package io.kubeactor.controlplane.security.node;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Which objects each node needs, the Node authorizer's graph (plugin/pkg/auth/authorizer/node/graph.go)
 * reduced to the edges kube-apiserver's has for the kinds served here:
 * node ← pod ← {secret, configmap, serviceaccount, pvc ← pv ← secret}. A node may read an object when a
 * pod bound to it refers to it, directly or through a claim's volume.
 *
 * <p>Kept from informers ({@link NodeGraphPopulator}), never from writes; a request only reads it:
 * a lookup or two in hash maps under a read lock.
 */
public final class NodeGraph {

  /** The kinds of objects a node may reach. */
  public enum Kind { POD, SECRET, CONFIGMAP, SERVICEACCOUNT, PERSISTENTVOLUMECLAIM, PERSISTENTVOLUME }

  /** An object in the graph; {@code namespace} is "" for a PersistentVolume. */
  public record Ref(Kind kind, String namespace, String name) {}

  /** What a bound pod contributes: its node and the objects it refers to. */
  private record PodEdges(String node, Set<Ref> refs) {}

  /** What a PersistentVolume contributes: the claim bound to it (null when none) and its Secrets. */
  private record VolumeEdges(Ref claim, Set<Ref> secrets) {}

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, PodEdges> pods = new HashMap<>();
  /** Each object pods refer to: by node, how many of its pods do. */
  private final Map<Ref, Map<String, Integer>> nodesOf = new HashMap<>();
  private final Map<String, VolumeEdges> volumes = new HashMap<>();
  /** Each Secret PersistentVolumes refer to: the names of those volumes. */
  private final Map<Ref, Set<String>> volumesOfSecret = new HashMap<>();

  /** Adds a pod or replaces what it contributed (graph_populator's updatePod); an unbound pod contributes nothing. */
  public void setPod(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    PodEdges edges = node == null || node.isEmpty() ? null : new PodEdges(node, podRefs(pod, namespace));
    lock.writeLock().lock();
    try {
      PodEdges old = edges == null ? pods.remove(key(namespace, name)) : pods.put(key(namespace, name), edges);
      if (old != null) old.refs().forEach(r -> unlink(r, old.node()));
      if (edges != null) edges.refs().forEach(r -> link(r, edges.node()));
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void deletePod(String namespace, String name) {
    lock.writeLock().lock();
    try {
      PodEdges old = pods.remove(key(namespace, name));
      if (old != null) old.refs().forEach(r -> unlink(r, old.node()));
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds a PersistentVolume or replaces what it contributed: its claim and its driver's Secrets. */
  public void setPersistentVolume(PersistentVolume pv) {
    var claimRef = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
    Ref claim = claimRef == null || claimRef.getName() == null ? null
        : new Ref(Kind.PERSISTENTVOLUMECLAIM, claimRef.getNamespace() == null ? "" : claimRef.getNamespace(), claimRef.getName());
    Set<Ref> secrets = new LinkedHashSet<>();
    ObjectReferences.persistentVolumeSecrets(pv).forEach(s -> secrets.add(new Ref(Kind.SECRET, s.namespace(), s.name())));
    String name = pv.getMetadata().getName();
    lock.writeLock().lock();
    try {
      removeVolume(name);
      volumes.put(name, new VolumeEdges(claim, secrets));
      for (Ref s : secrets) volumesOfSecret.computeIfAbsent(s, k -> new HashSet<>()).add(name);
    } finally {
      lock.writeLock().unlock();
    }
  }

  public void deletePersistentVolume(String name) {
    lock.writeLock().lock();
    try {
      removeVolume(name);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether the node needs the object: a pod bound to it refers to it, directly or through a volume. */
  public boolean related(String node, Kind kind, String namespace, String name) {
    Ref ref = new Ref(kind, kind == Kind.PERSISTENTVOLUME ? "" : namespace, name);
    lock.readLock().lock();
    try {
      return switch (kind) {
        case POD -> {
          PodEdges pod = pods.get(key(namespace, name));
          yield pod != null && pod.node().equals(node);
        }
        case PERSISTENTVOLUME -> volumeRelated(node, name);
        case SECRET -> direct(node, ref) || volumesOfSecret.getOrDefault(ref, Set.of()).stream()
            .anyMatch(pv -> volumeRelated(node, pv));
        default -> direct(node, ref);
      };
    } finally {
      lock.readLock().unlock();
    }
  }

  private boolean direct(String node, Ref ref) {
    Map<String, Integer> nodes = nodesOf.get(ref);
    return nodes != null && nodes.containsKey(node);
  }

  private boolean volumeRelated(String node, String pv) {
    VolumeEdges v = volumes.get(pv);
    return v != null && v.claim() != null && direct(node, v.claim());
  }

  private void removeVolume(String name) {
    VolumeEdges old = volumes.remove(name);
    if (old == null) return;
    for (Ref s : old.secrets()) {
      Set<String> names = volumesOfSecret.get(s);
      if (names != null && names.remove(name) && names.isEmpty()) volumesOfSecret.remove(s);
    }
  }

  private void link(Ref ref, String node) {
    nodesOf.computeIfAbsent(ref, k -> new HashMap<>(2)).merge(node, 1, Integer::sum);
  }

  private void unlink(Ref ref, String node) {
    Map<String, Integer> nodes = nodesOf.get(ref);
    if (nodes == null) return;
    nodes.computeIfPresent(node, (n, count) -> count == 1 ? null : count - 1);
    if (nodes.isEmpty()) nodesOf.remove(ref);
  }

  private static Set<Ref> podRefs(Pod pod, String namespace) {
    Set<Ref> refs = new LinkedHashSet<>();
    ObjectReferences.podSecrets(pod).forEach(n -> refs.add(new Ref(Kind.SECRET, namespace, n)));
    ObjectReferences.podConfigMaps(pod).forEach(n -> refs.add(new Ref(Kind.CONFIGMAP, namespace, n)));
    ObjectReferences.podClaims(pod).forEach(n -> refs.add(new Ref(Kind.PERSISTENTVOLUMECLAIM, namespace, n)));
    String account = pod.getSpec().getServiceAccountName();
    if (account != null && !account.isEmpty()) refs.add(new Ref(Kind.SERVICEACCOUNT, namespace, account));
    return refs;
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
