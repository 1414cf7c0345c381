package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.defaulted;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Roles, ClusterRoles and their bindings as pkg/apis/rbac/validation checks them, and their defaults. */
class RbacValidationTest {

  private static String role(String kind, String name, String rules) {
    return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: "%s"%s}
        rules:
        """.formatted(kind, name, kind.equals("Role") ? ", namespace: team" : "") + rules.indent(2);
  }

  private static String binding(String kind, String roleRef, String subjects) {
    return """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: b, namespace: team}
        roleRef: %s
        subjects: %s
        """.formatted(kind, roleRef, subjects);
  }

  @Test
  void namesArePathSegmentsSoColonsAreValid() {
    assertThat(create(role("ClusterRole", "system:controller:x", "- {apiGroups: [''], resources: [pods], verbs: [get]}"))).isEmpty();
    assertThat(printed(create(role("Role", "a/b%", "[]")))).containsExactly(
        "metadata.name: Invalid value: \"a/b%\": may not contain '/'",
        "metadata.name: Invalid value: \"a/b%\": may not contain '%'");
    assertThat(printed(create(role("Role", "..", "[]")))).containsExactly("metadata.name: Invalid value: \"..\": may not be '..'");
  }

  @Test
  void rulesNeedVerbsAndEitherResourcesOrUrls() {
    assertThat(printed(create(role("Role", "r", "- {resources: [pods]}")))).containsExactly(
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[0].apiGroups: Required value: resource rules must supply at least one api group");
    assertThat(printed(create(role("ClusterRole", "r", "- {apiGroups: [''], verbs: [get]}")))).containsExactly(
        "rules[0].resources: Required value: resource rules must supply at least one resource");
    assertThat(printed(create(role("Role", "r", "- {nonResourceURLs: [/healthz], verbs: [get]}")))).containsExactly(
        "rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
    assertThat(printed(create(role("ClusterRole", "r", "- {nonResourceURLs: [/healthz], resources: [pods], verbs: [get]}"))))
        .containsExactly("rules[0].nonResourceURLs: Invalid value: []string{\"/healthz\"}: rules cannot apply to both regular"
            + " resources and non-resource URLs");
    assertThat(create(role("ClusterRole", "r", "- {nonResourceURLs: ['/healthz/*'], verbs: [get]}"))).isEmpty();
  }

  @Test
  void anAggregationRuleNeedsASelector() {
    assertThat(printed(create("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: agg}
        aggregationRule: {clusterRoleSelectors: []}
        """))).containsExactly(
        "aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil");
  }

  @Test
  void bindingsAreDefaultedToTheRbacGroup() {
    var b = defaulted(binding("RoleBinding", "{kind: ClusterRole, name: view}",
        "[{kind: User, name: alice}, {kind: Group, name: devs}, {kind: ServiceAccount, name: runner}]"));
    assertThat(b.path("roleRef").path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(b.path("subjects").get(0).path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(b.path("subjects").get(1).path("apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
    assertThat(b.path("subjects").get(2).has("apiGroup")).isFalse();
    assertThat(create(binding("RoleBinding", "{kind: ClusterRole, name: view}", "[{kind: ServiceAccount, name: runner}]")))
        .isEmpty();
  }

  @Test
  void aBindingsRoleRefAndSubjectsAreChecked() {
    assertThat(printed(create(binding("RoleBinding", "{apiGroup: example.com, kind: Deployment, name: ''}",
        "[{kind: Robot, name: r2}, {kind: ServiceAccount, name: Runner, apiGroup: rbac.authorization.k8s.io}, {kind: User}]"))))
        .containsExactly(
            "roleRef.apiGroup: Unsupported value: \"example.com\": supported values: \"rbac.authorization.k8s.io\"",
            "roleRef.kind: Unsupported value: \"Deployment\": supported values: \"Role\", \"ClusterRole\"",
            "roleRef.name: Required value",
            "subjects[0].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"",
            "subjects[1].name: Invalid value: \"Runner\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric"
                + " characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used"
                + " for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "subjects[1].apiGroup: Unsupported value: \"rbac.authorization.k8s.io\": supported values: \"\"",
            "subjects[2].name: Required value");
  }

  @Test
  void aClusterRoleBindingBindsClusterRolesToServiceAccountsWithANamespace() {
    assertThat(printed(create("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: b}
        roleRef: {kind: Role, name: r}
        subjects: [{kind: ServiceAccount, name: runner}]
        """))).containsExactly(
        "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
        "subjects[0].namespace: Required value");
  }

  @Test
  void theRoleRefCannotChange() {
    assertThat(printed(update(binding("RoleBinding", "{kind: ClusterRole, name: view}", "[]"),
        binding("RoleBinding", "{kind: ClusterRole, name: edit}", "[]")))).containsExactly(
        "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}:"
            + " cannot change roleRef");
    assertThat(update(binding("RoleBinding", "{kind: ClusterRole, name: view}", "[]"),
        binding("RoleBinding", "{kind: ClusterRole, name: view}", "[{kind: User, name: alice}]"))).isEmpty();
  }
}
