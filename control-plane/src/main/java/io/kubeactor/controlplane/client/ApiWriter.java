package io.kubeactor.controlplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.registry.PodBinding;
import io.kubeactor.controlplane.registry.PodEviction;
import io.kubeactor.controlplane.registry.Registry;
import io.kubeactor.controlplane.registry.Scales;
import io.kubeactor.controlplane.registry.WriteOptions;
import java.time.Clock;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The one way in-process components write cluster state: through the registry, the same path
 * (admission, validation, preconditions) as a client's request, with the options of an internal
 * writer (no dry run, unknown fields dropped). Typed writes serve the controllers: updates carry
 * the resourceVersion the controller read, so a write based on a stale cache fails with a conflict
 * and the key is retried from fresh state. Untyped writes, on the stored JSON, serve the components
 * that speak it (the node gateway, the scheduler, the event recorder); they cost no more than a call
 * on the registry, since pod status reports come through here. A write completes once the informer
 * of its kind shows it, so the writer then reads its own write from the informers.
 */
public final class ApiWriter {

  private final Registry registry;
  private final Informers informers;
  private final ResourceType pods;

  public ApiWriter(Registry registry, Informers informers) {
    this.registry = registry;
    this.informers = informers;
    this.pods = informers.typeOf(Pod.class);
  }

  public <T extends HasMetadata> CompletionStage<T> create(T object) {
    ResourceType t = informers.typeOf(object.getClass());
    ObjectNode body = Json.toTree(object);
    return seen(t, registry.create(t, object.getMetadata().getNamespace(), body, WriteOptions.internal()))
        .thenApply(o -> typed(o, object));
  }

  /** Creates the object given as JSON, at the type's version. */
  public CompletionStage<ObjectNode> create(ResourceType type, String namespace, ObjectNode body) {
    return seen(type, registry.create(type, namespace, body, WriteOptions.internal()));
  }

  /** PUT of the whole object; its resourceVersion is the precondition. */
  public <T extends HasMetadata> CompletionStage<T> update(T object) {
    return put(object, null);
  }

  /** PUT of the object's status; its resourceVersion is the precondition. */
  public <T extends HasMetadata> CompletionStage<T> updateStatus(T object) {
    return put(object, "status");
  }

  /** PUT of a CertificateSigningRequest's approval (its conditions); its resourceVersion is the precondition. */
  public <T extends HasMetadata> CompletionStage<T> updateApproval(T object) {
    return put(object, "approval");
  }

  private <T extends HasMetadata> CompletionStage<T> put(T object, String subresource) {
    ResourceType t = informers.typeOf(object.getClass());
    ObjectNode body = Json.toTree(object);
    return seen(t, registry.update(t, object.getMetadata().getNamespace(), object.getMetadata().getName(), subresource,
        body, WriteOptions.internal())).thenApply(o -> typed(o, object));
  }

  /**
   * Read-modify-write of the main resource: {@code change} gets the current object (a copy of its
   * own to change and return) and the result is written with the read resourceVersion as a
   * precondition; a conflict with another writer reads again and retries. The spec's rules apply
   * as to an update.
   */
  public CompletionStage<ObjectNode> guaranteedUpdate(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return seen(type, registry.guaranteedUpdate(type, namespace, name, 0, WriteOptions.internal(), change));
  }

  /**
   * Read-modify-write, retried on conflict, of what the spec's update rules do not govern: status,
   * a node's registration, a Lease's renewal, the deletion markers. As {@link #guaranteedUpdate}
   * otherwise.
   */
  public CompletionStage<ObjectNode> guaranteedSubresourceUpdate(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return seen(type, registry.guaranteedSubresourceUpdate(type, namespace, name, change));
  }

