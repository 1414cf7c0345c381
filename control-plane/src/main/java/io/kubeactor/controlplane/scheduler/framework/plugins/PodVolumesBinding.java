package io.kubeactor.controlplane.scheduler.framework.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.storage.PersistentVolumes;
import io.kubeactor.controlplane.client.ApiWriter;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
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

  public static CompletionStage<Void> bind(ApiWriter writer, FreshRead fresh, Informer<PersistentVolumeClaim> informer,
      List<PersistentVolumeClaim> claims, String node, Duration timeout) {
    if (claims.isEmpty()) return CompletableFuture.completedFuture(null);
    ResourceType type = informer.type();
    CompletableFuture<?>[] writes = claims.stream().map(c -> writer.guaranteedUpdate(type, c.getMetadata().getNamespace(),
        c.getMetadata().getName(), current -> selectNode(current, c, node)).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(writes)
        .thenCompose(written -> untilBound(fresh, informer, type, claims, timeout))
        .exceptionallyCompose(e -> {
          Throwable cause = io.kubeactor.controlplane.api.ApiException.unwrap(e);
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
   * Completes when every claim is bound (checkBindings), fails when one cannot be any more: from the
   * claims as stored now, then each change the claims informer hears. The informer may still hold
   * changes older than that read, so a claim's state only ever moves forward in resourceVersion.
   */
  private static CompletionStage<Void> untilBound(FreshRead fresh, Informer<PersistentVolumeClaim> informer,
      ResourceType type, List<PersistentVolumeClaim> claims, Duration timeout) {
    Map<String, String> namesByKey = new HashMap<>();
    claims.forEach(c -> namesByKey.put(Informer.keyOf(c), c.getMetadata().getName()));
    CompletableFuture<Void> bound = new CompletableFuture<>();
    Map<String, Seen> latest = new HashMap<>();
    Object lock = new Object();
    AutoCloseable watch = informer.addHandler(e -> {
      String key = Informer.keyOf(e.object());
      if (!namesByKey.containsKey(key)) return;
      synchronized (lock) {
        Seen seen = Seen.of(e.object(), e.type() == Informer.EventType.DELETED);
        if (!seen.newerThan(latest.get(key))) return;
        latest.put(key, seen);
        Outcome outcome = outcome(namesByKey, latest);
        if (outcome != null) CompletableFuture.runAsync(() -> outcome.complete(bound));
      }
    });
    bound.whenComplete((ok, e) -> close(watch));
    Outcome outcome;
    synchronized (lock) {
      claims.forEach(c -> {
        PersistentVolumeClaim now = fresh.get(type, c.getMetadata().getNamespace(), c.getMetadata().getName(),
            PersistentVolumeClaim.class);
        Seen seen = now == null ? Seen.of(c, true) : Seen.of(now, false);
        if (seen.newerThan(latest.get(Informer.keyOf(c)))) latest.put(Informer.keyOf(c), seen);
      });
      outcome = outcome(namesByKey, latest);
    }
    if (outcome != null) outcome.complete(bound);
    return bound.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A claim as last seen (null: deleted), at its resourceVersion. */
  private record Seen(PersistentVolumeClaim claim, long resourceVersion) {
    static Seen of(PersistentVolumeClaim c, boolean deleted) {
      long rv;
      try {
        rv = Long.parseLong(c.getMetadata().getResourceVersion());
      } catch (RuntimeException e) {
        rv = 0;
      }
      return new Seen(deleted ? null : c, rv);
    }

    boolean newerThan(Seen known) {
      return known == null || resourceVersion >= known.resourceVersion;
    }
  }

  private static void close(AutoCloseable watch) {
    try {
      watch.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** How the wait ends: every claim bound (failure null), or one that cannot be. */
  private record Outcome(Failed failure) {
    void complete(CompletableFuture<Void> bound) {
      if (failure == null) bound.complete(null);
      else bound.completeExceptionally(failure);
    }
  }

  /** The outcome the claims as they are now decide, or null while they may still bind. */
  private static Outcome outcome(Map<String, String> namesByKey, Map<String, Seen> latest) {
    boolean all = true;
    for (var e : namesByKey.entrySet()) {
      Seen seen = latest.get(e.getKey());
      PersistentVolumeClaim claim = seen == null ? null : seen.claim();
      if (claim == null) {
        return new Outcome(new Failed("persistentvolumeclaim \"" + e.getValue() + "\" not found"));
      }
      Map<String, String> annotations = claim.getMetadata().getAnnotations() == null ? Map.of()
          : claim.getMetadata().getAnnotations();
      boolean hasVolume = claim.getSpec() != null && claim.getSpec().getVolumeName() != null
          && !claim.getSpec().getVolumeName().isEmpty();
      // the provisioner gives a claim back to the scheduler by removing its node
      if (!hasVolume && !annotations.containsKey(PersistentVolumes.SELECTED_NODE)) {
        return new Outcome(new Failed("provisioning failed for PVC \"" + e.getValue() + "\""));
      }
      // bound as the kubelet sees it: the phase too, which the PV controller writes last
      if (!hasVolume || !annotations.containsKey(PersistentVolumes.BIND_COMPLETED)
          || claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
        all = false;
      }
    }
    return all ? new Outcome(null) : null;
  }
}
