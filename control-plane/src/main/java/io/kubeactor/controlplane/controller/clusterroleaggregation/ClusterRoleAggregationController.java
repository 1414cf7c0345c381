package io.kubeactor.controlplane.controller.clusterroleaggregation;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.security.rbac.PolicyRules;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's clusterrole-aggregation controller
 * (pkg/controller/clusterroleaggregation): a ClusterRole with an aggregationRule holds the rules of
 * every other ClusterRole its selectors match, in the order of their names, each rule once. Any
 * change of a ClusterRole may change what an aggregated one gathers, so it requeues them all, as
 * upstream does. Keys are ClusterRole names.
 */
public final class ClusterRoleAggregationController implements Reconciler {

  private final ControllerContext context;
  private final Informer<ClusterRole> clusterRoles;

  public ClusterRoleAggregationController(ControllerContext context) {
    this.context = context;
    this.clusterRoles = context.informers().of(ClusterRole.class);
  }

  @Override
  public String name() {
    return "clusterrole-aggregation-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(clusterRoles, e -> keys());
  }

  /** The aggregated ClusterRoles. */
  @Override
  public Collection<String> keys() {
    return clusterRoles.list().stream().filter(r -> r.getAggregationRule() != null)
        .map(r -> r.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String name) {
    ClusterRole role = clusterRoles.get(null, name);
    if (role == null || role.getAggregationRule() == null) return CompletableFuture.completedFuture(Result.done());
    List<PolicyRule> gathered = gatheredRules(role);
    if (PolicyRules.sameRules(gathered, role.getRules())) return CompletableFuture.completedFuture(Result.done());
    ClusterRole updated = Json.fromTree(Json.toTree(role), ClusterRole.class);
    updated.setRules(gathered);
    return context.writer().update(updated).thenApply(written -> Result.done());
  }

  /** The rules of the other ClusterRoles each selector matches, sorted by name, without repeats. */
  private List<PolicyRule> gatheredRules(ClusterRole aggregated) {
    List<PolicyRule> rules = new ArrayList<>();
    List<LabelSelector> selectors = aggregated.getAggregationRule().getClusterRoleSelectors();
    for (LabelSelector selector : selectors == null ? List.<LabelSelector>of() : selectors) {
      io.kubeactor.controlplane.api.selector.LabelSelector matcher =
          io.kubeactor.controlplane.api.selector.LabelSelector.fromJson(Json.toTree(selector));
      List<ClusterRole> matched = clusterRoles.list().stream()
          .filter(r -> !r.getMetadata().getName().equals(aggregated.getMetadata().getName()))
          .filter(r -> matcher.matches(labels(r)))
          .sorted(Comparator.comparing(r -> r.getMetadata().getName()))
          .toList();
      for (ClusterRole r : matched) {
        for (PolicyRule rule : r.getRules() == null ? List.<PolicyRule>of() : r.getRules()) {
          if (rules.stream().noneMatch(have -> PolicyRules.same(have, rule))) rules.add(rule);
        }
      }
    }
    return rules;
  }

  private static Map<String, String> labels(ClusterRole role) {
    return role.getMetadata().getLabels() == null ? Map.of() : role.getMetadata().getLabels();
  }
}
