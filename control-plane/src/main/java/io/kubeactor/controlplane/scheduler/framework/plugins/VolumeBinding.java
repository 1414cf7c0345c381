package io.kubeactor.controlplane.scheduler.framework.plugins;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySelectorLabelRequirement;
import io.fabric8.kubernetes.api.model.TopologySelectorTerm;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kubeactor.controlplane.api.storage.PersistentVolumes;
import io.kubeactor.controlplane.scheduler.framework.CycleState;
import io.kubeactor.controlplane.scheduler.framework.NodeInfo;
import io.kubeactor.controlplane.scheduler.framework.Plugin;
import io.kubeactor.controlplane.scheduler.framework.PreFilterResult;
import io.kubeactor.controlplane.scheduler.framework.Status;
import io.kubeactor.controlplane.scheduler.framework.VolumeObjects;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod's PersistentVolumeClaims (plugins/volumebinding): every claim must exist; an Immediate
 * claim must be bound already (the PV controller binds it, not the scheduler); a bound claim's
 * volume must be usable on the node (its node affinity); a WaitForFirstConsumer claim needs a
 * volume it can bind to on the node or a class that can provision one there. After the node is
 * chosen, the scheduler writes it on those claims ({@link #claimsToBind}) for the PV controller
 * and the provisioner, and waits for them to bind before binding the pod.
 */
public final class VolumeBinding implements Plugin.PreFilter, Plugin.Filter {
  static final String NAME = "VolumeBinding";
  static final String UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
  static final String NODE_CONFLICT = "node(s) had volume node affinity conflict";
  static final String BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
  static final String PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

  /** The pod's claims by what the nodes must offer them: bound ones their volume, delayed ones a volume to come. */
  private record PodClaims(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> delayed) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, Pod pod) {
    VolumeObjects objects = state.snapshot().volumes();
    List<PersistentVolumeClaim> bound = new ArrayList<>();
    List<PersistentVolumeClaim> delayed = new ArrayList<>();
    boolean unboundImmediate = false;
    boolean any = false;
    for (Volume v : volumes(pod)) {
      String claimName = claimName(pod, v);
      if (claimName == null) continue;
      any = true;
      PersistentVolumeClaim claim = objects.claim(pod.getMetadata().getNamespace(), claimName);
      if (claim == null) {
        return PreFilterResult.rejected(v.getEphemeral() != null
            ? "waiting for ephemeral volume controller to create the persistentvolumeclaim \"" + claimName + "\""
            : "persistentvolumeclaim \"" + claimName + "\" not found");
      }
      if (claim.getStatus() != null && "Lost".equals(claim.getStatus().getPhase())) {
        return PreFilterResult.rejected("persistentvolumeclaim \"" + claimName + "\" bound to non-existent persistentvolume \""
            + PersistentVolumes.volumeName(claim) + "\"");
      }
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        return PreFilterResult.rejected("persistentvolumeclaim \"" + claimName + "\" is being deleted");
      }
      if (PersistentVolumes.isFullyBound(claim)) bound.add(claim);
      else if (PersistentVolumes.isDelayBinding(claim, objects::storageClass)) delayed.add(claim);
      else unboundImmediate = true;
    }
    if (!any) return PreFilterResult.SKIP;
    if (unboundImmediate) return PreFilterResult.rejected(UNBOUND_IMMEDIATE);
    state.write(PodClaims.class, new PodClaims(bound, delayed));
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    PodClaims claims = state.read(PodClaims.class);
    if (claims == null) return Status.SUCCESS;
    VolumeObjects objects = state.snapshot().volumes();
    // bound claims first: a node their volumes cannot be used on is out, whatever else
    for (PersistentVolumeClaim claim : claims.bound()) {
      PersistentVolume volume = objects.volume(PersistentVolumes.volumeName(claim));
      if (volume == null) return Status.unschedulable(PV_NOT_EXIST);
      if (!PersistentVolumes.nodeAffinityAllows(volume, node.node())) return Status.unschedulable(NODE_CONFLICT);
    }
    Set<String> chosen = new HashSet<>();
    for (PersistentVolumeClaim claim : claims.delayed()) {
      String selected = PersistentVolumes.selectedNode(claim);
      // a claim whose node was chosen before (its volume may be on the way) stays with it
      if (selected != null && !selected.equals(node.name())) return Status.unschedulable(BIND_CONFLICT);
      PersistentVolume volume = PersistentVolumes.findMatchingVolume(claim, objects.volumes(), true, node.node(), chosen);
      if (volume != null) {
        chosen.add(volume.getMetadata().getName());
      } else if (!canProvision(objects.storageClass(PersistentVolumes.claimClass(claim)), node)) {
        return Status.unschedulable(BIND_CONFLICT);
      }
    }
    return Status.SUCCESS;
  }

  /**
   * The pod's claims that wait for its node (WaitForFirstConsumer and not bound yet): the
   * scheduler writes the chosen node on them before it binds the pod.
   */
  public static List<PersistentVolumeClaim> claimsToBind(Pod pod, VolumeObjects objects) {
    List<PersistentVolumeClaim> out = new ArrayList<>();
    for (Volume v : volumes(pod)) {
      String claimName = claimName(pod, v);
      PersistentVolumeClaim claim = claimName == null ? null : objects.claim(pod.getMetadata().getNamespace(), claimName);
      if (claim != null && !PersistentVolumes.isFullyBound(claim) && PersistentVolumes.isDelayBinding(claim, objects::storageClass)) {
        out.add(claim);
      }
    }
    return out;
  }

  /** A class whose provisioner can make a volume reachable from the node (its allowedTopologies, if any). */
  private static boolean canProvision(StorageClass storageClass, NodeInfo node) {
    if (storageClass == null || PersistentVolumes.NO_PROVISIONER.equals(storageClass.getProvisioner())) return false;
    List<TopologySelectorTerm> terms = storageClass.getAllowedTopologies();
    if (terms == null || terms.isEmpty()) return true;
    Map<String, String> labels = node.labels();
    for (TopologySelectorTerm term : terms) {
      List<TopologySelectorLabelRequirement> requirements = term.getMatchLabelExpressions() == null ? List.of()
          : term.getMatchLabelExpressions();
      if (requirements.stream().allMatch(r -> r.getValues() != null && r.getValues().contains(labels.get(r.getKey())))) return true;
    }
    return false;
  }

  private static List<Volume> volumes(Pod pod) {
    return pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
  }

  /** The claim a volume uses: its persistentVolumeClaim, or the one a generic ephemeral volume gets; null for others. */
  private static String claimName(Pod pod, Volume v) {
    if (v.getPersistentVolumeClaim() != null) return v.getPersistentVolumeClaim().getClaimName();
    if (v.getEphemeral() != null) return pod.getMetadata().getName() + "-" + v.getName();
    return null;
  }
}
