package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rbac/bootstrap-roles post-start hook: missing objects created, existing ones added to, protected ones left alone. */
class BootstrapPolicyReconcilerTest {

  private ControllerFixture fixture;
  private BootstrapPolicyReconciler reconciler;
  private final BootstrapPolicy policy = BootstrapPolicy.load();

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
    fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kube-public\"}}");
    reconciler = new BootstrapPolicyReconciler(fixture.context.writer(), fixture.context.fresh(), fixture.context.informers());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void reconcile() throws Exception {
    reconciler.reconcile(policy).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void everyObjectOfThePolicyIsCreatedOnceAsUpstreamLabelsAndAnnotatesIt() throws Exception {
    reconcile();
    assertThat(fixture.list(ClusterRole.class, null)).hasSize(policy.clusterRoles().size());
    assertThat(fixture.list(ClusterRoleBinding.class, null)).hasSize(policy.clusterRoleBindings().size());
    assertThat(fixture.list(Role.class, "kube-system")).hasSize(6);
    assertThat(fixture.list(RoleBinding.class, "kube-public")).hasSize(1);
    ClusterRole clusterAdmin = fixture.get(ClusterRole.class, null, "cluster-admin");
    assertThat(clusterAdmin.getMetadata().getLabels()).containsEntry("kubernetes.io/bootstrapping", "rbac-defaults");
    assertThat(clusterAdmin.getMetadata().getAnnotations()).containsEntry("rbac.authorization.kubernetes.io/autoupdate", "true");
    ClusterRoleBinding controller = fixture.get(ClusterRoleBinding.class, null, "system:controller:deployment-controller");
    assertThat(controller.getRoleRef().getName()).isEqualTo("system:controller:deployment-controller");
    assertThat(controller.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getNamespace()).isEqualTo("kube-system");
      assertThat(s.getName()).isEqualTo("deployment-controller");
    });
    String version = fixture.get(ClusterRole.class, null, "view").getMetadata().getResourceVersion();
    reconcile();
    assertThat(fixture.get(ClusterRole.class, null, "view").getMetadata().getResourceVersion())
        .as("a second start changes nothing").isEqualTo(version);
  }

  @Test
  void aRoleThatLostRulesGetsThemBackAndKeepsItsOwn() throws Exception {
    reconcile();
    ClusterRole discovery = fixture.get(ClusterRole.class, null, "system:discovery");
    PolicyRule own = PolicyRules.rule(List.of(), List.of(), List.of("get"), List.of(), List.of("/custom"));
    discovery.setRules(List.of(own));
    discovery.getMetadata().getLabels().put("team", "platform");
    fixture.update(discovery);
    reconcile();
    ClusterRole reconciled = fixture.get(ClusterRole.class, null, "system:discovery");
    assertThat(reconciled.getRules().get(0).getNonResourceURLs()).containsExactly("/custom");
    // missing rules come back broken down, one URL each, as upstream's Covers reports them
    assertThat(reconciled.getRules()).hasSize(1 + 11);
    assertThat(reconciled.getMetadata().getLabels()).containsEntry("team", "platform");
  }

  @Test
  void aRoleAnnotatedAutoupdateFalseIsLeftAsItIs() throws Exception {
    reconcile();
    ClusterRole view = fixture.get(ClusterRole.class, null, "system:aggregate-to-view");
    view.setRules(List.of(PolicyRules.rule(List.of(""), List.of("pods"), List.of("get"), List.of(), List.of())));
    view.getMetadata().getAnnotations().put("rbac.authorization.kubernetes.io/autoupdate", "false");
    fixture.update(view);
    reconcile();
    assertThat(fixture.get(ClusterRole.class, null, "system:aggregate-to-view").getRules()).hasSize(1);
  }

  @Test
  void aBindingGetsItsSubjectsBackAndOneWithAnotherRoleIsMadeAgain() throws Exception {
    reconcile();
    ClusterRoleBinding discovery = fixture.get(ClusterRoleBinding.class, null, "system:discovery");
    discovery.setSubjects(List.of(new Subject("rbac.authorization.k8s.io", "User", "extra", null)));
    fixture.update(discovery);
    fixture.delete("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "system:monitoring", null);
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: system:monitoring}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: Group, name: system:monitoring}]
        """);
    reconcile();
    assertThat(fixture.get(ClusterRoleBinding.class, null, "system:discovery").getSubjects())
        .extracting(Subject::getName).containsExactly("extra", "system:authenticated");
    assertThat(fixture.get(ClusterRoleBinding.class, null, "system:monitoring").getRoleRef().getName())
        .isEqualTo("system:monitoring");
  }
}
