package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bindings a request reads: those filed under its user's name or groups, each once, following changes. */
class InformerPolicySourceTest {

  private ControllerFixture fixture;
  private InformerPolicySource source;

  private static final UserInfo ALICE = UserInfo.of("alice", "devs", UserInfo.AUTHENTICATED);
  private static final UserInfo RUNNER = UserInfo.of("system:serviceaccount:team:runner", "system:serviceaccounts",
      "system:serviceaccounts:team", UserInfo.AUTHENTICATED);

  @BeforeEach
  void start() {
    fixture = new ControllerFixture();
    fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"team\"}}");
    source = new InformerPolicySource(fixture.context.informers());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void binding(String kind, String name, String namespace, String subjects) {
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: %s
        metadata: {name: %s%s}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects: %s
        """.formatted(kind, name, namespace == null ? "" : ", namespace: " + namespace, subjects));
  }

  private static List<String> names(List<? extends HasMetadata> bindings) {
    return bindings.stream().map(b -> b.getMetadata().getName()).sorted().toList();
  }

  @Test
  void bindingsAreFoundByUserGroupAndServiceAccount() {
    binding("ClusterRoleBinding", "alice-and-devs", null, "[{kind: User, name: alice}, {kind: Group, name: devs}]");
    binding("ClusterRoleBinding", "everyone", null, "[{kind: Group, name: system:authenticated}]");
    binding("ClusterRoleBinding", "bob", null, "[{kind: User, name: bob}]");
    binding("ClusterRoleBinding", "runner", null, "[{kind: ServiceAccount, name: runner, namespace: team}]");
    binding("RoleBinding", "runner-here", "team", "[{kind: ServiceAccount, name: runner}]");
    binding("RoleBinding", "alice-here", "team", "[{kind: User, name: alice}]");
    binding("RoleBinding", "alice-there", "default", "[{kind: User, name: alice}]");
    await().untilAsserted(() -> {
      // named twice, found once
      assertThat(names(source.clusterRoleBindings(ALICE))).containsExactly("alice-and-devs", "everyone");
      assertThat(names(source.clusterRoleBindings(RUNNER))).containsExactly("everyone", "runner");
      assertThat(names(source.roleBindings("team", RUNNER))).containsExactly("runner-here");
      assertThat(names(source.roleBindings("team", ALICE))).containsExactly("alice-here");
      assertThat(names(source.roleBindings("default", ALICE))).containsExactly("alice-there");
    });
  }

  @Test
  void theIndexFollowsChangesAndDeletions() {
    binding("ClusterRoleBinding", "moving", null, "[{kind: User, name: alice}]");
    await().until(() -> source.clusterRoleBindings(ALICE).size() == 1);
    fixture.change("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "moving", o -> {
      o.withArray("subjects").removeAll().addObject().put("kind", "User").put("name", "carol")
          .put("apiGroup", "rbac.authorization.k8s.io");
      return o;
    });
    await().until(() -> source.clusterRoleBindings(ALICE).isEmpty()
        && source.clusterRoleBindings(UserInfo.of("carol")).size() == 1);
    fixture.delete("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", null, "moving", null);
    await().until(() -> source.clusterRoleBindings(UserInfo.of("carol")).isEmpty());
  }
}
