package io.kubeactor.controlplane.security.serviceaccount;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Secret-based ("legacy") ServiceAccount tokens (pkg/serviceaccount/legacy.go): a JWT of issuer
 * {@value #ISSUER} that a kubernetes.io/service-account-token Secret holds, valid as long as that
 * Secret holds exactly it and the account it names still exists with the same uid. No expiry.
 */
final class LegacyTokens {
  private LegacyTokens() {}

  static final String ISSUER = "kubernetes/serviceaccount";
  static final String NAMESPACE_CLAIM = "kubernetes.io/serviceaccount/namespace";
  static final String SECRET_NAME_CLAIM = "kubernetes.io/serviceaccount/secret.name";
  static final String SERVICE_ACCOUNT_NAME_CLAIM = "kubernetes.io/serviceaccount/service-account.name";
  static final String SERVICE_ACCOUNT_UID_CLAIM = "kubernetes.io/serviceaccount/service-account.uid";
  /** Set by the legacy token cleaner on tokens unused for a year: such a token is refused. */
  static final String INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since";

  /** legacyValidator.Validate: the account of a verified legacy token, or why it is refused. */
  static Optional<String> refusal(String token, String subject, String namespace, String secretName, String accountName,
      String accountUid, BoundObjects objects) {
    if (subject.isEmpty()) return Optional.of("sub claim is missing");
    if (namespace.isEmpty()) return Optional.of("namespace claim is missing");
    if (secretName.isEmpty()) return Optional.of("secretName claim is missing");
    if (accountName.isEmpty()) return Optional.of("serviceAccountName claim is missing");
    if (accountUid.isEmpty()) return Optional.of("serviceAccountUID claim is missing");
    if (!subject.equals(ServiceAccountInfo.username(namespace, accountName))) return Optional.of("sub claim is invalid");

    Optional<Secret> secret = objects.secret(namespace, secretName);
    if (secret.isEmpty() || secret.get().getMetadata().getDeletionTimestamp() != null) {
      return Optional.of("Token has been invalidated");
    }
    // compared in constant time: the stored token is a secret
    if (!MessageDigest.isEqual(storedToken(secret.get()), token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of("Token does not match server's copy");
    }
    Optional<ServiceAccount> account = objects.serviceAccount(namespace, accountName);
    if (account.isEmpty()) return Optional.of("serviceaccounts \"" + accountName + "\" not found");
    if (account.get().getMetadata().getDeletionTimestamp() != null) {
      return Optional.of("ServiceAccount " + namespace + "/" + accountName + " has been deleted");
    }
    if (!accountUid.equals(account.get().getMetadata().getUid())) {
      return Optional.of("ServiceAccount UID (" + account.get().getMetadata().getUid() + ") does not match claim ("
          + accountUid + ")");
    }
    var labels = secret.get().getMetadata().getLabels();
    String invalidSince = labels == null ? null : labels.get(INVALID_SINCE_LABEL);
    if (invalidSince != null && !invalidSince.isEmpty()) {
      return Optional.of("the token in secret " + namespace + "/" + secretName + " for service account " + namespace + "/"
          + accountName + " has been marked invalid. Use tokens from the TokenRequest API or manually created "
          + "secret-based tokens, or remove the '" + INVALID_SINCE_LABEL + "' label from the secret to temporarily "
          + "allow use of this token");
    }
    return Optional.empty();
  }

  // The Secret's data.token, base64 in the API; stringData never reaches storage.
  private static byte[] storedToken(Secret secret) {
    String encoded = secret.getData() == null ? null : secret.getData().get("token");
    if (encoded == null) return new byte[0];
    try {
      return Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }
}
