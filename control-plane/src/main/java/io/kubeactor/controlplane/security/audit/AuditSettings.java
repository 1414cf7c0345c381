package io.kubeactor.controlplane.security.audit;

import com.typesafe.config.Config;

/**
 * The audit log's settings (kubeactor.audit in application.conf), kube-apiserver's --audit-* flags.
 *
 * @param policyFile --audit-policy-file: an audit.k8s.io/v1 Policy; "" for the default policy
 *     (Metadata for every request)
 * @param logPath --audit-log-path: where events go, "-" for standard output; "" for no audit log
 * @param maxSizeMegabytes --audit-log-maxsize: the size at which the log file is rotated (0: 100, as
 *     the lumberjack logger upstream uses)
 * @param maxBackups --audit-log-maxbackup: rotated files kept, 0 for all
 * @param queueSize events waiting for the writer at most (the batch backend's buffer: 10000); more are dropped
 */
public record AuditSettings(String policyFile, String logPath, int maxSizeMegabytes, int maxBackups, int queueSize) {

  public AuditSettings {
    if (maxSizeMegabytes < 0) {
      throw new IllegalArgumentException("--audit-log-maxsize " + maxSizeMegabytes + " can't be a negative number");
    }
    if (maxBackups < 0) {
      throw new IllegalArgumentException("--audit-log-maxbackup " + maxBackups + " can't be a negative number");
    }
    if (queueSize <= 0) {
      throw new IllegalArgumentException("invalid audit batch log buffer size " + queueSize + ", must be a positive number");
    }
    if (logPath.isEmpty() && !policyFile.isEmpty()) {
      throw new IllegalArgumentException("kubeactor.audit.policy-file is set but kubeactor.audit.log-path is not: "
          + "name the audit log's file (\"-\" for standard output)");
    }
  }

  /** Auditing off. */
  public static final AuditSettings OFF = new AuditSettings("", "", 0, 0, 10000);

  /** From the kubeactor config (kubeactor.audit.*). */
  public static AuditSettings from(Config k) {
    Config a = k.getConfig("audit");
    return new AuditSettings(a.getString("policy-file").strip(), a.getString("log-path").strip(),
        a.getInt("log-maxsize"), a.getInt("log-maxbackup"), a.getInt("queue-size"));
  }

  public boolean enabled() {
    return !logPath.isEmpty();
  }

  public boolean toStandardOutput() {
    return logPath.equals("-");
  }
}
