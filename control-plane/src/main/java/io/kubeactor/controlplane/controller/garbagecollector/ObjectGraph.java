package io.kubeactor.controlplane.controller.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.FreshRead;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.client.Informers;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.Optional;

/**
 * The garbage collector's view of the cluster (upstream's GraphBuilder, without a graph of its
 * own): an informer for every stored kind that can own or be owned (all but Events; custom
 * resources' kinds as their CRDs come), each indexed
 * by the uids its objects' ownerReferences name, so the dependents of any object are found by its
 * uid even after it is gone. Owners are looked up in the store as it is now, not in a cache that
 * may lag, before anything is deleted because its owner seems absent.
 */
final class ObjectGraph {

  /** Objects by the uids of their owners. */
  static final String BY_OWNER_UID = "garbage-collector/ownerUid";

  private final ResourceRegistry types;
  private final FreshRead fresh;
  private final Informers shared;
  // written as custom resources' kinds come, read by the collector's actor
  private final Map<String, ResourceType> typesByResource = new ConcurrentHashMap<>();
  private final Map<String, Informer<? extends HasMetadata>> informers = new ConcurrentHashMap<>();

  ObjectGraph(Informers shared, FreshRead fresh) {
    this.shared = shared;
    this.types = shared.types();
    this.fresh = fresh;
    for (ResourceType t : types.all()) {
      if (types.storageType(t) != t || t.kind().equals("Event") || t.isCustom()
          || !HasMetadata.class.isAssignableFrom(t.model())) continue;
      @SuppressWarnings("unchecked")
      Informer<? extends HasMetadata> informer = shared.of((Class<? extends HasMetadata>) t.model());
      add(t, informer);
    }
  }

  private void add(ResourceType t, Informer<? extends HasMetadata> informer) {
    informer.addIndex(BY_OWNER_UID, ObjectGraph::ownerUids);
    typesByResource.put(t.qualifiedResource(), t);
    informers.put(t.qualifiedResource(), informer);
  }

  /**
   * Watches the custom resources' kinds served now that it did not watch yet (each CRD's storage
   * version), and gives their informers. A kind whose CRD goes stays watched: its informer is
   * empty then, and a CRD of the same name serves it again.
   */
  synchronized Map<ResourceType, Informer<? extends HasMetadata>> watchCustomKinds() {
    Map<ResourceType, Informer<? extends HasMetadata>> added = new LinkedHashMap<>();
    for (ResourceType t : types.all()) {
      if (!t.isCustom() || types.storageType(t) != t || typesByResource.containsKey(t.qualifiedResource())) continue;
      Informer<? extends HasMetadata> informer = shared.ofCustom(t);
      add(t, informer);
      added.put(t, informer);
    }
    return added;
  }

  /** Every watched kind with its informer. */
  Map<ResourceType, Informer<? extends HasMetadata>> informers() {
    Map<ResourceType, Informer<? extends HasMetadata>> out = new LinkedHashMap<>();
    informers.forEach((resource, inf) -> out.put(typesByResource.get(resource), inf));
    return out;
  }

  /** The id of a queue key, if its kind is watched. */
  Optional<ObjectId> id(String key) {
    ResourceType t = typesByResource.get(ObjectId.resourceOfKey(key));
    return t == null ? Optional.empty() : Optional.of(ObjectId.parse(t, key));
  }

  static ObjectId id(ResourceType t, HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return new ObjectId(t, t.namespaced() && ns != null ? ns : "", o.getMetadata().getName());
  }

  /** The cached object, or null. */
  HasMetadata cached(ObjectId id) {
    Informer<? extends HasMetadata> inf = informers.get(id.type().qualifiedResource());
    return inf == null ? null : inf.get(id.namespaceOrNull(), id.name());
  }

  /** The object as stored right now (its storage version's JSON), or null. */
  ObjectNode stored(ObjectId id) {
    return fresh.get(id.type(), id.namespaceOrNull(), id.name());
  }

  /** Every object, of any kind, that names this uid among its owners, with its kind's id. */
  List<Map.Entry<ObjectId, HasMetadata>> dependentsOf(String ownerUid) {
    List<Map.Entry<ObjectId, HasMetadata>> out = new ArrayList<>();
    informers.forEach((resource, inf) -> {
      ResourceType t = typesByResource.get(resource);
      for (HasMetadata o : inf.byIndex(BY_OWNER_UID, ownerUid)) out.add(Map.entry(id(t, o), o));
    });
    return out;
  }

  boolean hasDependents(String ownerUid) {
    for (Informer<? extends HasMetadata> inf : informers.values()) {
      if (!inf.byIndex(BY_OWNER_UID, ownerUid).isEmpty()) return true;
    }
    return false;
  }

  /**
   * Where an owner reference of an object in {@code dependentNamespace} ("" if cluster-scoped)
   * points: empty when the kind is unknown. A namespaced owner of a cluster-scoped object cannot
   * exist; its id has no namespace and is never found.
   */
  Optional<ObjectId> owner(OwnerReference ref, String dependentNamespace) {
    return ownerType(ref).map(t -> new ObjectId(t, t.namespaced() ? dependentNamespace : "", ref.getName()));
  }

  /** The stored type of the reference's kind: its apiVersion, or failing that another version of its group. */
  Optional<ResourceType> ownerType(OwnerReference ref) {
    String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
    Optional<ResourceType> exact = types.byKind(apiVersion, ref.getKind());
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    Optional<ResourceType> t = exact.isPresent() ? exact
        : types.all().stream().filter(o -> o.group().equals(group) && o.kind().equals(ref.getKind())).findFirst();
    return t.map(types::storageType).filter(s -> typesByResource.containsKey(s.qualifiedResource()));
  }

  /** An object's owner references; a null entry (which the API never stores) is passed over, not trusted. */
  static List<OwnerReference> refs(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs == null ? List.of() : refs.stream().filter(Objects::nonNull).toList();
  }

  private static Collection<String> ownerUids(HasMetadata o) {
    return refs(o).stream().map(OwnerReference::getUid).filter(u -> u != null && !u.isEmpty()).distinct().toList();
  }
}
