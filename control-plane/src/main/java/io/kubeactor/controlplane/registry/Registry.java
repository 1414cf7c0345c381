package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Continuations;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.selector.FieldSelector;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.registry.WriteOptions.FieldValidationMode;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.GeneratedNames;
import io.kubeactor.controlplane.registry.customresource.CustomResourceDecoding;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import io.kubeactor.controlplane.registry.decoding.TypedDecoder;
import io.kubeactor.controlplane.registry.fieldmanager.FieldManager;
import io.kubeactor.controlplane.registry.patch.PatchEngine;
import io.kubeactor.controlplane.registry.service.ServiceNetwork;
import io.kubeactor.controlplane.registry.service.ServiceStorage;
import io.kubeactor.controlplane.registry.strategy.AdmissionReads;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategies;
import io.kubeactor.controlplane.registry.strategy.ResourceStrategy;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.store.Mutation;
import io.kubeactor.controlplane.store.ObjectStore;
import io.kubeactor.controlplane.store.StoreState;
import io.kubeactor.controlplane.store.StoreWriter;
import io.kubeactor.controlplane.store.StoredObject;
import io.kubeactor.controlplane.store.WatchCache;
import io.kubeactor.controlplane.store.WriteResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The generic registry every kind goes through, as Kubernetes' generic registry store: create,
 * update, patch and delete with admission (defaulting, validation), resourceVersion preconditions,
 * generation, graceful deletion and finalizers; reads come from the watch cache. What a kind adds to
 * these steps is its strategy's (registry/strategy). The HTTP routes and the controllers both write
 * through here, so a controller's write is checked like a user's.
 */
public final class Registry {

  /**
   * Equal as stored: numbers by value, as their JSON text is the same (a tree read back has an int
   * where a writer set a long), so that an update that changes nothing writes nothing, as
   * GuaranteedUpdate compares the encoded objects.
   */
  private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> a.equals(b)
      || (a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0) ? 0 : 1;

  private static final int MAX_CONFLICT_RETRIES = 8;

  private final ResourceRegistry types;
  private final WatchCache cache;
  private final ActorRef<StoreWriter.Command> writer;
  private final Scheduler scheduler;
  /** Where what follows a write runs: the actor system's threads (see {@link Continuations}). */
  private final Executor continuations;
  private final Duration timeout;
  private final Clock clock;
  private final AdmissionSettings admission;
  private final ServiceStorage services;
  private final ResourceStrategies strategies;
  private final AdmissionReads admissionReads;
  private volatile WriteGuard writeGuard = WriteGuard.NONE;

  public Registry(ResourceRegistry types, WatchCache cache, ActorRef<StoreWriter.Command> writer,
      ActorSystem<?> system, Duration timeout, Clock clock) {
    this(types, cache, writer, system, timeout, clock, AdmissionSettings.defaults());
  }

  public Registry(ResourceRegistry types, WatchCache cache, ActorRef<StoreWriter.Command> writer,
      ActorSystem<?> system, Duration timeout, Clock clock, AdmissionSettings admission) {
    this(types, cache, writer, system, timeout, clock, admission, ServiceNetwork.defaults());
  }

  /** With the cluster's Service ranges, which Services' cluster IPs and node ports come from. */
  public Registry(ResourceRegistry types, WatchCache cache, ActorRef<StoreWriter.Command> writer,
      ActorSystem<?> system, Duration timeout, Clock clock, AdmissionSettings admission, ServiceNetwork serviceNetwork) {
    this.services = new ServiceStorage(cache, types.find("/api/v1", "services").orElseThrow().storePrefix(), serviceNetwork);
    this.admission = admission;
    this.strategies = new ResourceStrategies(types);
    this.admissionReads = new CachedAdmissionReads(types, cache);
    this.types = types;
    this.cache = cache;
    this.writer = writer;
    this.scheduler = system.scheduler();
    this.continuations = system.executionContext();
    this.timeout = timeout;
    this.clock = clock;
  }

  public ResourceRegistry types() {
    return types;
  }

  /**
   * Adds a check of who may write what (the RBAC escalation and bind checks, NodeRestriction), once
   * what it reads exists; guards run in the order added.
   */
  public synchronized void guardWrites(WriteGuard guard) {
    this.writeGuard = writeGuard == WriteGuard.NONE ? guard : writeGuard.andThen(guard);
  }

  /**
   * Admission of a subresource create the registry does not store (pods/eviction,
   * serviceaccounts/token): the guards see the request's body and the parent object as stored now.
   */
  public void admitSubresource(ResourceType t, String namespace, String name, String subresource, ObjectNode body,
      UserInfo user) {
    writeGuard.checkSubresource(types.storageType(t), subresource, namespace, name, body,
        cache.state().get(types.storageType(t).storeKey(namespace, name)), user);
  }

  public WatchCache cache() {
    return cache;
  }

  // ---- reads ----

  public ObjectNode get(ResourceType t, String namespace, String name) {
    ObjectNode o = cache.state().get(t.storeKey(namespace, name));
    if (o == null) throw ApiException.notFound(t.group(), t.plural(), name);
    return view(t, o);
  }

  /** The object as this version of the API shows it (objects are stored at their group's first version). */
  public ObjectNode view(ResourceType t, ObjectNode stored) {
    return Conversions.toVersion(t, stored);
  }

