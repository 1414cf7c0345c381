package io.kubeactor.controlplane.security.authorization;

/**
 * Decides whether a request may proceed (upstream's authorizer.Authorizer). Authorizers are chained
 * as kube-apiserver's --authorization-mode=Node,RBAC: the first that allows or denies decides; when
 * none has an opinion the request is forbidden.
 */
public interface Authorizer {

  Decision authorize(Attributes attributes);

  /** An authorizer's verdict and, for the Status and audit log, why. */
  record Decision(Outcome outcome, String reason) {

    public enum Outcome { ALLOW, DENY, NO_OPINION }

    public static Decision allow(String reason) {
      return new Decision(Outcome.ALLOW, reason);
    }

    public static Decision deny(String reason) {
      return new Decision(Outcome.DENY, reason);
    }

    public static Decision noOpinion(String reason) {
      return new Decision(Outcome.NO_OPINION, reason);
    }

    public boolean allowed() {
      return outcome == Outcome.ALLOW;
    }
  }
}
