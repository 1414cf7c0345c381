package io.kubeactor.agent.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.common.cluster.ClusterTls;
import io.kubeactor.common.pki.PkiFiles;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * kubelet's certificate requests (its TLS bootstrap and certificate rotation): a new key, a
 * CertificateSigningRequest for {@code system:node:<name>} to the signer
 * {@value #SIGNER}, then waiting until the controller manager has approved it and signed the
 * certificate. Sent with a bootstrap token the first time, with the node's current certificate to
 * renew it.
 */
final class NodeCertificateRequests {

  static final String SIGNER = "kubernetes.io/kube-apiserver-client-kubelet";
  private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
  private static final Duration POLL = Duration.ofMillis(250);

  private final ApiConnection api;

  NodeCertificateRequests(ApiConnection api) {
    this.api = api;
  }

  /** Requests, and waits up to {@code timeout} for, a certificate for {@code node} issued by {@code ca}. */
  NodeCredentials request(String node, X509Certificate ca, Duration timeout) throws JoinException, InterruptedException {
    KeyPair keys = newKeyPair();
    ObjectNode csr = Json.object();
    csr.put("apiVersion", "certificates.k8s.io/v1").put("kind", "CertificateSigningRequest");
    csr.putObject("metadata").put("generateName", "node-csr-");
    ObjectNode spec = csr.putObject("spec");
    spec.put("request", Base64.getEncoder().encodeToString(
        PkiFiles.toPem(certificationRequest(node, keys)).getBytes(StandardCharsets.US_ASCII)));
    spec.put("signerName", SIGNER);
    // kubelet's usages for an EC key (key encipherment is for RSA keys only)
    spec.putArray("usages").add("digital signature").add("client auth");
    JsonNode created = api.send(HttpRequest.newBuilder(api.uri(CSRS))
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(csr))).header("Content-Type", "application/json"), 201,
        "create a certificate signing request");
    String name = created.path("metadata").path("name").asText();
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      JsonNode current = api.send(HttpRequest.newBuilder(api.uri(CSRS + "/" + name)).GET(), 200,
          "read the certificate signing request " + name);
      for (JsonNode condition : current.path("status").path("conditions")) {
        String type = condition.path("type").asText();
        if (type.equals("Denied") || type.equals("Failed")) {
          throw new JoinException("the certificate signing request " + name + " was " + type.toLowerCase() + ": "
              + condition.path("reason").asText() + " " + condition.path("message").asText());
        }
      }
      String issued = current.path("status").path("certificate").asText("");
      if (!issued.isEmpty()) {
        X509Certificate certificate = certificate(Base64.getDecoder().decode(issued), name);
        if (!certificate.getPublicKey().equals(keys.getPublic())) {
          throw new JoinException("the certificate issued for " + name + " is not for the key it asked for");
        }
        return new NodeCredentials(ca, certificate, keys.getPrivate());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new JoinException("the certificate signing request " + name + " was not approved and signed within "
            + timeout.toSeconds() + " s (kubectl get csr " + name + "; kubectl certificate approve " + name + ")");
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  // O before CN in the encoded subject, as Go's crypto/x509 writes kubelet's
  private static org.bouncycastle.pkcs.PKCS10CertificationRequest certificationRequest(String node, KeyPair keys) {
    var subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, ClusterTls.NODES_GROUP).addRDN(BCStyle.CN, ClusterTls.NODE_PREFIX + node).build();
    try {
      return new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request", e);
    }
  }

  private static X509Certificate certificate(byte[] pem, String name) throws JoinException {
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException e) {
      throw new JoinException("the certificate issued for " + name + " cannot be read: " + e.getMessage());
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
    }
  }

  /** The API server as the agent reaches it: its address, the CA it trusts, and how it authenticates. */
  record ApiConnection(URI server, HttpClient http, String authorization) {

    URI uri(String path) {
      return server.resolve(path);
    }

    JsonNode send(HttpRequest.Builder request, int expected, String what) throws JoinException, InterruptedException {
      if (authorization != null) request.header("Authorization", authorization);
      request.header("Accept", "application/json").timeout(Duration.ofSeconds(30));
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (java.io.IOException e) {
        throw new JoinException("cannot reach the API server at " + server + ": " + describe(e), true);
      }
      JsonNode body;
      try {
        body = Json.parse(response.body());
      } catch (RuntimeException e) {
        body = Json.object();
      }
      if (response.statusCode() == expected) return body;
      String message = body.path("message").asText("HTTP " + response.statusCode());
      if (response.statusCode() == 401) {
        throw new JoinException("the API server refused this node's credential (" + message + "): a join token expires "
            + "(24 h by default); make a new one with ./kubeactor token create");
      }
      throw new JoinException("cannot " + what + ": " + message);
    }

    private static String describe(java.io.IOException e) {
      Throwable t = e;
      while (t.getCause() != null) t = t.getCause();
      return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
  }
}