  public ListResult list(ResourceType t, String namespace, LabelSelector labels, FieldSelector fields,
      long limit, String continueToken) {
    StoreState state = cache.state();
    String prefix = keyPrefix(t, namespace);
    Map<String, StoredObject> range = state.withPrefix(prefix);
    String after = continueToken == null || continueToken.isEmpty() ? null : decodeContinue(continueToken);
    List<StoredObject> items = new ArrayList<>();
    String lastKey = null;
    long remaining = 0;
    for (Map.Entry<String, StoredObject> e : range.entrySet()) {
      if (after != null && e.getKey().compareTo(after) <= 0) continue;
      if (labels != null || fields != null) {
        ObjectNode o = e.getValue().tree();
        if (labels != null && !labels.matches(o.path("metadata").path("labels"))) continue;
        if (fields != null && !fields.matches(o)) continue;
      }
      if (limit > 0 && items.size() >= limit) {
        remaining++;
        continue;
      }
      items.add(e.getValue());
      lastKey = e.getKey();
    }
    String next = remaining > 0 ? encodeContinue(lastKey, state.resourceVersion()) : null;
    return new ListResult(t, items, types.storageType(t) == t, state.resourceVersion(), next, remaining);
  }

  /** The store key prefix of a list: every object of the type, or those of one namespace. */
  public static String keyPrefix(ResourceType t, String namespace) {
    return t.storePrefix() + (t.namespaced() && namespace != null ? namespace + "/" : "");
  }

  private static String encodeContinue(String key, long rv) {
    ObjectNode token = Json.object().put("v", "meta.k8s.io/v1").put("rv", rv).put("start", key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.bytes(token));
  }

  private static String decodeContinue(String token) {
    try {
      JsonNode n = Json.parse(Base64.getUrlDecoder().decode(token));
      String start = n.path("start").asText(null);
      if (start == null) throw new IllegalArgumentException();
      return start;
    } catch (RuntimeException e) {
      throw ApiException.badRequest("continue key is not valid: " + e.getMessage());
    }
  }

  // ---- create ----

  public CompletionStage<ObjectNode> create(ResourceType t, String namespace, ObjectNode body, WriteOptions opts) {
    return create(t, namespace, body, opts, false);
  }

  /** A create, or ({@code applied}) a server-side apply of an object that is not there yet. */
  private CompletionStage<ObjectNode> create(ResourceType t, String namespace, ObjectNode body, WriteOptions opts,
      boolean applied) {
    String awaited = defaultServiceAccountAwaited(t, namespace, body);
    if (awaited != null) {
      return whenDefaultServiceAccount(awaited, DEFAULT_SERVICE_ACCOUNT_TRIES)
          .thenCompose(present -> createAdmitted(t, namespace, body, opts, applied));
    }
    return createAdmitted(t, namespace, body, opts, applied);
  }

  /** kube-apiserver's ServiceAccount admission looks for a missing "default" account 10 times, 100 ms apart. */
  private static final int DEFAULT_SERVICE_ACCOUNT_TRIES = 10;
  private static final Duration DEFAULT_SERVICE_ACCOUNT_RETRY = Duration.ofMillis(100);

  /**
   * The namespace of a pod that will run as its namespace's "default" ServiceAccount when that
   * account is not there yet (a namespace created a moment ago, whose account the serviceaccount
   * controller is about to make); null for anything else, which is almost everything.
   */
  private String defaultServiceAccountAwaited(ResourceType t, String namespace, ObjectNode body) {
    if (!admission.serviceAccountTokens() || !t.group().isEmpty() || !t.plural().equals("pods")) return null;
    JsonNode spec = body.path("spec");
    String account = spec.path("serviceAccountName").asText("");
    if (account.isEmpty()) account = spec.path("serviceAccount").asText("");
    if (!account.isEmpty() && !account.equals("default")) return null;
    String ns = namespace != null ? namespace : body.path("metadata").path("namespace").asText("default");
    if (ns.isEmpty()) ns = "default";
    return admissionReads.serviceAccount(ns, "default") == null ? ns : null;
  }

  private CompletionStage<Boolean> whenDefaultServiceAccount(String namespace, int tries) {
    if (admissionReads.serviceAccount(namespace, "default") != null) return CompletableFuture.completedFuture(true);
    if (tries == 0) return CompletableFuture.completedFuture(false); // admission then refuses the pod
    java.util.concurrent.Executor later = CompletableFuture.delayedExecutor(
        DEFAULT_SERVICE_ACCOUNT_RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS, continuations);
    return CompletableFuture.supplyAsync(() -> null, later).thenCompose(x -> whenDefaultServiceAccount(namespace, tries - 1));
  }

