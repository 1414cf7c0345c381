package io.kubeactor.controlplane.scheduler.framework.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.volume.PersistentVolumes;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.store.StoreState;
import io.kubeactor.controlplane.store.WatchCache;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The VolumeBinding plugin's PreBind (BindPodVolumes): the chosen node is written on the pod's
 * delayed claims ({@value PersistentVolumes#SELECTED_NODE}), then the scheduler waits until the PV
 * controller has bound them (a volume provisioned on that node, or one found there) before it binds
 * the pod, so the pod reaches its node with its volumes ready. A claim already promised to another
 * node, gone, or whose provisioning was given up fails the attempt; the pod is scheduled again.
 */
public final class PodVolumesBinding {
  private PodVolumesBinding() {}

  /** How long the scheduler waits for the claims to bind (VolumeBindingArgs.bindTimeoutSeconds). */
  public static final Duration BIND_TIMEOUT = Duration.ofSeconds(600);

  /** A failed PreBind; the message is the FailedScheduling event's. */
  public static final class Failed extends RuntimeException {
    Failed(String why) {
      super("running PreBind plugin \"" + VolumeBinding.NAME + "\": binding volumes: " + why);
    }
  }

  public static CompletionStage<Void> bind(Registry registry, List<PersistentVolumeClaim> claims, String node, Duration timeout) {
    if (claims.isEmpty()) return CompletableFuture.completedFuture(null);
    ResourceType type = registry.types().find("/api/v1", "persistentvolumeclaims").orElseThrow();
    CompletableFuture<?>[] writes = claims.stream().map(c -> registry.guaranteedUpdate(type, c.getMetadata().getNamespace(),
        c.getMetadata().getName(), 0, WriteOptions.internal(), current -> selectNode(current, c, node)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(writes)
        .thenCompose(written -> untilBound(registry, type, claims, timeout))
        .exceptionallyCompose(e -> {
          Throwable cause = io.kubeactor.controlplane.apiserver.ApiException.unwrap(e);
          if (cause instanceof Failed) return CompletableFuture.failedFuture(cause);
          return CompletableFuture.failedFuture(new Failed(cause instanceof TimeoutException
              ? "timed out waiting for the condition" : cause.getMessage()));
        });
  }

  private static ObjectNode selectNode(ObjectNode current, PersistentVolumeClaim claim, String node) {
    JsonNode meta = current.path("metadata");
    String name = claim.getMetadata().getName();
    if (!meta.path("uid").asText().equals(claim.getMetadata().getUid())) {
      throw new Failed("persistentvolumeclaim \"" + name + "\" was recreated");
    }
    String selected = meta.path("annotations").path(PersistentVolumes.SELECTED_NODE).asText(null);
    if (selected != null && !selected.equals(node)) {
      throw new Failed("persistentvolumeclaim \"" + name + "\" is already promised to node \"" + selected + "\"");
    }
    current.withObjectProperty("metadata").withObjectProperty("annotations").put(PersistentVolumes.SELECTED_NODE, node);
    return current;
  }

  /**
   * Completes when every claim is bound (checkBindings), fails when one cannot be any more. The
   * watch's sink runs under the cache's lock: it only records the change and decides; the future is
   * completed, and the watch closed, on another thread.
   */
  private static CompletionStage<Void> untilBound(Registry registry, ResourceType type, List<PersistentVolumeClaim> claims,
      Duration timeout) {
    Map<String, String> namesByKey = new HashMap<>();
    claims.forEach(c -> namesByKey.put(type.storeKey(c.getMetadata().getNamespace(), c.getMetadata().getName()),
        c.getMetadata().getName()));
    CompletableFuture<Void> bound = new CompletableFuture<>();
    Map<String, ObjectNode> latest = new HashMap<>();
    Object lock = new Object();
    WatchCache.Started started = registry.cache().watchFromNow(type.storePrefix(), change -> {
      if (!namesByKey.containsKey(change.key())) return;
      synchronized (lock) {
        latest.put(change.key(), change.type() == WatchCache.Type.DELETED ? null : change.object());
        Outcome outcome = outcome(namesByKey, latest);
        if (outcome != null) CompletableFuture.runAsync(() -> outcome.complete(bound));
      }
    });
    bound.whenComplete((ok, e) -> started.subscription().close());
    StoreState state = started.state();
    Outcome outcome;
    synchronized (lock) {
      namesByKey.keySet().forEach(k -> {
        if (!latest.containsKey(k)) latest.put(k, state.get(k)); // a change seen since is newer
      });
      outcome = outcome(namesByKey, latest);
    }
    if (outcome != null) outcome.complete(bound);
    return bound.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** How the wait ends: every claim bound (failure null), or one that cannot be. */
  private record Outcome(Failed failure) {
    void complete(CompletableFuture<Void> bound) {
      if (failure == null) bound.complete(null);
      else bound.completeExceptionally(failure);
    }
  }

  /** The outcome the claims as they are now decide, or null while they may still bind. */
  private static Outcome outcome(Map<String, String> namesByKey, Map<String, ObjectNode> latest) {
    boolean all = true;
    for (var e : namesByKey.entrySet()) {
      ObjectNode claim = latest.get(e.getKey());
      if (claim == null) return new Outcome(new Failed("persistentvolumeclaim \"" + e.getValue() + "\" not found"));
      JsonNode annotations = claim.path("metadata").path("annotations");
      boolean hasVolume = !claim.path("spec").path("volumeName").asText("").isEmpty();
      // the provisioner gives a claim back to the scheduler by removing its node
      if (!hasVolume && !annotations.has(PersistentVolumes.SELECTED_NODE)) {
        return new Outcome(new Failed("provisioning failed for PVC \"" + e.getValue() + "\""));
      }
      // bound as the kubelet sees it: the phase too, which the PV controller writes last
      if (!hasVolume || !annotations.has(PersistentVolumes.BIND_COMPLETED)
          || !claim.path("status").path("phase").asText("").equals("Bound")) {
        all = false;
      }
    }
    return all ? new Outcome(null) : null;
  }
}
