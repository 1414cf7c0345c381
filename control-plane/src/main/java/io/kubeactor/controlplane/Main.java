package io.kubeactor.controlplane;

import com.typesafe.config.ConfigFactory;
import java.net.BindException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code control-plane [--data-dir DIR] [--host H] [--port P] [--advertise-address IP] [--store h2|postgres]}:
 * starts the control plane and runs until stopped. Failures the user can fix are one line on stderr, exit 1.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Map<String, Object> overrides = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String key = switch (args[i]) {
        case "--data-dir" -> "kubeactor.data-dir";
        case "--host" -> "kubeactor.api.host";
        case "--port" -> "kubeactor.api.port";
        case "--advertise-address" -> "kubeactor.api.advertise-address";
        case "--dns-port" -> "kubeactor.dns.port";
        case "--store" -> "kubeactor.store.backend";
        case "--extra-sans" -> "kubeactor.api.extra-sans";
        case "--cluster-host" -> "kubeactor.cluster.host";
        case "--cluster-port" -> "kubeactor.cluster.port";
        case "--pod-eviction-timeout" -> "kubeactor.controllers.default-toleration-seconds";
        case "--audit-log-path" -> "kubeactor.audit.log-path";
        case "--audit-policy-file" -> "kubeactor.audit.policy-file";
        case "--nodes" -> "kubeactor.cluster-autoscaler.nodes";
        case "--scale-down-unneeded-time" -> "kubeactor.cluster-autoscaler.scale-down-unneeded-time";
        case "--scale-down-delay-after-add" -> "kubeactor.cluster-autoscaler.scale-down-delay-after-add";
        default -> fail("unknown option " + args[i] + "; options: --data-dir DIR --host H --port P --advertise-address IP --dns-port P --store h2|postgres"
            + " --extra-sans a,b --cluster-host H --cluster-port P --pod-eviction-timeout SECONDS"
            + " --nodes MIN:MAX:NAME --scale-down-unneeded-time D --scale-down-delay-after-add D");
      };
      if (i + 1 >= args.length) fail(args[i] + " needs a value");
      overrides.put(key, args[++i]);
    }
    Object eviction = overrides.get("kubeactor.controllers.default-toleration-seconds");
    if (eviction != null && !String.valueOf(eviction).matches("[0-9]{1,9}")) {
      fail("--pod-eviction-timeout takes whole seconds (e.g. 30), not '" + eviction + "'");
    }
    try {
      // stopping the JVM (SIGTERM) runs Pekko's coordinated shutdown: unbind, then stop the actors
      ControlPlane cp = ControlPlane.start(ConfigFactory.parseMap(overrides));
      System.out.println("kubeactor control plane serving on port " + cp.port() + ", nodes join on port " + cp.clusterPort()
          + ", data in " + cp.dataDir());
    } catch (Exception e) {
      fail(explain(e));
    }
  }

  /** The one line a user needs for the failures they can fix. */
  private static String explain(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof BindException) {
        return "cannot listen on the API port: " + c.getMessage() + " (is another control plane running? try ./kubeactor status)";
      }
      String msg = String.valueOf(c.getMessage());
      if (msg.contains("Failed to bind TCP")) {
        return "cannot listen on the cluster port (" + msg + "); is another control plane running? try ./kubeactor status";
      }
      if (msg.contains("Database may be already in use") || msg.contains("file is locked")) {
        return "the data directory is in use by another control plane; stop it first (./kubeactor down)";
      }
      if (c instanceof IllegalArgumentException) return msg;
    }
    return "control plane failed to start: " + e;
  }

  private static <T> T fail(String message) {
    System.err.println("kubeactor: " + message);
    System.exit(1);
    return null;
  }
}
