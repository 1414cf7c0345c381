package io.kubeactor.controlplane.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.Base64;
import java.util.Optional;

/**
 * Bearer tokens: an admin token generated on first start (32 random bytes, URL-safe base64) in
 * {@code <dir>/pki/admin.token} (owner-only), loaded afterwards.
 */
public final class Tokens {

  /** The user the admin token authenticates. */
  public static final String ADMIN_USER = "kubeactor-admin";
  /** The admin token's user: in system:masters, which every authorizer lets do anything. */
  public static final UserInfo ADMIN = UserInfo.of(ADMIN_USER, UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED);

  private final String adminToken;
  private final byte[] adminTokenDigest;

  private Tokens(String adminToken) {
    this.adminToken = adminToken;
    this.adminTokenDigest = sha256(adminToken);
  }

  public static Tokens loadOrCreate(Path dataDir) {
    Path file = dataDir.resolve("pki").resolve("admin.token");
    try {
      if (Files.exists(file)) {
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!token.isEmpty()) {
          return new Tokens(token);
        }
      }
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    PkiFiles.writePrivate(file, token + "\n");
    return new Tokens(token);
  }

  public String adminToken() {
    return adminToken;
  }

  /**
   * The user a presented {@code Authorization} header authenticates; empty if none. The header is
   * parsed as Kubernetes' bearertoken authenticator does: trimmed, split on single spaces, the
   * scheme matched case-insensitively and the token being the second part.
   */
  public Optional<UserInfo> authenticate(String authorizationHeader) {
    if (authorizationHeader == null) {
      return Optional.empty();
    }
    String[] parts = authorizationHeader.strip().split(" ", -1);
    if (parts.length < 2 || !parts[0].equalsIgnoreCase("bearer") || parts[1].isEmpty()) {
      return Optional.empty();
    }
    // Comparing digests keeps the time taken independent of both the content and the length presented.
    return MessageDigest.isEqual(sha256(parts[1]), adminTokenDigest)
        ? Optional.of(ADMIN)
        : Optional.empty();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
