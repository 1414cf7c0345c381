package io.kubeactor.controlplane.security.authorization;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.List;

/**
 * The rules a user holds in a namespace (upstream's authorizer.RuleResolver): what
 * SelfSubjectRulesReview ({@code kubectl auth can-i --list}) and the RBAC escalation check read.
 */
public interface RuleResolver {

  /** The rules, and the errors met gathering them (a binding to a missing role): the list is then incomplete. */
  Rules rulesFor(UserInfo user, String namespace);

  record Rules(List<PolicyRule> rules, List<String> errors) {
    public boolean incomplete() {
      return !errors.isEmpty();
    }
  }
}
