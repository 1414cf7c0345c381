package io.kubeactor.controlplane.controller.clusterroleaggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An aggregated ClusterRole holds the rules of the ClusterRoles its selectors match, kept up to date. */
class ClusterRoleAggregationControllerTest {

  private ControllerFixture fixture;

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
    fixture.start(new ClusterRoleAggregationController(fixture.context));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void clusterRole(String name, String label, String resource) {
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: %s, labels: {%s: "true"}}
        rules: [{apiGroups: [""], resources: [%s], verbs: [get]}]
        """.formatted(name, label, resource));
  }

  private List<String> resourcesOf(String name) {
    ClusterRole role = fixture.get(ClusterRole.class, null, name);
    return role == null || role.getRules() == null ? List.of()
        : role.getRules().stream().map(PolicyRule::getResources).map(r -> String.join(",", r)).toList();
  }

  @Test
  void rulesAreGatheredInNameOrderOnceEachAndFollowChanges() {
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: monitoring}
        aggregationRule:
          clusterRoleSelectors:
          - matchLabels: {example.com/aggregate-to-monitoring: "true"}
          - matchLabels: {example.com/extra: "true"}
        """);
    clusterRole("b-pods", "example.com/aggregate-to-monitoring", "pods");
    clusterRole("a-nodes", "example.com/aggregate-to-monitoring", "nodes");
    clusterRole("c-same-as-pods", "example.com/extra", "pods");
    clusterRole("unrelated", "example.com/other", "secrets");
    // a's then b's rule for the first selector; the second selector's rule equals b's and is not repeated
    await().untilAsserted(() -> assertThat(resourcesOf("monitoring")).containsExactly("nodes", "pods"));

    fixture.delete("rbac.authorization.k8s.io/v1", "ClusterRole", null, "a-nodes", null);
    await().untilAsserted(() -> assertThat(resourcesOf("monitoring")).containsExactly("pods"));
    fixture.change("rbac.authorization.k8s.io/v1", "ClusterRole", null, "unrelated", o -> {
      o.with("metadata").with("labels").put("example.com/extra", "true");
      return o;
    });
    await().untilAsserted(() -> assertThat(resourcesOf("monitoring")).containsExactly("pods", "secrets"));
  }

  @Test
  void aggregatedRolesChainAsAdminEditAndViewDo() {
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: outer}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {to-outer: "true"}}]}
        """);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: inner, labels: {to-outer: "true"}}
        aggregationRule: {clusterRoleSelectors: [{matchLabels: {to-inner: "true"}}]}
        """);
    clusterRole("leaf", "to-inner", "configmaps");
    await().untilAsserted(() -> {
      assertThat(resourcesOf("inner")).containsExactly("configmaps");
      assertThat(resourcesOf("outer")).containsExactly("configmaps");
    });
  }
}