  /**
   * PUT of the object's scale subresource: spec.replicas set to {@code replicas} if the object is
   * still at {@code resourceVersion} (the version its Scale was read at), else a conflict, as an
   * update of /scale with the read Scale is. The object's new Scale.
   */
  public CompletionStage<Scale> updateScale(ResourceType type, String namespace, String name, String resourceVersion,
      int replicas) {
    if (!Scales.scalable(type)) {
      return java.util.concurrent.CompletableFuture.failedFuture(
          ApiException.notFound(type.group(), type.plural() + "/scale", name));
    }
    long expected = resourceVersion == null || resourceVersion.isEmpty() ? 0 : Long.parseLong(resourceVersion);
    return seen(type, registry.guaranteedUpdate(type, namespace, name, expected, WriteOptions.internal(), current -> {
      current.withObjectProperty("spec").put("replicas", replicas);
      return current;
    })).thenApply(o -> Json.fromTree(Scales.scaleOf(o), Scale.class));
  }

  /** pods/binding: assigns the pod to the node, once (the PodScheduled condition timed by {@code clock}). */
  public CompletionStage<ObjectNode> bind(String namespace, String name, String nodeName, Clock clock) {
    return seen(pods, PodBinding.bind(registry, pods, namespace, name, nodeName, clock));
  }

  /** A patch (e.g. "application/merge-patch+json") of the main resource, read-modify-write in the registry. */
  public <T extends HasMetadata> CompletionStage<T> patch(Class<T> model, String namespace, String name,
      String contentType, JsonNode patch) {
    ResourceType t = informers.typeOf(model);
    return seen(t, registry.patch(t, namespace, name, null, contentType, patch, WriteOptions.internal()))
        .thenApply(o -> Json.fromTree(o, model));
  }

  /**
   * pods/NAME/resize, as {@code kubectl patch --subresource resize} sends it: a strategic merge patch
   * of the containers' resources, of which only cpu and memory may change; a refusal (e.g. the pod's
   * QoS class would change) fails the stage with the 422.
   */
  public CompletionStage<Pod> resize(String namespace, String name, JsonNode patch) {
    return seen(pods, registry.patch(pods, namespace, name, "resize", "application/strategic-merge-patch+json", patch,
        WriteOptions.internal())).thenApply(o -> Json.fromTree(o, Pod.class));
  }

  /** Deletes the object if it is still the one with this uid, with the propagation policy (null: the kind's default). */
  public CompletionStage<Void> delete(HasMetadata object, String propagationPolicy) {
    ResourceType t = informers.typeOf(object.getClass());
    DeleteOptions opts = new DeleteOptions(null, propagationPolicy, object.getMetadata().getUid(), null, false);
    return delete(t, object.getMetadata().getNamespace(), object.getMetadata().getName(), opts).thenApply(o -> null);
  }

  /**
   * Deletes the object, or starts its graceful deletion, as a DELETE with these options does; the
   * object as deleted or as marked for deletion.
   */
  public CompletionStage<ObjectNode> delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    return seen(type, registry.delete(type, namespace, name, options));
  }

  /**
   * pods/NAME/eviction, as {@code kubectl drain} posts it: the pod's (graceful) deletion if it is
   * still the one with this uid and its PodDisruptionBudgets allow one more disruption; a budget
   * that does not fails the stage with the 429 (TooManyRequests) the eviction API answers.
   */
  public CompletionStage<Void> evict(Pod pod, Clock clock) {
    DeleteOptions opts = new DeleteOptions(null, null, pod.getMetadata().getUid(), null, false);
    return seen(pods, PodEviction.evict(registry, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), opts, clock));
  }

  /**
   * The write's outcome once the written kind's informer shows it: a component that writes through
   * here and then reads its informer sees its own write (the store hands the change to the informers
   * before it answers; this waits for them to apply it).
   */
  private <R> CompletionStage<R> seen(ResourceType written, CompletionStage<R> write) {
    return write.thenCompose(r -> informers.whenCaughtUp(written).thenApply(x -> r));
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> T typed(ObjectNode o, T like) {
    return (T) Json.fromTree(o, like.getClass());
  }
}
