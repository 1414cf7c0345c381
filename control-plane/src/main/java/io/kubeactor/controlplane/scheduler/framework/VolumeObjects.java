package io.kubeactor.controlplane.scheduler.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.client.FreshRead;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The PersistentVolumeClaims, PersistentVolumes and StorageClasses one scheduling attempt sees
 * (the VolumeBinding plugin's listers). Read from one store state and converted only when a pod
 * with claims asks, so pods without volumes cost nothing.
 */
public final class VolumeObjects {

  public static final VolumeObjects NONE = of(List.of(), List.of(), List.of());

  private final Function<String, PersistentVolumeClaim> claims;
  private final Function<String, PersistentVolume> volumes;
  private final Function<String, StorageClass> classes;
  private final Supplier<List<PersistentVolume>> allVolumes;
  private List<PersistentVolume> allVolumesRead;

  private VolumeObjects(Function<String, PersistentVolumeClaim> claims, Function<String, PersistentVolume> volumes,
      Function<String, StorageClass> classes, Supplier<List<PersistentVolume>> allVolumes) {
    this.claims = claims;
    this.volumes = volumes;
    this.classes = classes;
    this.allVolumes = allVolumes;
  }

  /** Fixed lists, as tests give them. */
  public static VolumeObjects of(Collection<PersistentVolumeClaim> claims, Collection<PersistentVolume> volumes,
      Collection<StorageClass> classes) {
    Map<String, PersistentVolumeClaim> claimMap = new HashMap<>();
    claims.forEach(c -> claimMap.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c));
    Map<String, PersistentVolume> volumeMap = new HashMap<>();
    volumes.forEach(v -> volumeMap.put(v.getMetadata().getName(), v));
    Map<String, StorageClass> classMap = new HashMap<>();
    classes.forEach(c -> classMap.put(c.getMetadata().getName(), c));
    List<PersistentVolume> all = List.copyOf(volumes);
    return new VolumeObjects(claimMap::get, volumeMap::get, classMap::get, () -> all);
  }

  /**
   * The objects as stored now, read when first asked for (a claim the PV controller has just bound
   * must not look unbound from a lagging cache). Not thread-safe: one scheduling pass reads it.
   */
  public static VolumeObjects from(FreshRead state, ResourceRegistry types) {
    ResourceType claimType = types.find("/api/v1", "persistentvolumeclaims").orElseThrow();
    ResourceType volumeType = types.find("/api/v1", "persistentvolumes").orElseThrow();
    ResourceType classType = types.find("/apis/storage.k8s.io/v1", "storageclasses").orElseThrow();
    return new VolumeObjects(
        memo(key -> read(state.get(claimType, namespaceOf(key), nameOf(key)), PersistentVolumeClaim.class)),
        memo(name -> read(state.get(volumeType, null, name), PersistentVolume.class)),
        memo(name -> read(state.get(classType, null, name), StorageClass.class)),
        () -> state.list(volumeType, null).stream().map(o -> read(o, PersistentVolume.class)).toList());
  }

  public PersistentVolumeClaim claim(String namespace, String name) {
    return claims.apply(namespace + "/" + name);
  }

  public PersistentVolume volume(String name) {
    return volumes.apply(name);
  }

  public List<PersistentVolume> volumes() {
    if (allVolumesRead == null) allVolumesRead = allVolumes.get();
    return allVolumesRead;
  }

  public StorageClass storageClass(String name) {
    return classes.apply(name);
  }

  private static <T> Function<String, T> memo(Function<String, T> read) {
    Map<String, T> seen = new HashMap<>();
    return key -> {
      if (seen.containsKey(key)) return seen.get(key);
      T value = read.apply(key);
      seen.put(key, value);
      return value;
    };
  }

  private static <T> T read(ObjectNode stored, Class<T> type) {
    return stored == null ? null : Json.fromTree(stored, type);
  }

  private static String namespaceOf(String key) {
    return key.substring(0, key.indexOf('/'));
  }

  private static String nameOf(String key) {
    return key.substring(key.indexOf('/') + 1);
  }
}
