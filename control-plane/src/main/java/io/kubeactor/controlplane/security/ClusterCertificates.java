package io.kubeactor.controlplane.security;

import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.pki.KeyMaterial;
import io.kubeactor.common.pki.PkiFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The cluster CA and the API server's serving certificate, generated on first start into the data
 * directory and loaded afterwards (as kubeadm/kind do).
 *
 * <p>Keys are ECDSA P-256, which kubeadm also offers: as widely supported as RSA 2048 and far
 * cheaper to generate. Keys already on disk may be EC or RSA.
 */
public final class ClusterCertificates {

  private static final String CA_COMMON_NAME = "kubeactor-ca";
  private static final String SERVING_COMMON_NAME = "kube-apiserver";

  private static final List<String> DEFAULT_DNS_NAMES = List.of(
      "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
      "kubernetes.default.svc.cluster.local");
  private static final List<String> DEFAULT_IPS = List.of("127.0.0.1", "::1");

  private static final Duration CA_VALIDITY = Duration.ofDays(10 * 365);
  private static final Duration SERVING_VALIDITY = Duration.ofDays(365);
  private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofDays(30);
  // Certificates start a little in the past so that an agent whose clock lags still accepts them (kubeadm does the same).
  private static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final Duration CLIENT_VALIDITY = Duration.ofDays(365);

  private final Path caFile;
  private final Credential caCredential;
  private final X509Certificate ca;
  private final SSLContext serverContext;
  private final SSLContext clientContext;
  private final Clock clock;

  private ClusterCertificates(Path caFile, Credential ca, Credential serving, Clock clock) {
    this.caFile = caFile;
    this.caCredential = ca;
    this.ca = ca.certificate();
    this.clock = clock;
    this.clientContext = sslContext(null, KeyMaterial.trustOnly(this.ca));
    this.serverContext = sslContext(KeyMaterial.keyManagers(serving.key(), serving.certificate(), this.ca),
        new ClientCertificatesAccepted(this.ca));
  }

  /**
   * Loads {@code <dir>/pki/{ca.crt,ca.key,apiserver.crt,apiserver.key}}, creating what is missing. A
   * serving certificate whose SANs do not cover the asked names and IPs, that expires within 30
   * days, or that the CA did not sign, is re-issued from the same CA.
   *
   * @param extraIps IP literals (IPv4 or IPv6); host names are refused rather than resolved
   */
  public static ClusterCertificates loadOrCreate(Path dataDir, List<String> extraDnsNames, List<String> extraIps) {
    return loadOrCreate(dataDir, extraDnsNames, extraIps, Clock.systemUTC());
  }

