package io.kubeactor.controlplane.security.authentication;

import java.util.List;
import java.util.Map;

/**
 * Who made a request, as an authenticator established it (upstream's user.Info): the user name, a
 * uid when the credential carries one, the groups, and extra attributes (a ServiceAccount token's
 * bound pod, for instance).
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {

  public static final String SYSTEM_MASTERS = "system:masters";
  public static final String AUTHENTICATED = "system:authenticated";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";

  public UserInfo {
    uid = uid == null ? "" : uid;
    groups = List.copyOf(groups);
    extra = Map.copyOf(extra);
  }

  public static UserInfo of(String name, String... groups) {
    return new UserInfo(name, "", List.of(groups), Map.of());
  }

  public boolean inGroup(String group) {
    return groups.contains(group);
  }
}
