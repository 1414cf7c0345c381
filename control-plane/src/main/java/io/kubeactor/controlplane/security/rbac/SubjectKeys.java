package io.kubeactor.controlplane.security.rbac;

import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys that index bindings by subject, so that a request looks up only the bindings that may
 * name its user: "u:" and a user name (a ServiceAccount subject under its account's user name,
 * its namespace defaulted to the binding's, as appliesToUser does), "g:" and a group.
 */
final class SubjectKeys {
  private SubjectKeys() {}

  static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  /** The keys of a binding's subjects; a ServiceAccount without a namespace in a ClusterRoleBinding has none. */
  static List<String> of(List<Subject> subjects, String bindingNamespace) {
    List<String> keys = new ArrayList<>();
    if (subjects == null) return keys;
    for (Subject s : subjects) {
      if (s.getName() == null || s.getKind() == null) continue;
      switch (s.getKind()) {
        case "User" -> keys.add("u:" + s.getName());
        case "Group" -> keys.add("g:" + s.getName());
        case "ServiceAccount" -> {
          String ns = s.getNamespace() == null || s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace();
          if (ns != null && !ns.isEmpty()) keys.add("u:" + SERVICE_ACCOUNT_PREFIX + ns + ":" + s.getName());
        }
        default -> { }
      }
    }
    return keys;
  }

  /** The keys under which the bindings naming this user are filed. */
  static List<String> of(UserInfo user) {
    List<String> keys = new ArrayList<>(1 + user.groups().size());
    keys.add("u:" + user.name());
    for (String group : user.groups()) keys.add("g:" + group);
    return keys;
  }
}
