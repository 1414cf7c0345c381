package io.kubeactor.controlplane.security.node;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.List;
import java.util.Map;

/**
 * Which node a user is (pkg/auth/nodeidentifier's default identifier): a user named
 * {@code system:node:<name>} in the group {@code system:nodes}. Anyone else is not a node, whatever
 * their name; {@code system:node:} alone is a node whose name is unknown ("").
 */
public final class NodeIdentity {

  public static final String NODES_GROUP = "system:nodes";
  public static final String USER_PREFIX = "system:node:";

  private NodeIdentity() {}

  /** The node's name, "" for a node user without one, or null for a user who is not a node. */
  public static String nodeName(UserInfo user) {
    if (user == null || !user.name().startsWith(USER_PREFIX) || !user.inGroup(NODES_GROUP)) return null;
    return user.name().substring(USER_PREFIX.length());
  }

  /** The user a node's agent acts as (its client certificate's CN and O), for checks outside HTTP. */
  public static UserInfo userFor(String nodeName) {
    return new UserInfo(USER_PREFIX + nodeName, "", List.of(NODES_GROUP, UserInfo.AUTHENTICATED), Map.of());
  }
}