  static ClusterCertificates loadOrCreate(
      Path dataDir, List<String> extraDnsNames, List<String> extraIps, Clock clock) {
    var wanted = SubjectAltNames.of(
        Stream.concat(DEFAULT_DNS_NAMES.stream(), extraDnsNames.stream()).toList(),
        Stream.concat(DEFAULT_IPS.stream(), extraIps.stream()).toList());
    Path pki = dataDir.resolve("pki");
    try {
      Files.createDirectories(pki);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + pki, e);
    }
    Instant now = clock.instant();
    var caFiles = new PemFiles(pki.resolve("ca.crt"), pki.resolve("ca.key"));
    Credential ca = loadOrCreateCa(caFiles, now);
    Credential serving = loadOrIssueServing(
        new PemFiles(pki.resolve("apiserver.crt"), pki.resolve("apiserver.key")), ca, wanted, now);
    return new ClusterCertificates(caFiles.certificate(), ca, serving, clock);
  }

  /**
   * A client certificate and its key in {@code <dir>/pki/<name>.crt} and {@code .key}, issued by the
   * cluster CA for the user {@code commonName} in the groups {@code organizations} (kube-apiserver's
   * x509 authenticator reads CN as the user and O as the groups), and issued again when it is
   * missing, expiring within 30 days, for another subject, or not signed by this CA.
   */
  public ClientCredential loadOrIssueClient(String name, String commonName, List<String> organizations) {
    var files = new PemFiles(caFile.resolveSibling(name + ".crt"), caFile.resolveSibling(name + ".key"));
    X500Name subject = clientSubject(commonName, organizations);
    Instant now = clock.instant();
    if (files.exist()) {
      Credential existing = files.read();
      X509Certificate c = existing.certificate();
      if (signedBy(c, ca) && keyMatches(existing)
          && c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE_EXPIRY))
          && X500Name.getInstance(c.getSubjectX500Principal().getEncoded()).equals(subject)) {
        return new ClientCredential(files.certificate(), files.key(), existing.certificate(), existing.key());
      }
    }
    Credential issued = files.write(issueClient(subject, now));
    return new ClientCredential(files.certificate(), files.key(), issued.certificate(), issued.key());
  }

  /**
   * The control plane's own certificate ({@code system:kubeactor:control-plane}): it shows it on the
   * cluster transport, and to the agents' streaming servers when it dials them.
   */
  public ClientCredential controlPlane() {
    return loadOrIssueClient("cluster-member", ClusterTls.CONTROL_PLANE, List.of());
  }

  /** A client certificate and its key, and the files they are in. */
  public record ClientCredential(Path certificateFile, Path keyFile, X509Certificate certificate, PrivateKey key) {}

  private static X500Name clientSubject(String commonName, List<String> organizations) {
    var subject = new org.bouncycastle.asn1.x500.X500NameBuilder();
    // O before CN, as kubeadm writes "O = system:masters, CN = kubernetes-admin"
    organizations.forEach(o -> subject.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.O, o));
    subject.addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, commonName);
    return subject.build();
  }

  private Credential issueClient(X500Name subject, Instant now) {
    KeyPair keys = newKeyPair();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        ca, serialNumber(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(CLIENT_VALIDITY)),
        subject, keys.getPublic());
    addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
    int usage = KeyUsage.digitalSignature | ("RSA".equals(keys.getPublic().getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
    addExtension(builder, Extension.keyUsage, true, new KeyUsage(usage));
    addExtension(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
    addExtension(builder, Extension.authorityKeyIdentifier, false,
        extensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey()));
    return new Credential(sign(builder, caCredential.key()), keys.getPrivate());
  }

  /**
   * A leaf certificate signed by the cluster CA for a public key of someone else's (the certificates
   * API's signers: kube-controller-manager's csrsigning controller signs with the cluster CA as
   * kubeadm sets it up). Not a CA; the key usage and extended key usage extensions only when
   * non-empty, the subjectAltNames as given, notAfter cut to the CA's own (as authority.go does).
   *
   * @param keyUsage BouncyCastle {@link KeyUsage} bits, 0 for none
   * @param subjectAltNames null for none
   */
  public X509Certificate issue(X500Name subject, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKey,
      GeneralNames subjectAltNames, int keyUsage, List<KeyPurposeId> extendedKeyUsages, Instant notBefore, Instant notAfter) {
    Instant caNotAfter = ca.getNotAfter().toInstant();
    Instant until = notAfter.isBefore(caNotAfter) ? notAfter : caNotAfter;
    X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), serialNumber(), Date.from(notBefore),
        Date.from(until), subject, publicKey);
    addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
    if (keyUsage != 0) addExtension(builder, Extension.keyUsage, true, new KeyUsage(keyUsage));
    if (!extendedKeyUsages.isEmpty()) {
      addExtension(builder, Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(extendedKeyUsages.toArray(KeyPurposeId[]::new)));
    }
    if (subjectAltNames != null) addExtension(builder, Extension.subjectAlternativeName, false, subjectAltNames);
    addExtension(builder, Extension.authorityKeyIdentifier, false,
        extensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey()));
    return sign(builder, caCredential.key());
  }

  /** The cluster CA's certificate: what client certificates are verified against. */
  public X509Certificate ca() {
    return ca;
  }

  /**
   * An SSLContext serving apiserver.crt with its chain up to the CA, for Pekko HTTP's {@code
   * ConnectionContext.httpsServer}. It asks for the CA's client certificates and lets any through:
   * as kube-apiserver (tls.RequestClientCert), the x509 authenticator judges them, so that a bad one
   * is a 401 rather than a failed handshake, and a bearer token still works beside it.
   */
  public SSLContext serverContext() {
    return serverContext;
  }

  /** An SSLContext that trusts only the cluster CA (for in-process clients and tests). */
  public SSLContext clientContext() {
    return clientContext;
  }

  /** The CA certificate as PEM text; kubeconfig's certificate-authority-data is its base64. */
  public String caPem() {
    return PkiFiles.toPem(ca);
  }

  public Path caFile() {
    return caFile;
  }

  private record Credential(X509Certificate certificate, PrivateKey key) {}

  private record PemFiles(Path certificate, Path key) {

    boolean exist() {
      return Files.exists(certificate) && Files.exists(key);
    }

    Credential read() {
      return new Credential(PkiFiles.readCertificate(certificate), PkiFiles.readPrivateKey(key));
    }

    // The key first: a crash in between leaves a pair that does not match, which is detected and replaced.
    Credential write(Credential credential) {
      PkiFiles.writePrivate(key, PkiFiles.toPem(credential.key()));
      PkiFiles.writePublic(certificate, PkiFiles.toPem(credential.certificate()));
      return credential;
    }
  }

  private static Credential loadOrCreateCa(PemFiles files, Instant now) {
    if (files.exist()) {
      Credential ca = files.read();
      if (!keyMatches(ca)) {
        throw new IllegalStateException(files.key() + " is not the key of " + files.certificate());
      }
      return ca;
    }
    // Half a CA cannot be completed, and replacing it silently would break every client that trusts it.
    if (Files.exists(files.certificate()) || Files.exists(files.key())) {
      throw new IllegalStateException("only one of " + files.certificate() + " and " + files.key()
          + " exists: restore the other, or remove both to create a new cluster CA");
    }
    KeyPair keys = newKeyPair();
    var name = new X500Name("CN=" + CA_COMMON_NAME);
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        name, serialNumber(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)),
        name, keys.getPublic());
    addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(true));
    addExtension(builder, Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
    addExtension(builder, Extension.subjectKeyIdentifier, false,
        extensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    return files.write(new Credential(sign(builder, keys.getPrivate()), keys.getPrivate()));
  }

  private static Credential loadOrIssueServing(
      PemFiles files, Credential ca, SubjectAltNames wanted, Instant now) {
    if (files.exist()) {
      Credential serving = files.read();
      if (stillGood(serving, ca.certificate(), wanted, now)) {
        return serving;
      }
    }
    KeyPair keys = newKeyPair();
    X509Certificate issuer = ca.certificate();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        issuer, serialNumber(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(SERVING_VALIDITY)),
        new X500Name("CN=" + SERVING_COMMON_NAME), keys.getPublic());
    addExtension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
    // TLS 1.2's RSA key exchange encrypts with the key, hence keyEncipherment for RSA keys only.
    int usage = KeyUsage.digitalSignature
        | ("RSA".equals(keys.getPublic().getAlgorithm()) ? KeyUsage.keyEncipherment : 0);
    addExtension(builder, Extension.keyUsage, true, new KeyUsage(usage));
    addExtension(builder, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
    addExtension(builder, Extension.subjectAlternativeName, false, wanted.toGeneralNames());
    // By key alone, as Go does: naming the CA's serial too would tie the certificate to one CA certificate.
    addExtension(builder, Extension.authorityKeyIdentifier, false,
        extensionUtils().createAuthorityKeyIdentifier(issuer.getPublicKey()));
    addExtension(builder, Extension.subjectKeyIdentifier, false,
        extensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
    return files.write(new Credential(sign(builder, ca.key()), keys.getPrivate()));
  }

  private static boolean stillGood(Credential serving, X509Certificate ca, SubjectAltNames wanted, Instant now) {
    X509Certificate certificate = serving.certificate();
    return signedBy(certificate, ca)
        && keyMatches(serving)
        && certificate.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE_EXPIRY))
        && SubjectAltNames.of(certificate).covers(wanted);
  }

  private static boolean signedBy(X509Certificate certificate, X509Certificate ca) {
    if (!certificate.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      certificate.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Whether the private key signs what the certificate's public key verifies. */
  private static boolean keyMatches(Credential credential) {
    byte[] challenge = new byte[32];
    RANDOM.nextBytes(challenge);
    try {
      String algorithm = signatureAlgorithm(credential.key());
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(credential.key());
      signer.update(challenge);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(credential.certificate().getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signer.sign());
    } catch (java.security.InvalidKeyException | java.security.SignatureException e) {
      return false; // a key of another algorithm or size than the certificate's
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // not a mismatch: the check itself could not run, which is said rather than taken for one
      throw new IllegalStateException("cannot check " + credential.certificate().getSubjectX500Principal()
          + "'s key against its certificate: " + e, e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
    }
  }

  // Random and positive, as RFC 5280 asks; at most 20 octets once DER-encoded.
  private static BigInteger serialNumber() {
    return new BigInteger(127, RANDOM).add(BigInteger.ONE);
  }

  private static String signatureAlgorithm(PrivateKey key) {
    // "ECDSA" where BouncyCastle's provider, once some library registers it, read the key
    return switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
    };
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey) {
    try {
      var signer = new JcaContentSignerBuilder(signatureAlgorithm(signingKey)).build(signingKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  private static void addExtension(
      X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      builder.addExtension(oid, critical, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JcaX509ExtensionUtils extensionUtils() {
    try {
      return new JcaX509ExtensionUtils();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no SHA-1 for key identifiers", e);
    }
  }

  // "TLS" offers TLSv1.3 and TLSv1.2: the JDK's jdk.tls.disabledAlgorithms has turned off older versions since 17.
  private static SSLContext sslContext(javax.net.ssl.KeyManager[] keys, javax.net.ssl.TrustManager... trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, trust, RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build an SSLContext", e);
    }
  }

  /** The DNS names (lower case) and IP addresses a certificate is valid for. */
  private record SubjectAltNames(Set<String> dnsNames, Set<InetAddress> ips) {

    static SubjectAltNames of(List<String> dnsNames, List<String> ips) {
      var names = new LinkedHashSet<String>();
      for (String name : dnsNames) {
        if (name.isBlank()) {
          throw new IllegalArgumentException("blank DNS name");
        }
        names.add(name.toLowerCase(Locale.ROOT));
      }
      var addresses = new LinkedHashSet<InetAddress>();
      for (String ip : ips) {
        if (!IPAddress.isValid(ip)) {
          throw new IllegalArgumentException("not an IP address: " + ip);
        }
        addresses.add(literal(ip));
      }
      return new SubjectAltNames(names, addresses);
    }

    static SubjectAltNames of(X509Certificate certificate) {
      Collection<List<?>> entries;
      try {
        entries = certificate.getSubjectAlternativeNames();
      } catch (CertificateParsingException e) {
        return new SubjectAltNames(Set.of(), Set.of());
      }
      var dnsNames = new ArrayList<String>();
      var ips = new ArrayList<String>();
      for (List<?> entry : entries == null ? List.<List<?>>of() : entries) {
        switch ((Integer) entry.get(0)) {
          case GeneralName.dNSName -> dnsNames.add((String) entry.get(1));
          case GeneralName.iPAddress -> ips.add((String) entry.get(1));
          default -> { }
        }
      }
      return of(dnsNames, ips);
    }

    boolean covers(SubjectAltNames other) {
      return dnsNames.containsAll(other.dnsNames) && ips.containsAll(other.ips);
    }

    GeneralNames toGeneralNames() {
      Stream<GeneralName> dns = dnsNames.stream().map(name -> new GeneralName(GeneralName.dNSName, name));
      Stream<GeneralName> ip = ips.stream()
          .map(address -> new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
      return new GeneralNames(Stream.concat(dns, ip).toArray(GeneralName[]::new));
    }

    // Only ever called on literals, so no name lookup happens.
    private static InetAddress literal(String ip) {
      try {
        return InetAddress.getByName(ip);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address: " + ip, e);
      }
    }
  }
}
