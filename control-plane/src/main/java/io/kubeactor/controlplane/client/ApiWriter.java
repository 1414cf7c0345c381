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
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RequestAttributes;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
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
 *
 * <p>As made, the writer is the API server's own (system:apiserver, which nothing authorizes, as
 * kube-apiserver's loopback client). {@link #as} gives a component its own identity, as
 * kube-controller-manager's --use-service-account-credentials does: each write is then authorized
 * for that user first and refused as the API server refuses a request (403, upstream's words), and
 * admission sees the user.
 */
public final class ApiWriter {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiWriter.class);

  private final Registry registry;
  private final Informers informers;
  private final ResourceType pods;
  private final UserInfo user;
  /** Null for the API server's own writes. */
  private final Authorizer authorizer;

  public ApiWriter(Registry registry, Informers informers) {
    this(registry, informers, WriteOptions.INTERNAL_USER, null);
  }

  private ApiWriter(Registry registry, Informers informers, UserInfo user, Authorizer authorizer) {
    this.registry = registry;
    this.informers = informers;
    this.pods = informers.typeOf(Pod.class);
    this.user = user;
    this.authorizer = authorizer;
  }

  /** This writer acting as {@code user}, whose every write {@code authorizer} must allow. */
  public ApiWriter as(UserInfo user, Authorizer authorizer) {
    return new ApiWriter(registry, informers, user, authorizer);
  }

  private WriteOptions options() {
    return WriteOptions.internal(user);
  }

  /** The write, if the user may make it; else the API server's 403. */
  private <R> CompletionStage<R> authorized(String verb, ResourceType type, String subresource, String namespace,
      String name, Supplier<CompletionStage<R>> write) {
    if (authorizer != null) {
      Attributes a = Attributes.resource(user, verb, type.group(), type.plural(), subresource, namespace, name);
      Authorizer.Decision decision = authorizer.authorize(a);
      if (!decision.allowed()) {
        ApiException refused = RequestAttributes.forbidden(a, decision.reason());
        // a component refused lacks a rule in its role: said once per write, as upstream's components log it
        LOG.warn("{}", refused.getMessage());
        return CompletableFuture.failedFuture(refused);
      }
    }
    return write.get();
  }

  public <T extends HasMetadata> CompletionStage<T> create(T object) {
    ResourceType t = informers.typeOf(object.getClass());
    ObjectNode body = Json.toTree(object);
    return create(t, object.getMetadata().getNamespace(), body).thenApply(o -> typed(o, object));
  }

  /** Creates the object given as JSON, at the type's version. */
  public CompletionStage<ObjectNode> create(ResourceType type, String namespace, ObjectNode body) {
    return seen(type, authorized("create", type, "", namespace, "",
        () -> registry.create(type, namespace, body, options())));
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
    String namespace = object.getMetadata().getNamespace();
    String name = object.getMetadata().getName();
    return seen(t, authorized("update", t, subresource == null ? "" : subresource, namespace, name,
        () -> registry.update(t, namespace, name, subresource, body, options()))).thenApply(o -> typed(o, object));
  }

  /**
   * Read-modify-write of the main resource: {@code change} gets the current object (a copy of its
   * own to change and return) and the result is written with the read resourceVersion as a
   * precondition; a conflict with another writer reads again and retries. The spec's rules apply
   * as to an update.
   */
  public CompletionStage<ObjectNode> guaranteedUpdate(ResourceType type, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return seen(type, authorized("update", type, "", namespace, name,
        () -> registry.guaranteedUpdate(type, namespace, name, 0, options(), change)));
  }

  /**
   * Read-modify-write, retried on conflict, of what the spec's update rules do not govern: status,
   * a node's registration, a Lease's renewal, the deletion markers. As {@link #guaranteedUpdate}
   * otherwise. Authorized as the patch of {@code subresource} ("" for the object itself) that
   * upstream's components send for such a change.
   */
  public CompletionStage<ObjectNode> guaranteedSubresourceUpdate(ResourceType type, String namespace, String name,
      String subresource, UnaryOperator<ObjectNode> change) {
    return seen(type, authorized("patch", type, subresource, namespace, name,
        () -> registry.guaranteedSubresourceUpdate(type, namespace, name, change)));
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
    return seen(type, authorized("update", type, "scale", namespace, name,
        () -> registry.guaranteedUpdate(type, namespace, name, expected, options(), current -> {
          Scales.setReplicas(type, current, replicas);
          return current;
        }))).thenApply(o -> Json.fromTree(Scales.scaleOf(type, o), Scale.class));
  }

  /** pods/binding: assigns the pod to the node, once (the PodScheduled condition timed by {@code clock}). */
  public CompletionStage<ObjectNode> bind(String namespace, String name, String nodeName, Clock clock) {
    return seen(pods, authorized("create", pods, "binding", namespace, name,
        () -> PodBinding.bind(registry, pods, namespace, name, nodeName, clock)));
  }

  /** A patch (e.g. "application/merge-patch+json") of the main resource, read-modify-write in the registry. */
  public <T extends HasMetadata> CompletionStage<T> patch(Class<T> model, String namespace, String name,
      String contentType, JsonNode patch) {
    ResourceType t = informers.typeOf(model);
    return seen(t, authorized("patch", t, "", namespace, name,
        () -> registry.patch(t, namespace, name, null, contentType, patch, options()))).thenApply(o -> Json.fromTree(o, model));
  }

  /**
   * pods/NAME/resize, as {@code kubectl patch --subresource resize} sends it: a strategic merge patch
   * of the containers' resources, of which only cpu and memory may change; a refusal (e.g. the pod's
   * QoS class would change) fails the stage with the 422.
   */
  public CompletionStage<Pod> resize(String namespace, String name, JsonNode patch) {
    return seen(pods, authorized("patch", pods, "resize", namespace, name,
        () -> registry.patch(pods, namespace, name, "resize", "application/strategic-merge-patch+json", patch, options())))
        .thenApply(o -> Json.fromTree(o, Pod.class));
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
    return seen(type, authorized("delete", type, "", namespace, name,
        () -> registry.delete(type, namespace, name, options, authorizer == null ? null : user)));
  }

  /**
   * pods/NAME/eviction, as {@code kubectl drain} posts it: the pod's (graceful) deletion if it is
   * still the one with this uid and its PodDisruptionBudgets allow one more disruption; a budget
   * that does not fails the stage with the 429 (TooManyRequests) the eviction API answers.
   */
  public CompletionStage<Void> evict(Pod pod, Clock clock) {
    DeleteOptions opts = new DeleteOptions(null, null, pod.getMetadata().getUid(), null, false);
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    return seen(pods, authorized("create", pods, "eviction", namespace, name,
        () -> PodEviction.evict(registry, namespace, name, opts, clock)));
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