  private CompletionStage<ObjectNode> createAdmitted(ResourceType t, String namespace, ObjectNode body, WriteOptions opts,
      boolean applied) {
    Admitted admitted;
    try {
      if (t.isCustom() && t.custom().terminating()) {
        throw new ApiException(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating",
            t.group(), t.plural(), "", null);
      }
      // as kube-apiserver, a body is decoded into its kind's types before anything else looks at it
      bodyFieldValidation(t, opts, decode(t, body).strictProblems());
      admitted = prepareCreate(t, namespace, body, opts, applied);
      StoredObjects.verify(types.storageType(t), admitted.object());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ObjectNode obj = admitted.object();
    if (opts.dryRun()) {
      admitted.allocation().close();
      return CompletableFuture.completedFuture(obj);
    }
    String name = obj.path("metadata").path("name").asText();
    return write(new Mutation.Create(t.storeKey(namespaceOf(t, obj), name), obj))
        .whenComplete((r, e) -> admitted.allocation().close())
        .thenApply(r -> {
          if (r instanceof WriteResult.Written w) return view(t, w.object());
          throw failure(t, name, (WriteResult.Rejected) r);
        });
  }

  /** An object ready to be written, and what was allocated for it until the write is answered. */
  private record Admitted(ObjectNode object, ServiceStorage.Allocation allocation) {}

  private Admitted prepareCreate(ResourceType requested, String namespace, ObjectNode body, WriteOptions opts,
      boolean applied) {
    ObjectNode obj = body.deepCopy();
    checkTypeMeta(requested, obj);
    ResourceType t = types.storageType(requested);
    ResourceStrategy strategy = strategies.get(t);
    obj = Conversions.toStorage(t, requested, obj, null);
    ObjectNode meta = obj.withObjectProperty("metadata");
    if (t.namespaced()) {
      String bodyNs = meta.path("namespace").asText("");
      if (!bodyNs.isEmpty() && namespace != null && !bodyNs.equals(namespace)) {
        throw ApiException.badRequest("the namespace of the provided object does not match the namespace sent on the request");
      }
      String ns = namespace != null ? namespace : bodyNs;
      if (ns.isEmpty()) ns = "default";
      meta.put("namespace", ns);
      requireNamespaceAcceptsContent(ns);
    } else {
      meta.remove("namespace");
    }
    if (meta.path("name").asText("").isEmpty() && !meta.path("generateName").asText("").isEmpty()) {
      meta.put("name", meta.get("generateName").asText() + GeneratedNames.suffix());
    }
    if (meta.hasNonNull("resourceVersion") && !meta.get("resourceVersion").asText().isEmpty()) {
      throw ApiException.badRequest("resourceVersion should not be set on objects to be created");
    }
    meta.remove("resourceVersion");
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", timestamp(clock.instant()));
    meta.remove("deletionTimestamp");
    meta.remove("deletionGracePeriodSeconds");
    meta.remove("selfLink");
    if (strategy.tracksGeneration()) meta.put("generation", 1);
    else meta.remove("generation");
    Instant now = clock.instant();
    // an apply owns what it applied; defaults and admission's changes are no one's, as upstream
    if (applied) obj = FieldManager.apply(t, null, obj, opts.manager(), null, requested.apiVersion(), opts.force(), now);
    ObjectNode created = obj;
    strategy.prepareForCreate(t, obj, opts.user());
    writeGuard.check(t, obj, null, opts.user());
    ServiceStorage.Allocation allocation = admit(strategy, t, obj, null, opts, applied ? null
        : () -> FieldManager.update(t, null, created, opts.manager(), opts.fieldSubresource(), requested.apiVersion(), now));
    strategy.completeCreate(obj);
    return new Admitted(obj, allocation);
  }

  private static final Object TERMINATING = "namespace terminating";

  private void requireNamespaceAcceptsContent(String ns) {
    StoredObject nsObj = cache.state().stored("core/namespaces/" + ns);
    if (nsObj == null) throw ApiException.notFound("", "namespaces", ns);
    // kept with the namespace's bytes: every create asks
    if (nsObj.derived(TERMINATING, o -> o.tree().path("metadata").hasNonNull("deletionTimestamp"))) {
      throw new ApiException(403, "Forbidden", "unable to create new content in namespace " + ns
          + " because it is being terminated", "", "namespaces", ns, null);
    }
  }

  private static void checkTypeMeta(ResourceType t, ObjectNode obj) {
    requireTypeMeta(t, obj);
    // objects are stored at their group's first version; a stored object always says what it is
    obj.put("apiVersion", t.apiVersion());
    obj.put("kind", t.kind());
  }

  /** An object that says what it is says it is of the URL's version and kind. */
  private static void requireTypeMeta(ResourceType t, JsonNode obj) {
    String apiVersion = obj.path("apiVersion").asText("");
    String kind = obj.path("kind").asText("");
    if (!apiVersion.isEmpty() && !apiVersion.equals(t.apiVersion())) {
      throw ApiException.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + t.apiVersion() + ")");
    }
    if (!kind.isEmpty() && !kind.equals(t.kind())) {
      throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind (" + t.kind() + ")");
    }
  }

  /**
   * kube-apiserver's checkName: the object of a PUT or of a patch's result names the object of the
   * URL, and no other namespace.
   */
  private static void checkName(ResourceType t, ObjectNode obj, String namespace, String name) {
    JsonNode meta = obj.path("metadata");
    String objName = meta.path("name").asText("");
    if (!objName.equals(name)) {
      throw ApiException.badRequest("the name of the object (" + objName + ") does not match the name on the URL (" + name + ")");
    }
    String objNamespace = meta.path("namespace").asText("");
    if (t.namespaced() && namespace != null && !objNamespace.isEmpty() && !objNamespace.equals(namespace)) {
      throw ApiException.badRequest("the namespace of the object (" + objNamespace
          + ") does not match the namespace on the URL (" + namespace + ")");
    }
  }

