package io.kubeactor.controlplane.security;

import io.kubeactor.common.pki.PkiFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import io.kubeactor.controlplane.security.authentication.Authentication;
import io.kubeactor.controlplane.security.authentication.TokenAuthenticator;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.util.Base64;

/**
 * Bearer tokens: an admin token generated on first start (32 random bytes, URL-safe base64) in
 * {@code <dir>/pki/admin.token} (owner-only), loaded afterwards.
 */
public final class Tokens implements TokenAuthenticator {

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

  /** The admin token's user; no opinion on any other token (ServiceAccount tokens are another authenticator's). */
  @Override
  public Authentication authenticate(String token) {
    // Comparing digests keeps the time taken independent of both the content and the length presented.
    return MessageDigest.isEqual(sha256(token), adminTokenDigest) ? Authentication.of(ADMIN) : Authentication.none();
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
