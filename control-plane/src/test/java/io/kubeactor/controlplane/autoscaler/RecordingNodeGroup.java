package io.kubeactor.controlplane.autoscaler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node group's test double: it starts nothing, only remembers what it was asked (the nodes it
 * would start count as upcoming until a Node of their name registers), so that the autoscaler's
 * decisions can be checked without agents. Unit tests only; the end-to-end test runs the local
 * node provider.
 */
final class RecordingNodeGroup implements NodeGroup {
  final String id;
  final int min;
  final int max;
  final List<Integer> increases = new CopyOnWriteArrayList<>();
  final List<String> deleted = new CopyOnWriteArrayList<>();
  private final List<String> starting = new CopyOnWriteArrayList<>();
  private int next = 2;

  RecordingNodeGroup(String id, int min, int max) {
    this.id = id;
    this.min = min;
    this.max = max;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int minSize() {
    return min;
  }

  @Override
  public int maxSize() {
    return max;
  }

  @Override
  public boolean contains(Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    return labels != null && id.equals(labels.get(LocalNodeProvider.GROUP_LABEL));
  }

  @Override
  public List<String> upcoming(Set<String> registered) {
    starting.removeIf(registered::contains);
    return List.copyOf(starting);
  }

  /** Nodes the test says failed to come up: they are no longer upcoming and are reported once. */
  final List<String> failures = new CopyOnWriteArrayList<>();

  void fail(String name) {
    starting.remove(name);
    failures.add(name);
  }

  @Override
  public List<String> takeFailed() {
    List<String> taken = List.copyOf(failures);
    failures.removeAll(taken);
    return taken;
  }

  @Override
  public synchronized CompletionStage<List<String>> increaseSize(int delta) {
    increases.add(delta);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < delta; i++) names.add(id + "-m0" + next++);
    starting.addAll(names);
    return CompletableFuture.completedFuture(names);
  }

  @Override
  public CompletionStage<Void> deleteNode(String name) {
    deleted.add(name);
    return CompletableFuture.completedFuture(null);
  }
}
