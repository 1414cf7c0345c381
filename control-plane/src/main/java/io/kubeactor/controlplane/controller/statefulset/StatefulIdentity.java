package io.kubeactor.controlplane.controller.statefulset;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kubeactor.controlplane.controller.ControllerRefManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A StatefulSet pod's stable identity (stateful_set_utils.go): its name {@code <set>-<ordinal>},
 * the labels naming it, its hostname and subdomain, and its claims {@code <template>-<set>-<ordinal>},
 * mounted under the template's name. The ordinal of a pod is read back from its name.
 */
final class StatefulIdentity {
  private StatefulIdentity() {}

  /** The label with the pod's own name, for a per-pod Service. */
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  /** The label with the pod's ordinal. */
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private static final Pattern STATEFUL_POD = Pattern.compile("(.*)-([0-9]+)$");

  /** The set a pod's name says it belongs to, "" if it names none. */
  static String parentOf(Pod pod) {
    Matcher m = STATEFUL_POD.matcher(pod.getMetadata().getName());
    return m.matches() ? m.group(1) : "";
  }

  /** The pod's ordinal, -1 if its name has none (or one beyond an int32). */
  static int ordinalOf(Pod pod) {
    Matcher m = STATEFUL_POD.matcher(pod.getMetadata().getName());
    if (!m.matches()) return -1;
    try {
      return Integer.parseInt(m.group(2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean isMemberOf(StatefulSet set, Pod pod) {
    return parentOf(pod).equals(set.getMetadata().getName());
  }

  /** spec.ordinals.start, 0 when unset. */
  static int startOrdinal(StatefulSet set) {
    var ordinals = set.getSpec().getOrdinals();
    return ordinals == null || ordinals.getStart() == null ? 0 : ordinals.getStart();
  }

  static int replicas(StatefulSet set) {
    Integer r = set.getSpec().getReplicas();
    return r == null ? 1 : r;
  }

  /** The last ordinal the set wants (inclusive). */
  static int endOrdinal(StatefulSet set) {
    return startOrdinal(set) + replicas(set) - 1;
  }

  static boolean inOrdinalRange(Pod pod, StatefulSet set) {
    int ordinal = ordinalOf(pod);
    return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
  }

  static String podName(StatefulSet set, int ordinal) {
    return set.getMetadata().getName() + "-" + ordinal;
  }

  static String claimName(StatefulSet set, PersistentVolumeClaim template, int ordinal) {
    return template.getMetadata().getName() + "-" + set.getMetadata().getName() + "-" + ordinal;
  }

  /** The pod has the name, namespace and name label of a member of the set. */
  static boolean identityMatches(StatefulSet set, Pod pod) {
    int ordinal = ordinalOf(pod);
    Map<String, String> labels = pod.getMetadata().getLabels();
    return ordinal >= 0
        && set.getMetadata().getName().equals(parentOf(pod))
        && pod.getMetadata().getName().equals(podName(set, ordinal))
        && set.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())
        && labels != null && pod.getMetadata().getName().equals(labels.get(POD_NAME_LABEL));
  }

  /** Each claim template is mounted from the pod's own claim. */
  static boolean storageMatches(StatefulSet set, Pod pod) {
    int ordinal = ordinalOf(pod);
    if (ordinal < 0) return false;
    Map<String, Volume> volumes = new HashMap<>();
    if (pod.getSpec().getVolumes() != null) for (Volume v : pod.getSpec().getVolumes()) volumes.put(v.getName(), v);
    for (PersistentVolumeClaim template : templates(set)) {
      Volume v = volumes.get(template.getMetadata().getName());
      if (v == null || v.getPersistentVolumeClaim() == null
          || !claimName(set, template, ordinal).equals(v.getPersistentVolumeClaim().getClaimName())) {
        return false;
      }
    }
    return true;
  }

  static List<PersistentVolumeClaim> templates(StatefulSet set) {
    List<PersistentVolumeClaim> t = set.getSpec().getVolumeClaimTemplates();
    return t == null ? List.of() : t;
  }

  /**
   * The pod's claims by template name, in template order: each a copy of its template, named for the
   * pod, labelled with the set's matchLabels (over the template's own labels), without status.
   */
  static Map<String, PersistentVolumeClaim> claimsFor(StatefulSet set, Pod pod) {
    int ordinal = ordinalOf(pod);
    Map<String, PersistentVolumeClaim> claims = new LinkedHashMap<>();
    for (PersistentVolumeClaim template : templates(set)) {
      PersistentVolumeClaim claim = ControllerRefManager.copy(template);
      claim.setApiVersion("v1");
      claim.setKind("PersistentVolumeClaim");
      ObjectMeta meta = claim.getMetadata() == null ? new ObjectMeta() : claim.getMetadata();
      meta.setName(claimName(set, template, ordinal));
      meta.setNamespace(set.getMetadata().getNamespace());
      Map<String, String> labels = new HashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
      Map<String, String> matchLabels = set.getSpec().getSelector() == null ? null : set.getSpec().getSelector().getMatchLabels();
      if (matchLabels != null) labels.putAll(matchLabels);
      meta.setLabels(labels.isEmpty() ? null : labels);
      claim.setMetadata(meta);
      claim.setStatus(null);
      claims.put(template.getMetadata().getName(), claim);
    }
    return claims;
  }

  /** Mounts the pod's claims under the templates' names, replacing volumes of those names. */
  static void updateStorage(StatefulSet set, Pod pod) {
    Map<String, PersistentVolumeClaim> claims = claimsFor(set, pod);
    List<Volume> volumes = new ArrayList<>();
    claims.forEach((name, claim) -> {
      Volume v = new Volume();
      v.setName(name);
      v.setPersistentVolumeClaim(new PersistentVolumeClaimVolumeSource(claim.getMetadata().getName(), false));
      volumes.add(v);
    });
    if (pod.getSpec().getVolumes() != null) {
      for (Volume v : pod.getSpec().getVolumes()) if (!claims.containsKey(v.getName())) volumes.add(v);
    }
    pod.getSpec().setVolumes(volumes);
  }

  /** Name, namespace and the labels naming the pod and its ordinal. */
  static void updateIdentity(StatefulSet set, Pod pod) {
    int ordinal = ordinalOf(pod);
    pod.getMetadata().setName(podName(set, ordinal));
    pod.getMetadata().setNamespace(set.getMetadata().getNamespace());
    Map<String, String> labels = new HashMap<>(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    labels.put(POD_NAME_LABEL, pod.getMetadata().getName());
    labels.put(POD_INDEX_LABEL, Integer.toString(ordinal));
    pod.getMetadata().setLabels(labels);
  }

  /** The identity of a new pod: also its hostname and subdomain, which a pod can never change. */
  static void initIdentity(StatefulSet set, Pod pod) {
    updateIdentity(set, pod);
    pod.getSpec().setHostname(pod.getMetadata().getName());
    String service = set.getSpec().getServiceName();
    pod.getSpec().setSubdomain(service == null || service.isEmpty() ? null : service);
  }
}
