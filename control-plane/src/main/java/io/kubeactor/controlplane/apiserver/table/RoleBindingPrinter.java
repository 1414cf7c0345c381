package io.kubeactor.controlplane.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RoleBindings and ClusterRoleBindings: NAME ROLE AGE, and wide USERS GROUPS SERVICEACCOUNTS
 * (printRoleBinding, printClusterRoleBinding; the subjects as rbac.SubjectsStrings lists them).
 */
final class RoleBindingPrinter implements TablePrinter {

  // the printers describe ROLE with rbac/v1beta1's roleRef documentation, as v1.32 words it
  private static final String ROLE_BINDING_REF_DOC = "RoleRef can reference a Role in the current namespace or a"
      + " ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";
  private static final String CLUSTER_ROLE_BINDING_REF_DOC = "RoleRef can only reference a ClusterRole in the global"
      + " namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.";

  private final List<Column> columns;

  private RoleBindingPrinter(String kind, String roleRefDoc) {
    this.columns = List.of(
        Column.NAME,
        Column.string("Role", roleRefDoc),
        Column.AGE,
        Column.string("Users", "Users in the " + kind).wide(),
        Column.string("Groups", "Groups in the " + kind).wide(),
        Column.string("ServiceAccounts", "ServiceAccounts in the " + kind).wide());
  }

  static RoleBindingPrinter ofRoleBindings() {
    return new RoleBindingPrinter("roleBinding", ROLE_BINDING_REF_DOC);
  }

  static RoleBindingPrinter ofClusterRoleBindings() {
    return new RoleBindingPrinter("clusterRoleBinding", CLUSTER_ROLE_BINDING_REF_DOC);
  }

  @Override
  public List<Column> columns() {
    return columns;
  }

  @Override
  public List<Object> cells(JsonNode binding) {
    JsonNode ref = binding.path("roleRef");
    List<String> users = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    List<String> serviceAccounts = new ArrayList<>();
    for (JsonNode subject : Cells.list(binding, "subjects")) {
      String name = Cells.text(subject, "name");
      switch (Cells.text(subject, "kind")) {
        case "ServiceAccount" -> serviceAccounts.add(Cells.text(subject, "namespace") + "/" + name);
        case "User" -> users.add(name);
        case "Group" -> groups.add(name);
        default -> { }
      }
    }
    return List.of(Cells.name(binding), Cells.text(ref, "kind") + "/" + Cells.text(ref, "name"), Cells.age(binding),
        String.join(", ", users), String.join(", ", groups), String.join(", ", serviceAccounts));
  }
}
