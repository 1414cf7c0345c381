package io.kubeactor.controlplane.security.authentication;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.authorization.RequestAttributes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Acting as another user ({@code kubectl --as jane --as-group devs}), as k8s.io/apiserver's
 * impersonation filter does: the Impersonate-User, -Group, -Uid and -Extra-* headers name the user
 * the request runs as, and the requester must be allowed to "impersonate" each: users (or, for
 * system:serviceaccount:ns:name, that ServiceAccount), groups, uids and userextras. The impersonated
 * user is authenticated as the headers say, with system:authenticated added (system:unauthenticated
 * for system:anonymous) and a ServiceAccount's groups when no group is named.
 */
public final class Impersonation {

  private static final String USER = "impersonate-user";
  private static final String UID = "impersonate-uid";
  private static final String GROUP = "impersonate-group";
  private static final String EXTRA = "impersonate-extra-";
  private static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  private Impersonation() {}

  /**
   * The user the request runs as.
   *
   * @param headers the request's headers as (lower-case name, value) pairs, repeated names kept
   * @throws ApiException 400 for headers without a user, 403 for an impersonation the requester may not do
   */
  public static UserInfo apply(UserInfo requester, List<Map.Entry<String, String>> headers, Authorizer authorizer) {
    String user = null;
    String uid = null;
    List<String> groups = new ArrayList<>();
    Map<String, List<String>> extra = new LinkedHashMap<>();
    boolean any = false;
    for (Map.Entry<String, String> h : headers) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (name.equals(USER)) user = h.getValue();
      else if (name.equals(UID)) uid = h.getValue();
      else if (name.equals(GROUP)) groups.add(h.getValue());
      else if (name.startsWith(EXTRA)) {
        String key = URLDecoder.decode(name.substring(EXTRA.length()), StandardCharsets.UTF_8);
        extra.computeIfAbsent(key, k -> new ArrayList<>()).add(h.getValue());
      } else continue;
      any = true;
    }
    if (!any) return requester;
    if (user == null || user.isEmpty()) {
      throw ApiException.badRequest("requested " + describe(groups, extra, uid) + " without impersonating a user");
    }

    if (user.startsWith(SERVICE_ACCOUNT_PREFIX) && user.substring(SERVICE_ACCOUNT_PREFIX.length()).contains(":")) {
      String[] nsName = user.substring(SERVICE_ACCOUNT_PREFIX.length()).split(":", 2);
      check(authorizer, Attributes.resource(requester, "impersonate", "", "serviceaccounts", "", nsName[0], nsName[1]));
      if (groups.isEmpty()) {
        groups.add("system:serviceaccounts");
        groups.add("system:serviceaccounts:" + nsName[0]);
      }
    } else {
      check(authorizer, Attributes.resource(requester, "impersonate", "", "users", "", "", user));
    }
    for (String g : groups) check(authorizer, Attributes.resource(requester, "impersonate", "", "groups", "", "", g));
    for (Map.Entry<String, List<String>> e : extra.entrySet()) {
      for (String v : e.getValue()) {
        check(authorizer, Attributes.resource(requester, "impersonate", "authentication.k8s.io", "userextras", e.getKey(), "", v));
      }
    }
    if (uid != null && !uid.isEmpty()) {
      check(authorizer, Attributes.resource(requester, "impersonate", "authentication.k8s.io", "uids", "", "", uid));
    }
    if (user.equals(UserInfo.ANONYMOUS)) {
      if (!groups.contains(UserInfo.UNAUTHENTICATED)) groups.add(UserInfo.UNAUTHENTICATED);
    } else if (!groups.contains(UserInfo.AUTHENTICATED)) {
      groups.add(UserInfo.AUTHENTICATED);
    }
    return new UserInfo(user, uid, groups, extra);
  }

  private static void check(Authorizer authorizer, Attributes attributes) {
    Authorizer.Decision d = authorizer.authorize(attributes);
    if (!d.allowed()) throw RequestAttributes.forbidden(attributes, d.reason());
  }

  private static String describe(List<String> groups, Map<String, List<String>> extra, String uid) {
    List<String> parts = new ArrayList<>();
    groups.forEach(g -> parts.add("group " + g));
    extra.forEach((k, v) -> parts.add("extra " + k + "=" + v));
    if (uid != null) parts.add("uid " + uid);
    return String.join(", ", parts);
  }
}
