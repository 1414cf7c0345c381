package io.kubeactor.controlplane.security.serviceaccount;

import io.kubeactor.common.pki.PkiFiles;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.bouncycastle.jcajce.provider.asymmetric.util.EC5Util;

/**
 * The key that signs ServiceAccount tokens: {@code <dataDir>/pki/sa.key} (owner-only) and its public
 * half {@code sa.pub}, generated on first start and loaded afterwards, as kubeadm lays them out.
 *
 * <p>New keys are RSA 2048 and sign RS256, as kubeadm's, kind's and minikube's: RS256 is the one
 * algorithm every OpenID Connect relying party must accept (cloud workload identity federation, Vault,
 * service meshes verify the cluster's tokens through the discovery documents), where ES256 is optional
 * for them. Generating it costs well under a second, once. A sa.key put there by hand may be RSA or
 * EC P-256/P-384/P-521 (ES256/384/512), as kube-apiserver accepts.
 */
public final class SigningKey {

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;
  private final JWSAlgorithm algorithm;

  private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = keyId(publicKey);
    this.algorithm = algorithm(publicKey);
  }

  /** Loads {@code <dataDir>/pki/sa.key}, generating it first if absent; (re)writes sa.pub when it is missing. */
  public static SigningKey loadOrCreate(Path dataDir) {
    Path pki = dataDir.resolve("pki");
    Path keyFile = pki.resolve("sa.key");
    Path pubFile = pki.resolve("sa.pub");
    try {
      Files.createDirectories(pki);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + pki, e);
    }
    SigningKey key;
    if (Files.exists(keyFile)) {
      PrivateKey loaded = PkiFiles.readPrivateKey(keyFile);
      key = new SigningKey(loaded, publicKeyOf(loaded));
    } else {
      key = generate();
      PkiFiles.writePrivate(keyFile, PkiFiles.toPem(key.privateKey));
    }
    if (!Files.exists(pubFile)) PkiFiles.writePublic(pubFile, PkiFiles.toPem(key.publicKey));
    return key;
  }

  /** A new RSA 2048 key, in memory only (tests, and the first start before it is written). */
  public static SigningKey generate() {
    try {
      var generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      var pair = generator.generateKeyPair();
      return new SigningKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK generates RSA keys", e);
    }
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The "kid" of every token this key signs. */
  public String keyId() {
    return keyId;
  }

  public JWSAlgorithm algorithm() {
    return algorithm;
  }

  JWSSigner signer() {
    try {
      return privateKey instanceof ECPrivateKey ec ? new ECDSASigner(ec) : new RSASSASigner(privateKey);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign with a " + privateKey.getAlgorithm() + " key", e);
    }
  }

  /**
   * The key id kube-apiserver gives a public key (pkg/serviceaccount/jwt.go keyIDFromPublicKey): the
   * unpadded base64url SHA-256 of its PKIX DER encoding, so that relying parties can pick the key and
   * nobody can take the id for the key itself.
   */
  public static String keyId(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The signing algorithm of a key (openidmetadata.go algorithmFromPublicKey): RS256, or ES256/384/512 by curve. */
  public static JWSAlgorithm algorithm(PublicKey key) {
    if (key instanceof RSAPublicKey) return JWSAlgorithm.RS256;
    if (key instanceof ECPublicKey ec) {
      Curve curve = Curve.forECParameterSpec(ec.getParams());
      if (Curve.P_256.equals(curve)) return JWSAlgorithm.ES256;
      if (Curve.P_384.equals(curve)) return JWSAlgorithm.ES384;
      if (Curve.P_521.equals(curve)) return JWSAlgorithm.ES512;
      throw new IllegalArgumentException("unknown private key curve, must be 256, 384, or 521");
    }
    throw new IllegalArgumentException("unknown public key type, must be RSA or ECDSA, got " + key.getAlgorithm());
  }

  /** A verifier for tokens signed by the private half of this public key. */
  static JWSVerifier verifier(PublicKey key) {
    try {
      return key instanceof ECPublicKey ec ? new ECDSAVerifier(ec) : new RSASSAVerifier((RSAPublicKey) key);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("cannot verify with a " + key.getAlgorithm() + " key", e);
    }
  }

  // The public half, computed from the private key so that a stale sa.pub can never disagree with it.
  private static PublicKey publicKeyOf(PrivateKey key) {
    try {
      if (key instanceof RSAPrivateCrtKey rsa) {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      }
      if (key instanceof ECPrivateKey ec) {
        var q = EC5Util.convertSpec(ec.getParams()).getG().multiply(ec.getS()).normalize();
        var point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, ec.getParams()));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive the public key of sa.key", e);
    }
    throw new IllegalStateException("sa.key must be an RSA or ECDSA private key, got " + key.getAlgorithm());
  }
}
