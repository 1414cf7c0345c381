package io.kubeactor.controlplane.controller.endpointslice;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kubeactor.controlplane.api.selector.LabelSelector;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.PodControl;
import io.kubeactor.controlplane.controller.Pods;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which Services a pod change concerns (k8s.io/endpointslice/util GetPodServiceMemberships and
 * GetServicesToUpdateOnPodChange): the Services of the pod's namespace whose selector matches it,
 * before and after the change. A change that cannot alter any endpoint (an annotation, a container
 * status that leaves readiness alone) concerns none.
 */
public final class ServiceMemberships {

  private final Informer<Service> services;

  public ServiceMemberships(Informer<Service> services) {
    this.services = services;
  }

  /** The keys of the Services that select the pod. */
  public Set<String> of(Pod pod) {
    return matching(pod.getMetadata().getNamespace(), PodControl.labels(pod));
  }

  /** The keys of the Services to sync after a pod event. */
  public Set<String> toSync(Informer.Event<Pod> event) {
    Pod pod = event.object();
    Pod old = event.previous();
    if (event.type() != Informer.EventType.MODIFIED || old == null) return of(pod);
    if (Objects.equals(pod.getMetadata().getResourceVersion(), old.getMetadata().getResourceVersion())) return Set.of();
    boolean labelsChanged = !PodControl.labels(pod).equals(PodControl.labels(old)) || !sameHostnameAndSubdomain(pod, old);
    boolean podChanged = endpointsChanged(old, pod);
    if (!podChanged && !labelsChanged) return Set.of();
    Set<String> now = of(pod);
    if (!labelsChanged) return now;
    Set<String> before = of(old);
    Set<String> out = new LinkedHashSet<>();
    if (podChanged) {
      out.addAll(now);
      out.addAll(before);
    } else {
      // only the labels changed: the Services the pod joined or left
      for (String k : now) if (!before.contains(k)) out.add(k);
      for (String k : before) if (!now.contains(k)) out.add(k);
    }
    return out;
  }

  private Set<String> matching(String namespace, Map<String, String> labels) {
    Set<String> keys = new LinkedHashSet<>();
    for (Service s : services.list(namespace)) {
      var selector = PodEndpoints.selector(s);
      if (selector.isPresent() && LabelSelector.fromMap(selector.get()).matches(labels)) keys.add(Informer.keyOf(s));
    }
    return keys;
  }

  /** podEndpointsChanged: being deleted, readiness, or the pod's IPs. */
  private static boolean endpointsChanged(Pod old, Pod pod) {
    if (!Objects.equals(old.getMetadata().getDeletionTimestamp(), pod.getMetadata().getDeletionTimestamp())) return true;
    if (Pods.isReady(old) != Pods.isReady(pod)) return true;
    return !PodEndpoints.ips(old).equals(PodEndpoints.ips(pod));
  }

  private static boolean sameHostnameAndSubdomain(Pod a, Pod b) {
    return Objects.equals(a.getSpec().getHostname(), b.getSpec().getHostname())
        && Objects.equals(a.getSpec().getSubdomain(), b.getSpec().getSubdomain());
  }
}
