package io.kubeactor.controlplane.security;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCertificatesTest {

  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final int DNS = 2;
  private static final int IP = 7;

  @TempDir Path dataDir;

  /**
   * A library that registers BouncyCastle's provider first (the official Java client does) makes
   * keys read afterwards say "ECDSA" rather than "EC": the CA written before still loads.
   */
  @Test
  void theCaLoadsAgainWhenBouncyCastlesProviderReadsItsKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    ClusterCertificates.loadOrCreate(dir, java.util.List.of(), java.util.List.of());
    java.security.Security.insertProviderAt(new org.bouncycastle.jce.provider.BouncyCastleProvider(), 1);
    try {
      assertThat(ClusterCertificates.loadOrCreate(dir, java.util.List.of(), java.util.List.of()).caPem()).isNotEmpty();
    } finally {
      java.security.Security.removeProvider(org.bouncycastle.jce.provider.BouncyCastleProvider.PROVIDER_NAME);
    }
  }

  @Test
  void createsThePkiOnFirstStartAndLoadsTheSameCaAfterwards() throws Exception {
    var first = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    Path pki = dataDir.resolve("pki");
    assertThat(pki.resolve("ca.crt")).exists();
    assertThat(pki.resolve("ca.key")).exists();
    assertThat(pki.resolve("apiserver.crt")).exists();
    assertThat(pki.resolve("apiserver.key")).exists();
    assertThat(first.caFile()).isEqualTo(pki.resolve("ca.crt"));
    assertThat(Files.readString(first.caFile())).isEqualTo(first.caPem()).startsWith("-----BEGIN CERTIFICATE-----");
    X509Certificate serving = certificate(pki.resolve("apiserver.crt"));

    var second = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());

    assertThat(second.caPem()).isEqualTo(first.caPem());
    assertThat(certificate(second.caFile()).getSerialNumber()).isEqualTo(certificate(first.caFile()).getSerialNumber());
    assertThat(certificate(pki.resolve("apiserver.crt")).getSerialNumber()).isEqualTo(serving.getSerialNumber());
  }

  @Test
  void keysAreReadableByTheirOwnerOnly() throws Exception {
    assumeTrue(dataDir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    Path pki = dataDir.resolve("pki");
    for (String key : List.of("ca.key", "apiserver.key")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve(key)))).isEqualTo("rw-------");
      assertThat(Files.readString(pki.resolve(key))).contains("PRIVATE KEY-----");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("ca.crt")))).isEqualTo("rw-r--r--");
  }

  @Test
  void theCaIsASelfSignedTenYearCertificateAuthority() throws Exception {
    var certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    X509Certificate ca = certificate(certificates.caFile());

    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=kubeactor-ca");
    assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    ca.verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).as("basicConstraints CA").isGreaterThanOrEqualTo(0);
    assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(validity(ca)).isBetween(Duration.ofDays(3650), Duration.ofDays(3651));
  }

  @Test
  void theServingCertificateChainsToTheCaAndNamesTheApiServer() throws Exception {
    var certificates = ClusterCertificates.loadOrCreate(
        dataDir, List.of("kubeactor-control-plane"), List.of("10.96.0.1", "192.168.49.2"));
    X509Certificate ca = certificate(certificates.caFile());
    X509Certificate serving = certificate(dataDir.resolve("pki/apiserver.crt"));

    var pkix = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
    pkix.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX").validate(
        CertificateFactory.getInstance("X.509").generateCertPath(List.of(serving)), pkix);
    assertThat(serving.getSubjectX500Principal().getName()).isEqualTo("CN=kube-apiserver");
    assertThat(serving.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(serving.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(validity(serving)).isBetween(Duration.ofDays(365), Duration.ofDays(366));
    assertThat(subjectAltNames(serving, DNS)).containsExactly(
        "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local", "kubeactor-control-plane");
    assertThat(subjectAltNames(serving, IP)).containsExactly(
        "127.0.0.1", "0:0:0:0:0:0:0:1", "10.96.0.1", "192.168.49.2");
  }

  @Test
  void reissuesTheServingCertificateFromTheSameCaWhenAskedForNamesItLacks() throws Exception {
    var first = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    X509Certificate original = certificate(dataDir.resolve("pki/apiserver.crt"));

    ClusterCertificates.loadOrCreate(dataDir, List.of("API.Example.Test"), List.of("::1", "10.0.0.7"));
    X509Certificate widened = certificate(dataDir.resolve("pki/apiserver.crt"));
    var afterwards = ClusterCertificates.loadOrCreate(dataDir, List.of("api.example.test"), List.of());

    assertThat(widened.getSerialNumber()).isNotEqualTo(original.getSerialNumber());
    assertThat(subjectAltNames(widened, DNS)).contains("api.example.test");
    assertThat(subjectAltNames(widened, IP)).contains("10.0.0.7");
    widened.verify(certificate(first.caFile()).getPublicKey());
    assertThat(afterwards.caPem()).isEqualTo(first.caPem());
    assertThat(certificate(dataDir.resolve("pki/apiserver.crt")).getSerialNumber())
        .as("a certificate naming more than asked is kept")
        .isEqualTo(widened.getSerialNumber());
  }

  @Test
  void reissuesTheServingCertificateThirtyDaysBeforeItExpires() throws Exception {
    Instant start = Instant.parse("2025-01-01T00:00:00Z");
    var first = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of(), at(start));
    X509Certificate original = certificate(dataDir.resolve("pki/apiserver.crt"));

    ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of(), at(start.plus(Duration.ofDays(300))));
    assertThat(certificate(dataDir.resolve("pki/apiserver.crt")).getSerialNumber()).isEqualTo(original.getSerialNumber());

    var later = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of(), at(start.plus(Duration.ofDays(340))));
    X509Certificate renewed = certificate(dataDir.resolve("pki/apiserver.crt"));
    assertThat(renewed.getSerialNumber()).isNotEqualTo(original.getSerialNumber());
    assertThat(renewed.getNotAfter().toInstant()).isEqualTo(start.plus(Duration.ofDays(340 + 365)));
    assertThat(later.caPem()).isEqualTo(first.caPem());
  }

  @Test
  void reissuesAServingCertificateTheCaDidNotSign() throws Exception {
    ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    Path elsewhere = Files.createTempDirectory(dataDir, "other");
    ClusterCertificates.loadOrCreate(elsewhere, List.of(), List.of());
    Files.copy(elsewhere.resolve("pki/apiserver.crt"), dataDir.resolve("pki/apiserver.crt"), REPLACE_EXISTING);
    Files.copy(elsewhere.resolve("pki/apiserver.key"), dataDir.resolve("pki/apiserver.key"), REPLACE_EXISTING);

    var certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());

    certificate(dataDir.resolve("pki/apiserver.crt")).verify(certificate(certificates.caFile()).getPublicKey());
  }

  /** A CA an operator brought along, as openssl writes it: RSA 2048, the key in the traditional form; valid from 2020 to 2120. */
  private static final String OPERATOR_CA_CRT = """
      -----BEGIN CERTIFICATE-----
      MIIC6zCCAdOgAwIBAgIBATANBgkqhkiG9w0BAQsFADAWMRQwEgYDVQQDDAtvcGVy
      YXRvci1jYTAgFw0yMDAxMDEwMDAwMDBaGA8yMTIwMDEwMTAwMDAwMFowFjEUMBIG
      A1UEAwwLb3BlcmF0b3ItY2EwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIB
      AQCdED2yNqZv2vCnqUNypTYXyRaFg5pDNX4zQ/KdzSXkl45dcZFPNDeOBMf6B1SV
      iLsiPaKJrBRIIuAzvVWHC4251jBCdmr6P6UZkC6LH886IrAuMstAzYyURFgG0hOF
      rGwj/hk+WAUkiqDNQAavNcA39UB7N/AvlTtUiMcvX6pUOm6IJrHEH/qFDegKpF8b
      xHQwbBYS/JUJrUN7J+MhF2vPK/uxYGpZswbv8Y8H7+pIhfUONUaHSw+Mevcyo6Sz
      LI99rBmrLjVHeQNZM/2QwPwOHWag93Ry6J8SiH7QyUacdO/Ms/IMnRWt7Rx9S6pD
      bCexHBT6Mi43QcE1axTMWDPtAgMBAAGjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYD
      VR0PAQH/BAQDAgEGMB0GA1UdDgQWBBTMxUkHHZz2g07cZIvrm7hHxjkCnjANBgkq
      hkiG9w0BAQsFAAOCAQEALK81lnVgqSaFBASx+Yzolh4mvtRL9kCkw/hvDapnWkD5
      Jq+p1QGXA9MkViE2c6Cp4Gr7WrWJA1uNB4Ue8fImkXOuYoAhNb7edx1TNoYb64ZV
      QnQwHDwZR6UkM8k0JKRBV+2Yz9vVhxF687W7PRLEQvHT/CjSTNhp9+LW1s0ESfUG
      QdYL3VQKKlDDHHGeh7VeLo/onkfmwAc7pTNBOSY6Tovu/PgtWRG3ajdKZuwM5Ari
      EUssAgjdkbGpIFYqBD7IzbraUMdOhvDlIbmGTgia7apeEb3+F6lNjBUrnefFgjtL
      0G7Y6tZz+qEtoZaU7xLUQ4rz64OfC3kUyBzR8pIKOA==
      -----END CERTIFICATE-----
      """;
  private static final String OPERATOR_CA_KEY = """
      -----BEGIN RSA PRIVATE KEY-----
      MIIEogIBAAKCAQEAnRA9sjamb9rwp6lDcqU2F8kWhYOaQzV+M0Pync0l5JeOXXGR
      TzQ3jgTH+gdUlYi7Ij2iiawUSCLgM71VhwuNudYwQnZq+j+lGZAuix/POiKwLjLL
      QM2MlERYBtIThaxsI/4ZPlgFJIqgzUAGrzXAN/VAezfwL5U7VIjHL1+qVDpuiCax
      xB/6hQ3oCqRfG8R0MGwWEvyVCa1DeyfjIRdrzyv7sWBqWbMG7/GPB+/qSIX1DjVG
      h0sPjHr3MqOksyyPfawZqy41R3kDWTP9kMD8Dh1moPd0cuifEoh+0MlGnHTvzLPy
      DJ0Vre0cfUuqQ2wnsRwU+jIuN0HBNWsUzFgz7QIDAQABAoIBACFr/hDw96hIONsY
      leFsvg7AK+Jz32zrUmRC0nsZVzWmOXVxb/ggdqzqIAq4qhta2eVeo7pzi2pRP4/K
      +4rt3rX7mc/exoNjbTS8HWdd+LkYfhCKnv02cDJxu6CR7fUNPILJNKJzVP7SYAbl
      F7cLc1CFB/hgbiQV96bUpzwRuZtL8S+LEyNrYlrra/dCSv2wbGonAuKna2Hgmo5b
      Gb3Thpt+vO6k9yZR1RxdF6sFJBuNiGdF6Sp3LhHCWgM3EiP3eraGRoPbfOxIn+y9
      PON4rCSTBfO5Y7Mrh8xDmCeR1o9Xagd9CrHRIte3/QLUTMbzQaqhNmyRkllk4jRm
      dXOTJekCgYEA2YZ1LBCjJ3H08u+22+MAu5W14oPGLpU6IgH5T6o/xQ8nDZW+SyjS
      dmx9HjT/RDY3jGDUxLYACqr3G3JmdZLsyHxJTEZBPs4/o6XXQuK+B9U2NNqpMjub
      tSY7MRsJjYJOq0etC/EqkS6+zJ69cjBRz6KPJmZvBHafOTthVuS18PkCgYEAuNgS
      3YQLPbaPZLFx0KIFCZa5nXYtZm0uQKOyt0xSsaYpcXZnulekgbuN4fploUWwaY2C
      IPgWpqNS0oCgXA7p2apCjZ6/6PGzAKINpnEqqY95vJWmMaXa29HQpMmIfCPt+DZG
      V2KklA6Qk5msySv2SM3sQOODhXt2Row165gqS5UCgYAU3gg5jPMJ4q277HEfUPyO
      AkOrkjad22TzRDs1gECT1+tIK1hQ/36JK8ko766ZTZYwmk1u/YKtg08nS+c2Wjzq
      0rl5Xrf9nW2PdmZbHUNbnwGPOnbGwd8jFqLRCCX3dEu1tK+OGLmbqd9V49iKrsX6
      ZD7VUThPNk36AI9K9a/aiQKBgGRU/KB6jPN5hYn9ey7o0t0qkCP1Qp1nRATYFijC
      Z9x/ud0ZjSIrcmLs4A26MbIBNsmEgw7MOtdGra0PHnv5qFt6vFdMxRR3JVeBnvEq
      WiLhew2vGR+3y/0nfR4FOm1Pv1rMcw/5viWTZkyHzK8BitRn2gY6uGga5M9USexQ
      kxylAoGAcHqeihoIhuxztr+QM33B0cS2XrPUXL6Hpgrsk4PrTJiAcmQxvm1NJkD4
      x3AmjOO4ScR8IKqLcafxOTViNYZHveJ2lpK6okMMipm6koXnzSSbYfUNQ5jC7Egz
      jNEsKSb9/LDRC5K3vTeaifTDiUeuappy95721sgAlMgvuhU4CZY=
      -----END RSA PRIVATE KEY-----
      """;

  @Test
  void signsWithAnRsaCaAlreadyOnDisk() throws Exception {
    Files.createDirectories(dataDir.resolve("pki"));
    Files.writeString(dataDir.resolve("pki/ca.crt"), OPERATOR_CA_CRT);
    Files.writeString(dataDir.resolve("pki/ca.key"), OPERATOR_CA_KEY);

    var certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());

    X509Certificate ca = certificate(certificates.caFile());
    assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("CN=operator-ca");
    assertThat(Files.readString(dataDir.resolve("pki/ca.key"))).isEqualTo(OPERATOR_CA_KEY);
    X509Certificate serving = certificate(dataDir.resolve("pki/apiserver.crt"));
    assertThat(serving.getSigAlgName()).isEqualTo("SHA256withRSA");
    serving.verify(ca.getPublicKey());
    assertThat(handshake(certificates, certificates.clientContext(), "localhost")).isEqualTo("TLSv1.3");
  }

  @Test
  void refusesToReplaceHalfACa() throws Exception {
    ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    Files.delete(dataDir.resolve("pki/ca.key"));

    assertThatThrownBy(() -> ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ca.key");
  }

  @Test
  void refusesHostNamesWhereIpAddressesBelong() {
    assertThatThrownBy(() -> ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of("kubernetes.example")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kubernetes.example");
  }

  @Test
  void clientsTrustingTheClusterCaCompleteATlsHandshakeWithTheApiServer() throws Exception {
    var certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());

    assertThat(handshake(certificates, certificates.clientContext(), "localhost")).isEqualTo("TLSv1.3");
    assertThat(handshake(certificates, certificates.clientContext(), "127.0.0.1")).isEqualTo("TLSv1.3");
  }

  @Test
  void clientsRefuseTheApiServerUnderAnotherNameOrWithoutTheClusterCa() throws Exception {
    var certificates = ClusterCertificates.loadOrCreate(dataDir, List.of(), List.of());
    SSLContext jdkDefaults = SSLContext.getInstance("TLS");
    jdkDefaults.init(null, null, null);

    assertThatThrownBy(() -> handshake(certificates, jdkDefaults, "localhost"))
        .isInstanceOf(SSLHandshakeException.class);
    assertThatThrownBy(() -> handshake(certificates, certificates.clientContext(), "api.example.test"))
        .isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("api.example.test");
  }

  /** Connects to a server on 127.0.0.1, verifying it as {@code hostname} the way HTTPS clients do; answers the protocol agreed. */
  private static String handshake(ClusterCertificates certificates, SSLContext client, String hostname)
      throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (var server = (SSLServerSocket) certificates.serverContext().getServerSocketFactory()
        .createServerSocket(0, 1, loopback)) {
      server.setSoTimeout(5_000);
      var served = CompletableFuture.runAsync(() -> {
        try (Socket accepted = server.accept()) {
          accepted.setSoTimeout(5_000);
          accepted.getOutputStream().write('k');
          accepted.getOutputStream().flush();
        } catch (IOException expectedWhenTheClientRefuses) {
          // the client's side of the story is what the tests look at
        }
      }, runnable -> new Thread(runnable, "tls-test-server").start());
      try (var plain = new Socket(loopback, server.getLocalPort());
          var socket = (SSLSocket) client.getSocketFactory().createSocket(plain, hostname, server.getLocalPort(), true)) {
        var parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5_000);
        socket.startHandshake();
        assertThat(socket.getInputStream().read()).isEqualTo('k');
        return socket.getSession().getProtocol();
      } finally {
        served.join();
      }
    }
  }

  private static X509Certificate certificate(Path file) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readString(file).getBytes(StandardCharsets.US_ASCII)));
  }

  private static List<String> subjectAltNames(X509Certificate certificate, int type) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .filter(entry -> entry.get(0).equals(type))
        .map(entry -> (String) entry.get(1))
        .toList();
  }

  private static Duration validity(X509Certificate certificate) {
    return Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
  }

  private static Clock at(Instant instant) {
    return Clock.fixed(instant, ZoneOffset.UTC);
  }
}
