package io.kubeactor.controlplane.scheduler.framework;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;

/**
 * A pod with its affinity terms parsed and its requests computed once (upstream framework.PodInfo),
 * and its namespace/name, the key the cache and the informers know it by.
 */
public record PodInfo(
    String key,
    Pod pod,
    List<AffinityTerm> requiredAffinityTerms,
    List<AffinityTerm> requiredAntiAffinityTerms,
    List<WeightedAffinityTerm> preferredAffinityTerms,
    List<WeightedAffinityTerm> preferredAntiAffinityTerms,
    Resources requests,
    Resources nonZeroRequests) {

  public static PodInfo of(Pod pod) {
    Affinity affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
    var podAffinity = affinity == null ? null : affinity.getPodAffinity();
    var podAntiAffinity = affinity == null ? null : affinity.getPodAntiAffinity();
    return new PodInfo(AffinityTerm.namespaceOf(pod) + "/" + pod.getMetadata().getName(), pod,
        required(pod, podAffinity == null ? null : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()),
        required(pod, podAntiAffinity == null ? null : podAntiAffinity.getRequiredDuringSchedulingIgnoredDuringExecution()),
        preferred(pod, podAffinity == null ? null : podAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()),
        preferred(pod, podAntiAffinity == null ? null : podAntiAffinity.getPreferredDuringSchedulingIgnoredDuringExecution()),
        PodRequests.of(pod),
        PodRequests.nonZero(pod));
  }

  /** Whether the pod has any pod affinity or anti-affinity, required or preferred. */
  public boolean hasAffinity() {
    return !requiredAffinityTerms.isEmpty() || !requiredAntiAffinityTerms.isEmpty()
        || !preferredAffinityTerms.isEmpty() || !preferredAntiAffinityTerms.isEmpty();
  }

  private static List<AffinityTerm> required(Pod pod, List<PodAffinityTerm> terms) {
    if (terms == null) return List.of();
    return terms.stream().map(t -> AffinityTerm.of(pod, t)).toList();
  }

  private static List<WeightedAffinityTerm> preferred(Pod pod, List<WeightedPodAffinityTerm> terms) {
    if (terms == null) return List.of();
    return terms.stream()
        .filter(t -> t.getPodAffinityTerm() != null)
        .map(t -> new WeightedAffinityTerm(AffinityTerm.of(pod, t.getPodAffinityTerm()),
            t.getWeight() == null ? 0 : t.getWeight()))
        .toList();
  }
}
