package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The certificates of kubernetes.io/tls Secrets, checked as ingress-nginx's getPemCertificate
 * (internal/ingress/controller/store/backend_ssl.go, internal/net/ssl/ssl.go): tls.crt and tls.key
 * present, both parse, the key matches the certificate. A good one becomes a file of the
 * certificate and key (upstream's ssl/&lt;namespace&gt;-&lt;name&gt;.pem); a bad one is a problem
 * worded as upstream's error, and its hosts get the default certificate.
 */
final class TlsCertificates {

  /**
   * A usable certificate: its file (relative to the run directory), content, the content's SHA-256
   * (named in nginx.conf, so that a changed Secret changes the text and the runtime reloads) and the
   * leaf certificate.
   */
  record Loaded(String file, byte[] pem, String sha256, X509Certificate certificate) {}

  /** A Secret's certificate, or the problem that stops its use. */
  record Result(Loaded loaded, String problem) {}

  // Checking a key against its certificate signs once: remember the verdicts by content, so that a
  // cluster with many TLS Ingresses renders fast on every change.
  private static final Map<String, Object> VERIFIED = new ConcurrentHashMap<>();
  private static final int VERIFIED_MAX = 4096;
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  private final Map<String, Secret> secrets = new HashMap<>();
  private final Map<String, Result> loaded = new HashMap<>();

  TlsCertificates(List<Secret> secrets) {
    for (Secret secret : secrets) {
      this.secrets.put(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(), secret);
    }
  }

  Result load(String namespace, String name) {
    return loaded.computeIfAbsent(namespace + "/" + name, key -> read(namespace, name, key));
  }

  private Result read(String namespace, String name, String key) {
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      // the file's name comes from it: nothing but a Kubernetes name
      return problem("Error getting SSL certificate \"" + key + "\": " + name + " is not a valid Secret name. Using default certificate");
    }
    Secret secret = secrets.get(key);
    if (secret == null) {
      return problem(
          "Error getting SSL certificate \"" + key + "\": local SSL certificate " + key
              + " was not found. Using default certificate");
    }
    byte[] crt = data(secret, "tls.crt");
    byte[] tlsKey = data(secret, "tls.key");
    if (crt == null) {
      return problem(obtaining("key 'tls.crt' missing from Secret \"" + key + "\""));
    }
    if (tlsKey == null) {
      return problem(obtaining("key 'tls.key' missing from Secret \"" + key + "\""));
    }
    Object verdict = verify(crt, tlsKey);
    if (verdict instanceof String error) {
      return problem(obtaining("unexpected error creating SSL Cert: " + error));
    }
    ByteArrayOutputStream pem = new ByteArrayOutputStream();
    pem.writeBytes(crt);
    if (crt.length > 0 && crt[crt.length - 1] != '\n') {
      pem.write('\n');
    }
    pem.writeBytes(tlsKey);
    return new Result(
        new Loaded("ssl/" + namespace + "-" + name + ".pem", pem.toByteArray(), digest(crt, tlsKey), (X509Certificate) verdict), null);
  }

  private static String obtaining(String error) {
    return "Error obtaining X.509 certificate: " + error + ". Using default certificate";
  }

  private static Result problem(String message) {
    return new Result(null, message);
  }

  private static byte[] data(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return Base64.getMimeDecoder().decode(secret.getData().get(key));
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8);
    }
    return null;
  }

  /** The leaf certificate when the pair is good, else the error (a String). */
  private static Object verify(byte[] crt, byte[] key) {
    String digest = digest(crt, key);
    Object known = VERIFIED.get(digest);
    if (known != null) {
      return known;
    }
    Object verdict = check(crt, key);
    if (VERIFIED.size() >= VERIFIED_MAX) {
      VERIFIED.clear();
    }
    VERIFIED.put(digest, verdict);
    return verdict;
  }

  private static Object check(byte[] crt, byte[] key) {
    X509Certificate certificate;
    try {
      List<Certificate> chain =
          new ArrayList<>(CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(crt)));
      if (chain.isEmpty()) {
        return "no certificate PEM data found, make sure certificate content starts with 'BEGIN CERTIFICATE'";
      }
      certificate = (X509Certificate) chain.get(0);
    } catch (GeneralSecurityException | RuntimeException e) {
      return "no certificate PEM data found, make sure certificate content starts with 'BEGIN CERTIFICATE'";
    }
    PrivateKey privateKey = privateKey(key);
    if (privateKey == null) {
      return "no valid PEM formatted block found";
    }
    try {
      String algorithm =
          switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
          };
      if (algorithm == null) {
        return "unsupported private key algorithm " + privateKey.getAlgorithm();
      }
      byte[] probe = "kubeactor".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        return "certificate and private key does not have a matching public key";
      }
    } catch (GeneralSecurityException e) {
      return "certificate and private key does not have a matching public key: " + e.getMessage();
    }
    return certificate;
  }

  private static PrivateKey privateKey(byte[] key) {
    try (PEMParser parser =
        new PEMParser(new InputStreamReader(new ByteArrayInputStream(key), StandardCharsets.US_ASCII))) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        if (object instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (object instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return null;
  }

  private static String digest(byte[] crt, byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(crt);
      sha.update((byte) 0);
      sha.update(key);
      return HexFormat.of().formatHex(sha.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the certificate is valid for the host (DNS names, one-label wildcards; else the CN), as Go's VerifyHostname. */
  static boolean covers(X509Certificate certificate, String host) {
    String wanted = host.toLowerCase(Locale.ROOT);
    List<String> names = new ArrayList<>();
    try {
      if (certificate.getSubjectAlternativeNames() != null) {
        for (List<?> san : certificate.getSubjectAlternativeNames()) {
          if (Integer.valueOf(2).equals(san.get(0))) {
            names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
      if (names.isEmpty()) {
        for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (GeneralSecurityException | javax.naming.InvalidNameException e) {
      return false;
    }
    for (String name : names) {
      if (name.equals(wanted)) {
        return true;
      }
      if (name.startsWith("*.") && wanted.indexOf('.') > 0 && wanted.substring(wanted.indexOf('.')).equals(name.substring(1))) {
        return true;
      }
    }
    return false;
  }
}
