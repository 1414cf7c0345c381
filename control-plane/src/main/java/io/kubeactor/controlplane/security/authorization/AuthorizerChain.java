package io.kubeactor.controlplane.security.authorization;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Authorizers in order (k8s.io/apiserver's union authorizer): the first that allows or denies
 * decides; when none has an opinion the request is denied, with their reasons joined. The rules a
 * user holds are those of every authorizer that can list them.
 */
public final class AuthorizerChain implements Authorizer, RuleResolver {

  private final List<Authorizer> authorizers = new CopyOnWriteArrayList<>();

  public AuthorizerChain(List<Authorizer> authorizers) {
    this.authorizers.addAll(authorizers);
  }

  /** Appends an authorizer (RBAC, once the informers it reads are up). */
  public void add(Authorizer authorizer) {
    authorizers.add(authorizer);
  }

  @Override
  public Decision authorize(Attributes attributes) {
    List<String> reasons = new ArrayList<>(0);
    for (Authorizer authorizer : authorizers) {
      Decision d = authorizer.authorize(attributes);
      if (d.outcome() != Decision.Outcome.NO_OPINION) return d;
      if (!d.reason().isEmpty()) reasons.add(d.reason());
    }
    return Decision.noOpinion(String.join("\n", reasons));
  }

  @Override
  public Rules rulesFor(UserInfo user, String namespace) {
    List<PolicyRule> rules = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (Authorizer authorizer : authorizers) {
      if (!(authorizer instanceof RuleResolver resolver)) continue;
      Rules r = resolver.rulesFor(user, namespace);
      rules.addAll(r.rules());
      errors.addAll(r.errors());
    }
    return new Rules(rules, errors);
  }
}
