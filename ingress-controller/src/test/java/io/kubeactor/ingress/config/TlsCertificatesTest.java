package io.kubeactor.ingress.config;

import static io.kubeactor.ingress.config.Fixtures.NS;
import static io.kubeactor.ingress.config.Fixtures.tlsSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsCertificatesTest {

  @Test
  void theDefaultCertificateIsIngressNginxsFakeOne() {
    var pem = DefaultCertificate.generate();
    var loaded = new TlsCertificates(List.of(tlsSecret("fake", pem.certificate(), pem.key()))).load(NS, "fake");
    assertThat(loaded.problem()).isNull();
    assertThat(loaded.loaded().certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=Kubernetes Ingress Controller Fake Certificate,O=Acme Co");
    assertThat(TlsCertificates.covers(loaded.loaded().certificate(), "ingress.local")).isTrue();
    assertThat(loaded.loaded().file()).isEqualTo("ssl/default-fake.pem");
  }

  @Test
  void problemsAreWordedAsUpstreams() {
    var pem = DefaultCertificate.selfSigned("CN=a.com", "a.com");
    var noKey =
        new SecretBuilder().withNewMetadata().withNamespace(NS).withName("nokey").endMetadata()
            .withStringData(Map.of("tls.crt", new String(pem.certificate(), StandardCharsets.US_ASCII))).build();
    var garbage = tlsSecret("garbage", "not a certificate".getBytes(StandardCharsets.US_ASCII), pem.key());
    var certificates = new TlsCertificates(List.of(noKey, garbage));
    assertThat(certificates.load(NS, "nokey").problem())
        .isEqualTo("Error obtaining X.509 certificate: key 'tls.key' missing from Secret \"default/nokey\". Using default certificate");
    assertThat(certificates.load(NS, "garbage").problem())
        .isEqualTo(
            "Error obtaining X.509 certificate: unexpected error creating SSL Cert: no certificate PEM data found, make sure certificate content starts with 'BEGIN CERTIFICATE'. Using default certificate");
  }

  @Test
  void wildcardNamesCoverOneLabel() {
    var certificate = DefaultCertificate.selfSigned("CN=*.foo.com", "*.foo.com");
    var loaded = new TlsCertificates(List.of(tlsSecret("w", certificate.certificate(), certificate.key()))).load(NS, "w").loaded();
    assertThat(TlsCertificates.covers(loaded.certificate(), "a.foo.com")).isTrue();
    assertThat(TlsCertificates.covers(loaded.certificate(), "a.b.foo.com")).isFalse();
    assertThat(TlsCertificates.covers(loaded.certificate(), "foo.com")).isFalse();
  }
}
