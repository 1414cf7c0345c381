package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;

/**
 * persistentVolumeClaimRetentionPolicy as owner references on the claims (KEP-1847), which the
 * garbage collector then acts on:
 * <ul>
 *   <li>Retain when scaled and when deleted: no reference;</li>
 *   <li>Delete when the set is deleted: the set controls the claim;</li>
 *   <li>Delete when scaled down: the pod of a condemned ordinal controls the claim, so the claim goes
 *       with the pod.</li>
 * </ul>
 * Claims with a stale reference (to an earlier set or pod of the same name) or another controller
 * are left alone.
 */
final class ClaimRetention {
  private ClaimRetention() {}

  static final String RETAIN = "Retain";
  static final String DELETE = "Delete";

  record Policy(String whenDeleted, String whenScaled) {
    boolean retainsAll() {
      return RETAIN.equals(whenDeleted) && RETAIN.equals(whenScaled);
    }
  }

  static Policy policy(StatefulSet set) {
    var p = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    String deleted = p == null || p.getWhenDeleted() == null || p.getWhenDeleted().isEmpty() ? RETAIN : p.getWhenDeleted();
    String scaled = p == null || p.getWhenScaled() == null || p.getWhenScaled().isEmpty() ? RETAIN : p.getWhenScaled();
    // an unknown policy is treated as Retain, as upstream does
    if (!DELETE.equals(deleted)) deleted = RETAIN;
    if (!DELETE.equals(scaled)) scaled = RETAIN;
    return new Policy(deleted, scaled);
  }

  /** The reference names the object: same name and kind, whatever the uid. */
  private static boolean names(OwnerReference ref, HasMetadata o, String apiVersion, String kind) {
    return apiVersion.equals(ref.getApiVersion()) && kind.equals(ref.getKind()) && o.getMetadata().getName().equals(ref.getName());
  }

  private static boolean namesSet(OwnerReference ref, StatefulSet set) {
    return names(ref, set, "apps/v1", "StatefulSet");
  }

  private static boolean namesPod(OwnerReference ref, Pod pod) {
    return names(ref, pod, "v1", "Pod");
  }

  private static List<OwnerReference> refs(HasMetadata o) {
    List<OwnerReference> r = o.getMetadata().getOwnerReferences();
    return r == null ? List.of() : r;
  }

  static boolean hasOwnerRef(HasMetadata target, HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    if (uid == null) return false;
    return refs(target).stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  /** The claim refers to an object of the pod's (or set's) name and kind but another uid. */
  static boolean hasStalePodRef(PersistentVolumeClaim claim, Pod pod) {
    for (OwnerReference r : refs(claim)) {
      if (namesPod(r, pod)) return !r.getUid().equals(pod.getMetadata().getUid());
    }
    return false;
  }

  private static boolean hasStaleSetRef(PersistentVolumeClaim claim, StatefulSet set) {
    for (OwnerReference r : refs(claim)) {
      if (namesSet(r, set)) return !r.getUid().equals(set.getMetadata().getUid());
    }
    return false;
  }

  /** Another controller manages the claim (a set or pod of our names with another uid counts). */
  static boolean hasUnexpectedController(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    if (policy(set).retainsAll()) return false;
    for (OwnerReference r : refs(claim)) {
      if (namesSet(r, set)) {
        if (!r.getUid().equals(set.getMetadata().getUid())) return true;
        continue;
      }
      if (namesPod(r, pod)) {
        if (!r.getUid().equals(pod.getMetadata().getUid())) return true;
        continue;
      }
      if (Boolean.TRUE.equals(r.getController())) return true;
    }
    return false;
  }

  private static boolean hasNonControllerOwner(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    for (OwnerReference r : refs(claim)) {
      boolean ours = r.getUid().equals(set.getMetadata().getUid()) || r.getUid().equals(pod.getMetadata().getUid());
      if (ours && !Boolean.TRUE.equals(r.getController())) return true;
    }
    return false;
  }

  /** Whether the claim's references already say what the policy asks (isClaimOwnerUpToDate). */
  static boolean upToDate(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    if (hasStaleSetRef(claim, set) || hasStalePodRef(claim, pod)) return true;
    if (hasUnexpectedController(claim, set, pod)) {
      return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
    }
    if (hasNonControllerOwner(claim, set, pod)) return false;
    Policy p = policy(set);
    boolean scaledDown = !StatefulIdentity.inOrdinalRange(pod, set);
    boolean setRef = hasOwnerRef(claim, set);
    boolean podRef = hasOwnerRef(claim, pod);
    if (p.retainsAll()) return !setRef && !podRef;
    if (RETAIN.equals(p.whenScaled())) return setRef && !podRef; // whenDeleted: Delete
    if (RETAIN.equals(p.whenDeleted())) return !setRef && scaledDown == podRef; // whenScaled: Delete
    return scaledDown != setRef && scaledDown == podRef; // both Delete
  }

  /** The claim's references rewritten for the policy (updateClaimOwnerRefForSetAndPod), in place. */
  static void update(PersistentVolumeClaim claim, StatefulSet set, Pod pod) {
    boolean unexpected = hasUnexpectedController(claim, set, pod);
    List<OwnerReference> refs = new ArrayList<>(refs(claim));
    refs.removeIf(r -> namesSet(r, set) || namesPod(r, pod));
    if (!unexpected) {
      Policy p = policy(set);
      boolean scaledDown = !StatefulIdentity.inOrdinalRange(pod, set);
      if (DELETE.equals(p.whenDeleted()) && (RETAIN.equals(p.whenScaled()) || !scaledDown)) {
        addControllerRef(refs, set.getMetadata().getUid(), "apps/v1", "StatefulSet", set.getMetadata().getName());
      }
      if (DELETE.equals(p.whenScaled()) && scaledDown) {
        addControllerRef(refs, pod.getMetadata().getUid(), "v1", "Pod", pod.getMetadata().getName());
      }
    }
    claim.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
  }

  private static void addControllerRef(List<OwnerReference> refs, String uid, String apiVersion, String kind, String name) {
    if (uid == null || refs.stream().anyMatch(r -> uid.equals(r.getUid()))) return;
    refs.add(new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind).withName(name).withUid(uid)
        .withController(true).withBlockOwnerDeletion(true).build());
  }
}
