package io.kubeactor.controlplane.security.authorization;

import io.kubeactor.controlplane.security.authentication.UserInfo;

/**
 * kube-apiserver's first authorizer (authorizerfactory.NewPrivilegedGroups): members of
 * system:masters may do anything, whatever RBAC says, so that an admin cannot lock themselves out.
 */
public final class PrivilegedGroups implements Authorizer {

  @Override
  public Decision authorize(Attributes attributes) {
    return attributes.user().inGroup(UserInfo.SYSTEM_MASTERS) ? Decision.allow("") : Decision.noOpinion("");
  }
}
