package io.kubeactor.agent.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.kubeactor.agent.probe.Prober;
import java.time.Duration;

/**
 * A container's preStop hook, as kubelet runs it before it stops the container: sleep (the
 * PodLifecycleSleepAction, on by default since 1.30), exec in the container, or an HTTP GET to the
 * pod; within the pod's grace period, the SIGTERM that follows getting what is left of it. A hook
 * that fails is an event, and the container is stopped all the same.
 */
final class PreStopHook {
  private PreStopHook() {}

  /** Runs the hook (blocking); returns the seconds of the grace period it used. */
  static long run(Container c, String containerId, String podIp, long graceSeconds, Prober prober, PodEvents events,
      String fieldPath, String podName) {
    LifecycleHandler h = c.getLifecycle() == null ? null : c.getLifecycle().getPreStop();
    if (h == null || graceSeconds <= 0) return 0;
    long start = System.nanoTime();
    if (h.getSleep() != null && h.getSleep().getSeconds() != null) {
      try {
        Thread.sleep(Duration.ofSeconds(Math.min(h.getSleep().getSeconds(), graceSeconds)).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (h.getExec() != null || h.getHttpGet() != null) {
      var probe = new ProbeBuilder().withExec(h.getExec()).withHttpGet(h.getHttpGet())
          .withTimeoutSeconds((int) Math.min(Integer.MAX_VALUE, graceSeconds)).build();
      Prober.Result r = prober.probe(probe, c, podIp, containerId);
      if (!r.success()) {
        String kind = h.getExec() != null ? "Exec lifecycle hook (" + h.getExec().getCommand() + ")" : "HTTP lifecycle hook ("
            + h.getHttpGet().getPath() + ")";
        events.warning("FailedPreStopHook", kind + " for Container \"" + c.getName() + "\" in Pod \"" + podName
            + "\" failed - error: " + r.message(), fieldPath);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start).toSeconds();
  }
}
