package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Fixtures.NOW;
import static io.kubeactor.controlplane.apiserver.table.Fixtures.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ResourceRegistry;
import org.junit.jupiter.api.Test;

/** kubectl get roles, clusterroles, rolebindings and clusterrolebindings, as a v1.32 server prints them. */
class RbacPrintersTest {

  private static final ResourceRegistry TYPES = ResourceRegistry.builtIn();

  private static TablePrinter printer(String plural) {
    return Tables.printer(TYPES.find("/apis/rbac.authorization.k8s.io/v1", plural).orElseThrow());
  }

  @Test
  void rolesShowTheirNameAndCreationTime() {
    for (String plural : new String[] {"roles", "clusterroles"}) {
      TablePrinter printer = printer(plural);
      assertThat(printer.columns()).extracting(Column::name, Column::type).containsExactly(
          org.assertj.core.groups.Tuple.tuple("Name", "string"), org.assertj.core.groups.Tuple.tuple("Created At", "date"));
      assertThat(printer.cells(yaml("metadata: {name: 'system:node', creationTimestamp: '2024-12-31T10:00:00Z'}"), NOW))
          .containsExactly("system:node", "2024-12-31T10:00:00Z");
    }
  }

  @Test
  void bindingsShowTheirRoleAndWideTheirSubjects() {
    TablePrinter printer = printer("rolebindings");
    assertThat(printer.columns()).extracting(Column::name, Column::priority).containsExactly(
        org.assertj.core.groups.Tuple.tuple("Name", 0), org.assertj.core.groups.Tuple.tuple("Role", 0),
        org.assertj.core.groups.Tuple.tuple("Age", 0), org.assertj.core.groups.Tuple.tuple("Users", 1),
        org.assertj.core.groups.Tuple.tuple("Groups", 1), org.assertj.core.groups.Tuple.tuple("ServiceAccounts", 1));
    assertThat(printer.columns().get(3).description()).isEqualTo("Users in the roleBinding");
    assertThat(printer.cells(yaml("""
        metadata: {name: readers, creationTimestamp: '2025-01-01T11:00:00Z'}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
        subjects:
        - {kind: User, name: alice}
        - {kind: User, name: bob}
        - {kind: Group, name: devs}
        - {kind: ServiceAccount, name: runner, namespace: team}
        """), NOW)).containsExactly("readers", "ClusterRole/view", "60m", "alice, bob", "devs", "team/runner");
    assertThat(printer("clusterrolebindings").columns().get(5).description()).isEqualTo("ServiceAccounts in the clusterRoleBinding");
    assertThat(printer("clusterrolebindings").cells(yaml("""
        metadata: {name: system:node, creationTimestamp: '2025-01-01T11:59:00Z'}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node}
        """), NOW)).containsExactly("system:node", "ClusterRole/system:node", "60s", "", "", "");
  }
}
