package io.kubeactor.controlplane.security.authentication;

import java.util.Optional;

/**
 * One authenticator's verdict on a request: a user, no credential of its kind (no opinion), or a
 * credential of its kind that does not hold (with why, for the log; the client only sees 401).
 */
public record Authentication(Optional<UserInfo> user, String failure) {

  public static Authentication of(UserInfo user) {
    return new Authentication(Optional.of(user), "");
  }

  public static Authentication none() {
    return new Authentication(Optional.empty(), "");
  }

  public static Authentication failed(String why) {
    return new Authentication(Optional.empty(), why);
  }

  public boolean failed() {
    return user.isEmpty() && !failure.isEmpty();
  }
}
