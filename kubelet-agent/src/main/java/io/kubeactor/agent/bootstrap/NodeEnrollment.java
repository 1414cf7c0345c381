package io.kubeactor.agent.bootstrap;

import io.kubeactor.agent.bootstrap.NodeCertificateRequests.ApiConnection;
import io.kubeactor.common.InsecureTls;
import io.kubeactor.common.pki.KeyMaterial;
import io.kubeactor.common.pki.PkiFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a node gets the certificate it joins the cluster with, as kubeadm join and kubelet's TLS
 * bootstrap: the cluster CA is known from a file or found at the API server and checked against its
 * pinned hash ({@code --discovery-token-ca-cert-hash sha256:...}); a node with a valid certificate
 * of that CA uses it (renewing it once 80% of its life has passed); a new node asks for one with its
 * join token (a bootstrap token), which the controller manager approves and signs.
 */
public final class NodeEnrollment {

  private static final Logger LOG = LoggerFactory.getLogger(NodeEnrollment.class);
  private static final Duration ISSUE_TIMEOUT = Duration.ofMinutes(2);

  /** How this node joins: the API server, the join token (null once it has a certificate), and how it knows the CA. */
  public record JoinSettings(URI apiServer, String token, Path caFile, String caCertHash) {}

  private NodeEnrollment() {}

  /** The node's credentials, from its data directory or newly issued; a failure says why in one line. */
  public static NodeCredentials credentials(String node, Path dataDir, JoinSettings join, Clock clock)
      throws JoinException, InterruptedException {
    X509Certificate ca = clusterCa(dataDir, join);
    Optional<NodeCredentials> kept = NodeCredentials.load(dataDir, ca, node, clock.instant());
    if (kept.isPresent() && !kept.get().renewalDue(clock.instant())) return kept.get();
    if (kept.isPresent()) {
      // certificate rotation: the node asks with its current certificate (selfnodeclient)
      try {
        NodeCredentials renewed = new NodeCertificateRequests(new ApiConnection(join.apiServer(),
            client(ca, kept.get()), null)).request(node, ca, ISSUE_TIMEOUT).save(dataDir);
        LOG.info("node {}: its client certificate was renewed; it expires {}", node, renewed.certificate().getNotAfter().toInstant());
        return renewed;
      } catch (JoinException e) {
        LOG.warn("node {}: its client certificate expires {} and could not be renewed yet: {}", node,
            kept.get().certificate().getNotAfter().toInstant(), e.getMessage());
        return kept.get();
      }
    }
    if (join.token() == null || join.token().isBlank()) {
      throw new JoinException("no certificate of the cluster CA yet, and no join token: run ./kubeactor token create "
          + "on the control plane's host and give this agent its --token");
    }
    NodeCredentials issued = new NodeCertificateRequests(new ApiConnection(join.apiServer(), client(ca, null),
        "Bearer " + join.token().trim())).request(node, ca, ISSUE_TIMEOUT).save(dataDir);
    LOG.info("node {}: its client certificate was issued by the cluster CA; it expires {}", node,
        issued.certificate().getNotAfter().toInstant());
    return issued;
  }

  /** kubeadm's CA pin: sha256 of the CA certificate's SubjectPublicKeyInfo, in hex. */
  public static String caCertHash(X509Certificate ca) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate clusterCa(Path dataDir, JoinSettings join) throws JoinException, InterruptedException {
    if (join.caFile() != null) {
      try {
        return checkPin(PkiFiles.readCertificate(join.caFile()), join.caCertHash(), join.caFile().toString());
      } catch (RuntimeException e) {
        throw new JoinException("--ca-cert " + join.caFile() + ": " + e.getMessage());
      }
    }
    Path kept = NodeCredentials.caFile(dataDir);
    if (Files.exists(kept)) {
      X509Certificate ca = PkiFiles.readCertificate(kept);
      if (join.caCertHash() == null || caCertHash(ca).equalsIgnoreCase(join.caCertHash())) return ca;
    }
    if (join.caCertHash() == null) {
      throw new JoinException("the cluster CA is unknown: give --discovery-token-ca-cert-hash sha256:... (as ./kubeactor "
          + "token create prints it) or --ca-cert FILE");
    }
    return discover(join.apiServer(), join.caCertHash());
  }

  private static X509Certificate checkPin(X509Certificate ca, String pin, String source) throws JoinException {
    if (pin != null && !caCertHash(ca).equalsIgnoreCase(pin)) {
      throw new JoinException("the CA in " + source + " does not match --discovery-token-ca-cert-hash " + pin
          + " (its hash is " + caCertHash(ca) + ")");
    }
    return ca;
  }

  /** The CA the API server shows in its chain, accepted only if it matches the pin and signed the server's certificate. */
  private static X509Certificate discover(URI server, String pin) throws JoinException, InterruptedException {
    HttpClient insecure = HttpClient.newBuilder().sslContext(InsecureTls.context()).connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<Void> response;
    try {
      response = insecure.send(HttpRequest.newBuilder(server.resolve("/version")).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      throw new JoinException("cannot reach the API server at " + server + ": " + e.getMessage(), true);
    }
    Certificate[] chain;
    try {
      chain = response.sslSession().orElseThrow().getPeerCertificates();
    } catch (Exception e) {
      throw new JoinException("the API server at " + server + " showed no certificate");
    }
    for (Certificate c : chain) {
      if (c instanceof X509Certificate ca && caCertHash(ca).equalsIgnoreCase(pin)) {
        try {
          chain[0].verify(ca.getPublicKey());
          return ca;
        } catch (GeneralSecurityException e) {
          break;
        }
      }
    }
    throw new JoinException("the API server at " + server + " is not of the cluster whose CA hash is " + pin);
  }

  /** HTTPS to the API server trusting only the cluster CA, showing the node's certificate when it has one. */
  private static HttpClient client(X509Certificate ca, NodeCredentials credentials) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(credentials == null ? null : KeyMaterial.keyManagers(credentials.key(), credentials.certificate()),
          KeyMaterial.trustOnly(ca), null);
      return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS to the API server: " + e.getMessage(), e);
    }
  }
}