  /**
   * The uid in a PUT's body is a precondition, as kube-apiserver takes it from the updated object:
   * another object's uid is a 409.
   */
  private static void requireUid(ResourceType t, String name, ObjectNode body, ObjectNode current) {
    String uid = body.path("metadata").path("uid").asText("");
    String currentUid = current.path("metadata").path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(currentUid)) {
      throw ApiException.conflict(t.group(), t.plural(), name,
          "Precondition failed: UID in precondition: " + uid + ", UID in object meta: " + currentUid);
    }
  }

  /**
   * A patch may not turn the object into another kind (its result does not decode into the URL's
   * kind: 422 on "patch", as kube-apiserver) or another object (its uid is immutable).
   */
  private static void checkPatchedIdentity(ResourceType t, ObjectNode patched, ObjectNode current) {
    String apiVersion = patched.path("apiVersion").asText("");
    String kind = patched.path("kind").asText("");
    boolean otherType = (!apiVersion.isEmpty() && !apiVersion.equals(t.apiVersion())) || (!kind.isEmpty() && !kind.equals(t.kind()));
    if (otherType) {
      String gvk = (apiVersion.contains("/") ? apiVersion : "/" + apiVersion) + ", Kind=" + kind;
      String internalType = "*" + (t.group().isEmpty() ? "core" : t.group().split("\\.")[0]) + "." + t.kind();
      throw ApiException.invalid("", "", "", List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: "
          + GoStrings.quote(patched.toString()) + ": unable to decode " + gvk + " into " + internalType, "patch")));
    }
    String uid = patched.path("metadata").path("uid").asText("");
    String currentUid = current.path("metadata").path("uid").asText("");
    if (!uid.isEmpty() && !uid.equals(currentUid)) {
      throw ApiException.invalid(t.group(), t.kind(), patched.path("metadata").path("name").asText(), List.of(
          new ApiException.Cause("FieldValueInvalid", "Invalid value: " + GoStrings.quote(uid) + ": field is immutable",
              "metadata.uid")));
    }
  }

  /** An apply patch says which version and kind it configures, and it must be the URL's. */
  private static void checkApplyTypeMeta(ResourceType t, JsonNode patch) {
    String apiVersion = patch.path("apiVersion").asText("");
    String kind = patch.path("kind").asText("");
    if (!apiVersion.equals(t.apiVersion())) {
      throw ApiException.badRequest("Incorrect version specified in apply patch. Specified patch version: " + apiVersion
          + ", expected: " + t.apiVersion());
    }
    if (!kind.equals(t.kind())) {
      throw ApiException.badRequest("Incorrect kind specified in apply patch. Specified patch kind: " + kind
          + ", expected: " + t.kind());
    }
  }

  /**
   * A create's or update's body decoded as kube-apiserver decodes it into its kind (400 if it does
   * not): a built-in kind's Go types, or a custom resource's ObjectMeta and schema.
   */
  private static TypedDecoder.Outcome decode(ResourceType t, JsonNode body) {
    if (!t.isCustom()) return TypedDecoder.requireDecodes(body, t.model(), t.kind(), t.version());
    TypedDecoder.Outcome outcome = CustomResourceDecoding.check(body, t.custom());
    if (!outcome.decodes()) {
      throw ApiException.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
          + ": " + outcome.error());
    }
    return outcome;
  }

  /** What decoding and encoding again make of a body: unknown fields dropped, a custom resource's defaults set. */
  private static void normalize(ResourceType t, ObjectNode obj) {
    if (t.isCustom()) CustomResourceDecoding.normalize(obj, t.custom());
    else TypedDecoder.normalize(obj, t.model());
  }

  /**
   * fieldValidation: what strict decoding found (unknown and duplicate fields) refuses the request
   * under Strict, comes back as warnings under Warn (once, however often a conflicting write is
   * retried), and is dropped silently under Ignore.
   */
  private static void bodyFieldValidation(ResourceType t, WriteOptions opts, List<String> problems) {
    try {
      fieldValidation(opts, problems);
    } catch (ApiException e) {
      // a body of a create or an update is refused as its decoding's error (transformDecodeError)
      throw ApiException.badRequest(t.kind() + " in version \"" + t.version() + "\" cannot be handled as a " + t.kind()
          + ": " + e.getMessage());
    }
  }

  private static void fieldValidation(WriteOptions opts, List<String> problems) {
    if (problems.isEmpty() || opts.fieldValidation() == FieldValidationMode.IGNORE) return;
    if (opts.fieldValidation() == FieldValidationMode.STRICT) {
      throw ApiException.badRequest("strict decoding error: " + String.join(", ", problems));
    }
    for (String p : problems) if (!opts.warnings().contains(p)) opts.warnings().add(p);
  }

  /**
   * Unknown fields dropped, defaulting, the admission plugins (on create) and validation: what every
   * create and update passes through. The REST storage's steps (a Service's addresses and node
   * ports) come between defaulting and validation, as in kube-apiserver; what they allocate is held
   * until the caller closes it.
   */
  private ServiceStorage.Allocation admit(ResourceStrategy strategy, ResourceType t, ObjectNode obj, ObjectNode old,
      WriteOptions opts, Runnable trackFields) {
    normalize(t, obj);
    strategy.applyDefaults(t, obj, admission);
    // field ownership is of what the writer sent, defaulted, before admission plugins change it
    if (trackFields != null) trackFields.run();
    if (old == null) strategy.admit(obj, admissionReads, admission);
    ServiceStorage.Allocation allocation = old == null
        ? strategy.beginCreate(obj, opts.dryRun(), services)
        : strategy.beginUpdate(obj, old, opts.dryRun(), services);
    try {
      List<ApiException.Cause> causes = strategy.fieldErrors(t, obj, old);
      if (!causes.isEmpty()) {
        throw ApiException.invalid(t.group(), t.kind(), obj.path("metadata").path("name").asText(), causes);
      }
      // once, however often a conflicting write is retried
      for (String w : strategy.warnings(obj, old)) if (!opts.warnings().contains(w)) opts.warnings().add(w);
    } catch (RuntimeException e) {
      allocation.close();
      throw e;
    }
    return allocation;
  }

  /** A status update: the status strategy's defaulting and checks (only a Service's status has rules). */
  private void admitStatus(ResourceStrategy strategy, ResourceType t, String subresource, ObjectNode obj, ObjectNode old) {
    boolean defaults = subresource == null ? strategy.defaultsStatusUpdates() : strategy.defaultsStatusUpdates(subresource);
    if (defaults) strategy.applyDefaults(t, obj, admission);
    List<ApiException.Cause> causes = subresource == null
        ? strategy.statusFieldErrors(obj, old) : strategy.statusFieldErrors(subresource, obj, old);
    if (!causes.isEmpty()) {
      throw ApiException.invalid(t.group(), t.kind(), obj.path("metadata").path("name").asText(), causes);
    }
  }

  // ---- update and patch ----

  /**
   * PUT of a whole object, or of its status ({@code subresource} "status") or another part with
   * rules of its own (a pod's "resize" or "ephemeralcontainers").
   */
  public CompletionStage<ObjectNode> update(ResourceType t, String namespace, String name, String subresource,
      ObjectNode body, WriteOptions opts) {
    try {
      bodyFieldValidation(t, opts, decode(t, body).strictProblems());
      checkName(t, body, namespace, name);
    } catch (ApiException e) {
      return CompletableFuture.failedFuture(e);
    }
    long expected = ObjectStore.resourceVersionOf(body);
    if (expected < 0) {
      return CompletableFuture.failedFuture(ApiException.badRequest("invalid resourceVersion"));
    }
    ResourceStrategy strategy = strategies.get(t);
    UnaryOperator<ObjectNode> change = current -> {
      requireUid(t, name, body, current);
      return merge(strategy, t, subresource, current, body, clock.instant());
    };
    return subresourceOnly(strategy, subresource)
        ? attemptUpdate(t, namespace, name, expected, opts, change, 0, false, subresource, false)
        : guaranteedUpdate(t, namespace, name, expected, opts, change);
  }

  /** PATCH of an object or its status; a patch naming a resourceVersion is a precondition. */
  public CompletionStage<ObjectNode> patch(ResourceType t, String namespace, String name, String subresource,
      String contentType, JsonNode patch, WriteOptions opts) {
    String key = t.storeKey(namespace, name);
    boolean apply = contentType.startsWith("application/apply-patch");
    if (apply && patch.isObject()) {
      try {
        checkApplyTypeMeta(t, patch);
        // the applied configuration is an object of the kind, as kube-apiserver reads it into a typed
        // value before it merges anything (422 on "patch" otherwise), naming this object or none
        fieldValidation(opts, (t.isCustom() ? TypedDecoder.requirePatchResultDecodes(patch,
            CustomResourceDecoding.check(patch, t.custom())) : TypedDecoder.requirePatchResultDecodes(patch, t.model()))
            .strictProblems());
        if (patch.path("metadata").hasNonNull("name")) checkName(t, (ObjectNode) patch, namespace, name);
      } catch (ApiException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (apply && cache.state().get(key) == null && patch.isObject()) {
      ObjectNode body = ((ObjectNode) patch).deepCopy();
      body.withObjectProperty("metadata").put("name", name);
      return create(t, namespace, body, opts, true);
    }
    ResourceStrategy strategy = strategies.get(t);
    return attemptUpdate(t, namespace, name, 0, opts, current -> {
      ObjectNode patched = apply
          ? applied(t, current, patch, subresource, opts)
          : PatchEngine.apply(contentType, current, patch, t.model(), !t.isCustom());
      // what a patch makes must decode as a body would (422 on the field "patch"), and keep its identity
      fieldValidation(opts, (t.isCustom() ? TypedDecoder.requirePatchResultDecodes(patched,
          CustomResourceDecoding.check(patched, t.custom())) : TypedDecoder.requirePatchResultDecodes(patched, t.model()))
          .strictProblems());
      checkName(t, patched, namespace, name);
      checkPatchedIdentity(t, patched, current);
      long asked = ObjectStore.resourceVersionOf(patched);
      if (asked != 0 && asked != ObjectStore.resourceVersionOf(current)) {
        throw ApiException.conflict(t.group(), t.plural(), name,
            "the object has been modified; please apply your changes to the latest version and try again");
      }
      ObjectNode result = merge(strategy, t, subresource, current, patched, clock.instant());
      // a status apply's result is the live object with the applied status: its ownership is the apply's
      if (apply) result.withObjectProperty("metadata").set("managedFields", patched.path("metadata").get("managedFields"));
      return result;
    }, 0, !subresourceOnly(strategy, subresource), subresource, apply);
  }

  /** Server-side apply: the applied configuration merged into the live object by the field manager. */
  private ObjectNode applied(ResourceType t, ObjectNode current, JsonNode patch, String subresource, WriteOptions opts) {
    if (!patch.isObject()) {
      throw ApiException.badRequest("error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
          + GoStrings.jsonKind(patch) + " into Go value of type map[string]interface {}");
    }
    return FieldManager.apply(t, current, (ObjectNode) patch, opts.manager(),
        subresource != null ? subresource : opts.fieldSubresource(), t.apiVersion(), opts.force(), clock.instant());
  }

  /** A write of the status or of another part the kind's strategy updates: their own rules, not the spec's update rules. */
  private static boolean subresourceOnly(ResourceStrategy strategy, String subresource) {
    return "status".equals(subresource) || (subresource != null && strategy.hasUpdatableSubresource(subresource));
  }

  /**
   * Reads the current object, applies the change, and writes it with the read resourceVersion as a
   * precondition; a conflict with another writer re-reads and retries, unless the client itself named
   * the resourceVersion it expects.
   */
  public CompletionStage<ObjectNode> guaranteedUpdate(ResourceType t, String namespace, String name,
      long expectedResourceVersion, WriteOptions opts, UnaryOperator<ObjectNode> change) {
    return attemptUpdate(t, namespace, name, expectedResourceVersion, opts, change, 0, true, null, false);
  }

  /**
   * An update of a part the spec's rules do not govern (status, the pod's binding, the deletion
   * markers): Kubernetes validates those with their own strategies, so the spec's update rules
   * (e.g. a pod's immutable spec) are not applied.
   */
  public CompletionStage<ObjectNode> guaranteedSubresourceUpdate(ResourceType t, String namespace, String name,
      UnaryOperator<ObjectNode> change) {
    return attemptUpdate(t, namespace, name, 0, WriteOptions.internal(), change, 0, false, null, false);
  }

  private CompletionStage<ObjectNode> attemptUpdate(ResourceType requested, String namespace, String name,
      long expectedRv, WriteOptions opts, UnaryOperator<ObjectNode> requestedChange, int attempt, boolean validateSpec,
      String subresource, boolean applied) {
    // the change is made on the version the client speaks, the checks on the stored version
    ResourceType t = types.storageType(requested);
    ResourceStrategy strategy = strategies.get(t);
    UnaryOperator<ObjectNode> change = t == requested ? requestedChange
        : cur -> Conversions.toStorage(t, requested, requestedChange.apply(Conversions.toVersion(requested, cur)), cur);
    String key = t.storeKey(namespace, name);
    ObjectNode desired;
    ObjectNode current;
    ServiceStorage.Allocation allocation = ServiceStorage.Allocation.NONE;
    try {
      current = cache.state().get(key);
      if (current == null) throw ApiException.notFound(t.group(), t.plural(), name);
      long currentRv = ObjectStore.resourceVersionOf(current);
      if (expectedRv != 0 && expectedRv != currentRv) throw conflict(t, name);
      desired = change.apply(current.deepCopy());
      restoreSystemMetadata(desired, current, t, validateSpec);
      // an apply has set the ownership of what it changed; any other write takes what it changes
      ObjectNode updated = desired;
      // a write that changes nothing (a controller's status as it was) changes no one's fields: not compared
      Runnable trackFields = applied ? null : () -> {
        if (!updated.equals(SAME_VALUE, current)) {
          FieldManager.update(t, current, updated, opts.manager(),
              subresource != null ? subresource : opts.fieldSubresource(), requested.apiVersion(), clock.instant());
        }
      };
      if (validateSpec) {
        writeGuard.check(t, desired, current, opts.user());
        allocation = admit(strategy, t, desired, current, opts, trackFields);
      } else {
        normalize(t, desired);
        admitStatus(strategy, t, subresource, desired, current);
        if (trackFields != null) trackFields.run();
        if (subresource != null && !subresource.isEmpty()) {
          writeGuard.checkSubresource(t, subresource, namespace, name, desired, current, opts.user());
        }
      }
      // compared after defaulting: a PUT that leaves defaults out changes nothing the controllers act on
      bumpGeneration(strategy, desired, current);
      strategy.completeUpdate(desired, current);
      desired.withObjectProperty("metadata").put("resourceVersion", Long.toString(currentRv));
      StoredObjects.verify(t, desired);
    } catch (RuntimeException e) {
      allocation.close();
      return CompletableFuture.failedFuture(e);
    }
    boolean unchanged = desired.equals(SAME_VALUE, current);
    if (unchanged || opts.dryRun()) {
      allocation.close();
      return CompletableFuture.completedFuture(view(requested, unchanged ? current : desired));
    }
    long currentRv = ObjectStore.resourceVersionOf(current);
    JsonNode meta = desired.path("metadata");
    // an object marked for deletion goes when its last finalizer does, unless a grace period is still
    // running (a pod on a node: its kubelet finishes the deletion), as ShouldDeleteDuringUpdate
    boolean finished = meta.hasNonNull("deletionTimestamp") && meta.path("finalizers").isEmpty()
        && meta.path("deletionGracePeriodSeconds").asLong(0) == 0;
    Mutation m = finished
        ? new Mutation.Delete(key, currentRv, null)
        : new Mutation.Update(key, desired, currentRv);
    ServiceStorage.Allocation held = allocation;
    return write(m).whenComplete((r, e) -> held.close()).thenCompose(r -> {
      if (r instanceof WriteResult.Written w) {
        ObjectNode written = view(requested, w.object());
        return finished ? afterDelete(t, w.object()).thenApply(done -> written) : CompletableFuture.completedFuture(written);
      }
      WriteResult.Rejected rej = (WriteResult.Rejected) r;
      if (rej.failure() == WriteResult.Failure.CONFLICT && expectedRv == 0 && attempt < MAX_CONFLICT_RETRIES) {
        return attemptUpdate(requested, namespace, name, 0, opts, requestedChange, attempt + 1, validateSpec, subresource,
            applied);
      }
      throw failure(t, name, rej);
    });
  }

  /** The object a PUT or PATCH asks for, from the current one: the main resource or only its status. */
  private static ObjectNode merge(ResourceStrategy strategy, ResourceType t, String subresource, ObjectNode current,
      ObjectNode requested, Instant now) {
    ObjectNode own = subresource == null ? null : strategy.prepareSubresourceUpdate(subresource, current, requested, now);
    if (own != null) return own;
    if ("status".equals(subresource)) {
      ObjectNode out = current.deepCopy();
      if (requested.has("status")) out.set("status", requested.get("status").deepCopy());
      return out;
    }
    ObjectNode out = requested.deepCopy();
    out.put("apiVersion", current.path("apiVersion").asText());
    out.put("kind", current.path("kind").asText());
    if (strategy.updateKeepsStatus(t)) {
      if (current.has("status")) out.set("status", current.get("status").deepCopy());
      else out.remove("status");
    }
    return out;
  }

  /**
   * Fields of metadata that only the system sets survive any update as they were; the deletion
   * markers only the registry's own updates (the deletion itself) may set.
   */
  private static void restoreSystemMetadata(ObjectNode desired, ObjectNode current, ResourceType t, boolean clientUpdate) {
    ObjectNode meta = desired.withObjectProperty("metadata");
    JsonNode cur = current.path("metadata");
    List<String> kept = clientUpdate
        ? List.of("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")
        : List.of("name", "namespace", "uid", "creationTimestamp", "generation");
    for (String f : kept) {
      if (cur.has(f)) meta.set(f, cur.get(f).deepCopy());
      else meta.remove(f);
    }
    meta.remove("selfLink");
    desired.put("apiVersion", current.path("apiVersion").asText());
    desired.put("kind", t.kind());
  }

  private static void bumpGeneration(ResourceStrategy strategy, ObjectNode desired, ObjectNode current) {
    if (!strategy.tracksGeneration()) return;
    long gen = current.path("metadata").path("generation").asLong(1);
    boolean deletionStarted = desired.path("metadata").hasNonNull("deletionTimestamp")
        && !current.path("metadata").hasNonNull("deletionTimestamp");
    if (specChanged(desired, current) || deletionStarted || strategy.countsAsNewGeneration(desired, current)) gen++;
    desired.withObjectProperty("metadata").put("generation", gen);
  }

  /** Whether anything besides metadata and status differs (compared in place, nothing copied). */
  private static boolean specChanged(ObjectNode desired, ObjectNode current) {
    java.util.Set<String> fields = new java.util.HashSet<>();
    desired.fieldNames().forEachRemaining(fields::add);
    current.fieldNames().forEachRemaining(fields::add);
    fields.remove("metadata");
    fields.remove("status");
    for (String f : fields) {
      if (!java.util.Objects.equals(desired.get(f), current.get(f))) return true;
    }
    return false;
  }

  // ---- delete ----

  /**
   * Deletes an object, or starts its deletion: pods bound to a node get a grace period (their kubelet
   * finishes the deletion), objects with finalizers (including those the propagation policy adds for
   * the garbage collector) are marked and stay until the finalizers are gone.
   */
  public CompletionStage<ObjectNode> delete(ResourceType t, String namespace, String name, DeleteOptions opts) {
    return delete(t, namespace, name, opts, null);
  }

  /** A deletion asked for by a user, whom the guards check (null when unknown: an internal deletion). */
  public CompletionStage<ObjectNode> delete(ResourceType t, String namespace, String name, DeleteOptions opts,
      UserInfo user) {
    String key = t.storeKey(namespace, name);
    ObjectNode current = cache.state().get(key);
    if (current == null) return CompletableFuture.failedFuture(ApiException.notFound(t.group(), t.plural(), name));
    JsonNode meta = current.path("metadata");
    if (opts.preconditionUid() != null && !opts.preconditionUid().equals(meta.path("uid").asText())) {
      return CompletableFuture.failedFuture(ApiException.conflict(t.group(), t.plural(), name,
          "Precondition failed: UID in precondition: " + opts.preconditionUid() + ", UID in object meta: " + meta.path("uid").asText()));
    }
    if (opts.preconditionResourceVersion() != null
        && !opts.preconditionResourceVersion().equals(meta.path("resourceVersion").asText())) {
      return CompletableFuture.failedFuture(ApiException.conflict(t.group(), t.plural(), name,
          "Precondition failed: ResourceVersion in precondition: " + opts.preconditionResourceVersion()
              + ", ResourceVersion in object meta: " + meta.path("resourceVersion").asText()));
    }
    try {
      writeGuard.checkDelete(types.storageType(t), current, user);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    ResourceStrategy strategy = strategies.get(t);
    if (strategy.deletesContents()) return deleteNamespace(t, name, opts);

    String finalizer = switch (opts.propagationPolicy() == null ? "" : opts.propagationPolicy()) {
      case "Orphan" -> "orphan";
      case "Foreground" -> "foregroundDeletion";
      default -> null;
    };
    long grace = strategy.gracePeriodSeconds(current, opts.gracePeriodSeconds());
    // the kind's own finalizer, added as the deletion starts (a CRD's, until its objects are gone)
    String own = meta.hasNonNull("deletionTimestamp") ? null : strategy.finalizerOnDelete();
    boolean hasFinalizers = meta.path("finalizers").size() > 0 || finalizer != null || own != null;
    if (opts.dryRun()) return CompletableFuture.completedFuture(view(t, current));
    if (!hasFinalizers && grace == 0) {
      return write(new Mutation.Delete(key, 0, meta.path("uid").asText()))
          .thenCompose(r -> {
            if (r instanceof WriteResult.Written w) return afterDelete(t, w.object()).thenApply(done -> view(t, w.object()));
            throw failure(t, name, (WriteResult.Rejected) r);
          });
    }
    return guaranteedSubresourceUpdate(t, namespace, name, obj -> {
      ObjectNode m = obj.withObjectProperty("metadata");
      if (finalizer != null) addFinalizer(m, finalizer);
      if (own != null && !m.hasNonNull("deletionTimestamp")) addFinalizer(m, own);
      Instant now = clock.instant();
      if (!m.hasNonNull("deletionTimestamp")) {
        m.put("deletionTimestamp", timestamp(now.plusSeconds(grace)));
        m.put("deletionGracePeriodSeconds", grace);
      } else if (grace < m.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE)) {
        // a shorter grace period (e.g. --force) brings the deadline forward
        m.put("deletionTimestamp", timestamp(now.plusSeconds(grace)));
        m.put("deletionGracePeriodSeconds", grace);
      }
      return obj;
    }).thenCompose(updated -> {
      // a pod with no finalizers whose grace is over, or that no kubelet runs, goes now
      boolean noFinalizers = updated.path("metadata").path("finalizers").isEmpty();
      if (noFinalizers && grace == 0) {
        return write(new Mutation.Delete(key, 0, meta.path("uid").asText())).thenApply(r ->
            r instanceof WriteResult.Written w ? view(t, w.object()) : updated);
      }
      return CompletableFuture.completedFuture(updated);
    });
  }

  /**
   * What follows an object's removal from the store. A Service's Endpoints go with it, as the
   * Service REST storage's afterDelete does (its cluster IPs and node ports are free as soon as the
   * store no longer holds it).
   */
  private CompletionStage<Void> afterDelete(ResourceType t, ObjectNode deleted) {
    if (!strategies.get(t).deletesItsEndpoints()) return CompletableFuture.completedFuture(null);
    ResourceType endpoints = types.find("/api/v1", "endpoints").orElseThrow();
    String namespace = deleted.path("metadata").path("namespace").asText();
    String name = deleted.path("metadata").path("name").asText();
    if (cache.state().get(endpoints.storeKey(namespace, name)) == null) return CompletableFuture.completedFuture(null);
    // a failure here is left to the endpoints controller, as upstream only logs it
    return delete(endpoints, namespace, name, new DeleteOptions(null, null, null, null, false))
        .handle((gone, failure) -> null);
  }

  private static void addFinalizer(ObjectNode meta, String finalizer) {
    ArrayNode fs = meta.withArrayProperty("finalizers");
    for (JsonNode f : fs) if (f.asText().equals(finalizer)) return;
    fs.add(finalizer);
  }

  /**
   * A namespace is marked Terminating, everything in it is deleted, then the namespace itself — the
   * namespace controller's job, done here in one pass since nothing in a namespace outlives it.
   */
  private CompletionStage<ObjectNode> deleteNamespace(ResourceType nsType, String name, DeleteOptions opts) {
    if (opts.dryRun()) return CompletableFuture.completedFuture(get(nsType, null, name));
    return guaranteedSubresourceUpdate(nsType, null, name, obj -> {
      ObjectNode m = obj.withObjectProperty("metadata");
      if (!m.hasNonNull("deletionTimestamp")) m.put("deletionTimestamp", timestamp(clock.instant()));
      obj.withObjectProperty("status").put("phase", "Terminating");
      return obj;
    }).thenCompose(marked -> {
      List<CompletableFuture<WriteResult>> deletions = new ArrayList<>();
      StoreState state = cache.state();
      for (ResourceType t : types.all()) {
        if (!t.namespaced() || types.storageType(t) != t) continue;
        for (String key : state.withPrefix(keyPrefix(t, name)).keySet()) {
          deletions.add(write(new Mutation.Delete(key, 0, null)).toCompletableFuture());
        }
      }
      return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new))
          .thenCompose(done -> write(new Mutation.Delete(nsType.storeKey(null, name), 0, null)))
          .thenApply(r -> marked);
    });
  }

  // ---- helpers ----

  private CompletionStage<WriteResult> write(Mutation m) {
    return Continuations.on(continuations, AskPattern.ask(writer, replyTo -> new StoreWriter.Write(m, replyTo), timeout, scheduler));
  }

  private static ApiException failure(ResourceType t, String name, WriteResult.Rejected r) {
    return switch (r.failure()) {
      case NOT_FOUND -> ApiException.notFound(t.group(), t.plural(), name);
      case ALREADY_EXISTS -> ApiException.alreadyExists(t.group(), t.plural(), name);
      case CONFLICT -> conflict(t, name);
      case UNAVAILABLE -> new ApiException(503, "ServiceUnavailable",
          "the store did not acknowledge the write in time; it may or may not have been applied", t.group(), t.plural(), name, null);
    };
  }

  private static ApiException conflict(ResourceType t, String name) {
    return ApiException.conflict(t.group(), t.plural(), name,
        "the object has been modified; please apply your changes to the latest version and try again");
  }

  private static String namespaceOf(ResourceType t, ObjectNode obj) {
    return t.namespaced() ? obj.path("metadata").path("namespace").asText() : null;
  }

  /** RFC 3339 in whole seconds, as Kubernetes writes metav1.Time. */
  public static String timestamp(Instant instant) {
    return io.kubeactor.common.Timestamps.format(instant);
  }

  /** The watch cache's objects that admission plugins read, their types resolved once. */
  private record CachedAdmissionReads(ResourceRegistry types, ResourceType storageClassType, ResourceType ingressClassType,
      ResourceType serviceAccountType, ResourceType vpaType, WatchCache cache) implements AdmissionReads {

    CachedAdmissionReads(ResourceRegistry types, WatchCache cache) {
      this(types, types.find("/apis/storage.k8s.io/v1", "storageclasses").orElseThrow(),
          types.find("/apis/networking.k8s.io/v1", "ingressclasses").orElseThrow(),
          types.find("/api/v1", "serviceaccounts").orElseThrow(),
          types.find("/apis/autoscaling.k8s.io/v1", "verticalpodautoscalers").orElseThrow(), cache);
    }

    @Override
    public Collection<ObjectNode> storageClasses() {
      return cache.state().trees(storageClassType.storePrefix());
    }

    @Override
    public Collection<ObjectNode> ingressClasses() {
      return cache.state().trees(ingressClassType.storePrefix());
    }

    @Override
    public ObjectNode serviceAccount(String namespace, String name) {
      return cache.state().get(serviceAccountType.storeKey(namespace, name));
    }

    @Override
    public boolean hasVerticalPodAutoscalers(String namespace) {
      String prefix = vpaType.storeKey(namespace, "");
      String first = cache.state().objects().ceilingKey(prefix);
      return first != null && first.startsWith(prefix);
    }

    @Override
    public Collection<ObjectNode> verticalPodAutoscalers(String namespace) {
      return cache.state().trees(vpaType.storeKey(namespace, ""));
    }

    @Override
    public ObjectNode vpaTarget(JsonNode targetRef, String namespace) {
      String apiVersion = targetRef.path("apiVersion").asText("");
      String kind = targetRef.path("kind").asText();
      java.util.Optional<ResourceType> type = apiVersion.isEmpty()
          ? types.all().stream().filter(t -> t.kind().equals(kind)).findFirst()
          : types.byKind(apiVersion, kind);
      return type.map(t -> cache.state().get(types.storageType(t).storeKey(namespace, targetRef.path("name").asText())))
          .orElse(null);
    }
  }
}
