package io.kubeactor.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a starting control plane sets up for Services: its own Services, their endpoints, its addresses. */
class ControlPlaneStartTest {

  @TempDir
  Path dir;

  private ControlPlane start(String advertiseAddress) throws Exception {
    Map<String, Object> conf = new HashMap<>(Map.of("kubeactor.data-dir", dir.resolve("data").toString(),
        "kubeactor.api.port", 0, "kubeactor.cluster.port", 0,
        "kubeactor.dns.port", 0));
    if (advertiseAddress != null) conf.put("kubeactor.api.advertise-address", advertiseAddress);
    return ControlPlane.start(ConfigFactory.parseMap(conf));
  }

  private static JsonNode stored(ControlPlane cp, String key) {
    return cp.registry().cache().state().get(key);
  }

  private List<String> servingCertificateNames() throws Exception {
    X509Certificate cert;
    try (var in = java.nio.file.Files.newInputStream(dir.resolve("data").resolve("pki").resolve("apiserver.crt"))) {
      cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return cert.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
  }

  @Test
  void theKubernetesAndDnsServicesAreMadeAndFollowTheApiServerAcrossRestarts() throws Exception {
    int firstPort;
    try (ControlPlane cp = start(null)) {
      firstPort = cp.port();
      assertThat(stored(cp, "core/services/default/kubernetes").at("/spec/ports/0/targetPort").asInt()).isEqualTo(firstPort);
      assertThat(stored(cp, "core/services/default/kubernetes").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.1");
      assertThat(stored(cp, "core/services/kube-system/kube-dns").at("/spec/clusterIP").asText()).isEqualTo("10.96.0.10");
      // a loopback address reaches nothing in the cluster (and upstream's validation refuses it in Endpoints)
      assertThat(stored(cp, "core/endpoints/default/kubernetes")).isNull();
      assertThat(stored(cp, "discovery.k8s.io/endpointslices/default/kubernetes")).isNull();
      assertThat(servingCertificateNames()).contains("kubernetes", "kubernetes.default", "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local", "10.96.0.1", "127.0.0.1").doesNotContain("127.0.0.2");
    }

    // again with an advertise address: the certificate is re-issued to name it, the API server
    // listens there too, and the kubernetes Service and its endpoints follow the new port
    try (ControlPlane cp = start("127.0.0.2")) {
      assertThat(cp.port()).isNotEqualTo(firstPort);
      assertThat(servingCertificateNames()).contains("127.0.0.2", "10.96.0.1");
      assertThat(stored(cp, "core/services/default/kubernetes").at("/spec/ports/0/targetPort").asInt()).isEqualTo(cp.port());
      assertThat(stored(cp, "core/endpoints/default/kubernetes")).isNull();
      HttpClient client = HttpClient.newBuilder().sslContext(cp.certificates().clientContext()).build();
      for (String host : List.of("127.0.0.1", "127.0.0.2")) {
        HttpResponse<String> version = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + cp.port() + "/version"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(version.statusCode()).as(host).isEqualTo(200);
      }
    }
  }
}
