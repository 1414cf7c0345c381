package io.kubeactor.common.pki;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A CA of a test's own and certificates it signs for any subject, as the cluster CA signs members'. */
public final class TestPki {

  /** A certificate and its key. */
  public record Credential(X509Certificate certificate, PrivateKey key) {}

  private final KeyPair caKeys;
  private final X509Certificate ca;
  private long serial = 1;

  private TestPki(String name) {
    this.caKeys = keyPair();
    this.ca = sign(new X500Name("CN=" + name), caKeys, new X500Name("CN=" + name), caKeys.getPrivate(), true);
  }

  public static TestPki create(String caName) {
    return new TestPki(caName);
  }

  public X509Certificate ca() {
    return ca;
  }

  /** A leaf certificate for {@code commonName} in the given organizations (groups), signed by this CA. */
  public synchronized Credential issue(String commonName, String... organizations) {
    X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : organizations) subject.addRDN(BCStyle.O, o);
    subject.addRDN(BCStyle.CN, commonName);
    KeyPair keys = keyPair();
    return new Credential(sign(subject.build(), keys, new X500Name(ca.getSubjectX500Principal().getName()),
        caKeys.getPrivate(), false), keys.getPrivate());
  }

  private X509Certificate sign(X500Name subject, KeyPair keys, X500Name issuer, PrivateKey issuerKey, boolean isCa) {
    try {
      Instant now = Instant.now();
      var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
