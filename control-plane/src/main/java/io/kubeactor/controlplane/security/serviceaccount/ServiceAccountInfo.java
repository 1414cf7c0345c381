package io.kubeactor.controlplane.security.serviceaccount;

import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who a valid ServiceAccount token speaks for (apiserver/pkg/authentication/serviceaccount/util.go
 * ServiceAccountInfo): the account, and the pod and node it is bound to, if any. Empty strings stand
 * for what the token does not carry.
 */
public record ServiceAccountInfo(String namespace, String name, String uid, String podName, String podUid,
    String nodeName, String nodeUid, String credentialId) {

  public static final String USERNAME_PREFIX = "system:serviceaccount:";
  /** Every ServiceAccount is in it. */
  public static final String ALL_SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
  /** Followed by the namespace: the group of a namespace's ServiceAccounts. */
  public static final String NAMESPACE_GROUP_PREFIX = "system:serviceaccounts:";

  public static final String POD_NAME_KEY = "authentication.kubernetes.io/pod-name";
  public static final String POD_UID_KEY = "authentication.kubernetes.io/pod-uid";
  public static final String NODE_NAME_KEY = "authentication.kubernetes.io/node-name";
  public static final String NODE_UID_KEY = "authentication.kubernetes.io/node-uid";
  public static final String CREDENTIAL_ID_KEY = "authentication.kubernetes.io/credential-id";

  /** system:serviceaccount:NAMESPACE:NAME (MakeUsername). */
  public static String username(String namespace, String name) {
    return USERNAME_PREFIX + namespace + ":" + name;
  }

  /** The namespace and name of a ServiceAccount's user name (SplitUsername); empty for any other user. */
  public static Optional<List<String>> split(String username) {
    if (!username.startsWith(USERNAME_PREFIX)) return Optional.empty();
    String[] parts = username.substring(USERNAME_PREFIX.length()).split(":", -1);
    if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) return Optional.empty();
    return Optional.of(List.of(parts[0], parts[1]));
  }

  /** The credential id of a token's "jti" (CredentialIDForJTI): "JTI=" and the id, or "" without one. */
  public static String credentialIdForJti(String jti) {
    return jti == null || jti.isEmpty() ? "" : "JTI=" + jti;
  }

  /**
   * The user: named as the account, with its uid, in system:serviceaccounts and the namespace's
   * group, plus system:authenticated (upstream's authentication chain adds that last one to every
   * authenticated user); the bound pod, node and credential id as extra, as 1.32 sets them.
   */
  public UserInfo userInfo() {
    Map<String, List<String>> extra = new LinkedHashMap<>();
    if (!podName.isEmpty() && !podUid.isEmpty()) {
      extra.put(POD_NAME_KEY, List.of(podName));
      extra.put(POD_UID_KEY, List.of(podUid));
    }
    if (!credentialId.isEmpty()) extra.put(CREDENTIAL_ID_KEY, List.of(credentialId));
    if (!nodeName.isEmpty()) {
      extra.put(NODE_NAME_KEY, List.of(nodeName));
      // the node's uid is optional: a pod's token names its node even when the Node could not be read
      if (!nodeUid.isEmpty()) extra.put(NODE_UID_KEY, List.of(nodeUid));
    }
    return new UserInfo(username(namespace, name), uid,
        List.of(ALL_SERVICE_ACCOUNTS_GROUP, NAMESPACE_GROUP_PREFIX + namespace, UserInfo.AUTHENTICATED), extra);
  }
}
