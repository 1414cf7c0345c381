package io.kubeactor.controlplane.security.node;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretReference;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names of the objects a pod or a PersistentVolume refers to, as pkg/api/pod's
 * VisitPodSecretNames and VisitPodConfigmapNames and pkg/api/persistentvolume's
 * VisitPVSecretNames read them: what a node may read because a pod bound to it needs it.
 */
public final class ObjectReferences {

  private ObjectReferences() {}

  /**
   * The Secrets of a pod: image pull secrets, env and envFrom of every container (init and ephemeral
   * ones too), and the volumes that name one (secret, projected, CSI and the in-tree drivers).
   */
  public static Set<String> podSecrets(Pod pod) {
    Set<String> names = new LinkedHashSet<>();
    PodSpec spec = pod.getSpec();
    if (spec == null) return names;
    for (LocalObjectReference ref : list(spec.getImagePullSecrets())) add(names, ref.getName());
    forEachContainer(spec, (envFrom, env) -> {
      for (EnvFromSource from : envFrom) if (from.getSecretRef() != null) add(names, from.getSecretRef().getName());
      for (EnvVar e : env) {
        if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
          add(names, e.getValueFrom().getSecretKeyRef().getName());
        }
      }
    });
    for (Volume v : list(spec.getVolumes())) {
      if (v.getSecret() != null) add(names, v.getSecret().getSecretName());
      if (v.getProjected() != null) {
        for (VolumeProjection p : list(v.getProjected().getSources())) {
          if (p.getSecret() != null) add(names, p.getSecret().getName());
        }
      }
      if (v.getAzureFile() != null) add(names, v.getAzureFile().getSecretName());
      if (v.getCephfs() != null && v.getCephfs().getSecretRef() != null) add(names, v.getCephfs().getSecretRef().getName());
      if (v.getCinder() != null && v.getCinder().getSecretRef() != null) add(names, v.getCinder().getSecretRef().getName());
      if (v.getFlexVolume() != null && v.getFlexVolume().getSecretRef() != null) {
        add(names, v.getFlexVolume().getSecretRef().getName());
      }
      if (v.getRbd() != null && v.getRbd().getSecretRef() != null) add(names, v.getRbd().getSecretRef().getName());
      if (v.getScaleIO() != null && v.getScaleIO().getSecretRef() != null) add(names, v.getScaleIO().getSecretRef().getName());
      if (v.getIscsi() != null && v.getIscsi().getSecretRef() != null) add(names, v.getIscsi().getSecretRef().getName());
      if (v.getStorageos() != null && v.getStorageos().getSecretRef() != null) {
        add(names, v.getStorageos().getSecretRef().getName());
      }
      if (v.getCsi() != null && v.getCsi().getNodePublishSecretRef() != null) {
        add(names, v.getCsi().getNodePublishSecretRef().getName());
      }
    }
    return names;
  }

  /** The ConfigMaps of a pod: env and envFrom of every container, configMap and projected volumes. */
  public static Set<String> podConfigMaps(Pod pod) {
    Set<String> names = new LinkedHashSet<>();
    PodSpec spec = pod.getSpec();
    if (spec == null) return names;
    forEachContainer(spec, (envFrom, env) -> {
      for (EnvFromSource from : envFrom) if (from.getConfigMapRef() != null) add(names, from.getConfigMapRef().getName());
      for (EnvVar e : env) {
        if (e.getValueFrom() != null && e.getValueFrom().getConfigMapKeyRef() != null) {
          add(names, e.getValueFrom().getConfigMapKeyRef().getName());
        }
      }
    });
    for (Volume v : list(spec.getVolumes())) {
      if (v.getConfigMap() != null) add(names, v.getConfigMap().getName());
      if (v.getProjected() != null) {
        for (VolumeProjection p : list(v.getProjected().getSources())) {
          if (p.getConfigMap() != null) add(names, p.getConfigMap().getName());
        }
      }
    }
    return names;
  }

  /**
   * The PersistentVolumeClaims of a pod: those its volumes name, and those of its generic ephemeral
   * volumes, which the ephemeral volume controller names {@code <pod>-<volume>}.
   */
  public static Set<String> podClaims(Pod pod) {
    Set<String> names = new LinkedHashSet<>();
    PodSpec spec = pod.getSpec();
    if (spec == null) return names;
    for (Volume v : list(spec.getVolumes())) {
      if (v.getPersistentVolumeClaim() != null) add(names, v.getPersistentVolumeClaim().getClaimName());
      if (v.getEphemeral() != null) add(names, pod.getMetadata().getName() + "-" + v.getName());
    }
    return names;
  }

  /** A Secret by namespace and name. */
  public record SecretName(String namespace, String name) {}

  /**
   * The Secrets a PersistentVolume's driver is given: a reference's own namespace, else the bound
   * claim's (a PV persisted before references had namespaces), StorageOS's "default".
   */
  public static Set<SecretName> persistentVolumeSecrets(PersistentVolume pv) {
    Set<SecretName> names = new LinkedHashSet<>();
    PersistentVolumeSpec spec = pv.getSpec();
    if (spec == null) return names;
    String claimNamespace = spec.getClaimRef() == null || spec.getClaimRef().getNamespace() == null
        ? "" : spec.getClaimRef().getNamespace();
    if (spec.getAzureFile() != null) {
      String ns = spec.getAzureFile().getSecretNamespace();
      String name = spec.getAzureFile().getSecretName();
      if (ns != null && !ns.isEmpty()) addSecret(names, ns, name);
      else if (!claimNamespace.isEmpty()) addSecret(names, claimNamespace, name);
    }
    if (spec.getCephfs() != null) addRef(names, spec.getCephfs().getSecretRef(), claimNamespace);
    if (spec.getCinder() != null) addRef(names, spec.getCinder().getSecretRef(), claimNamespace);
    if (spec.getFlexVolume() != null) addRef(names, spec.getFlexVolume().getSecretRef(), claimNamespace);
    if (spec.getRbd() != null) addRef(names, spec.getRbd().getSecretRef(), claimNamespace);
    if (spec.getScaleIO() != null) addRef(names, spec.getScaleIO().getSecretRef(), claimNamespace);
    if (spec.getIscsi() != null) addRef(names, spec.getIscsi().getSecretRef(), claimNamespace);
    if (spec.getStorageos() != null && spec.getStorageos().getSecretRef() != null) {
      var ref = spec.getStorageos().getSecretRef();
      addSecret(names, ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace(),
          ref.getName());
    }
    if (spec.getCsi() != null) {
      var csi = spec.getCsi();
      for (SecretReference ref : new SecretReference[] {csi.getControllerPublishSecretRef(), csi.getNodeStageSecretRef(),
          csi.getNodePublishSecretRef(), csi.getControllerExpandSecretRef(), csi.getNodeExpandSecretRef()}) {
        addRef(names, ref, "");
      }
    }
    return names;
  }

  private static void addRef(Set<SecretName> names, SecretReference ref, String defaultNamespace) {
    if (ref == null) return;
    String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? defaultNamespace : ref.getNamespace();
    addSecret(names, ns, ref.getName());
  }

  private static void addSecret(Set<SecretName> names, String namespace, String name) {
    if (name != null && !name.isEmpty()) names.add(new SecretName(namespace, name));
  }

  private interface ContainerVisitor {
    void visit(List<EnvFromSource> envFrom, List<EnvVar> env);
  }

  /** Every container's env, as podutil.AllContainers: init containers, containers, ephemeral containers. */
  private static void forEachContainer(PodSpec spec, ContainerVisitor visitor) {
    List<Container> containers = new ArrayList<>(list(spec.getInitContainers()));
    containers.addAll(list(spec.getContainers()));
    for (Container c : containers) visitor.visit(list(c.getEnvFrom()), list(c.getEnv()));
    for (EphemeralContainer c : list(spec.getEphemeralContainers())) visitor.visit(list(c.getEnvFrom()), list(c.getEnv()));
  }

  private static void add(Set<String> names, String name) {
    if (name != null && !name.isEmpty()) names.add(name);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }

}
