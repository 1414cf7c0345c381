package io.kubeactor.controlplane.controller.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.certificates.approver.CsrApprovingController;
import io.kubeactor.controlplane.controller.certificates.signer.CsrSigner;
import io.kubeactor.controlplane.controller.certificates.signer.CsrSigningController;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.security.ClusterCertificates;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.certificates.CertificateAdmission;
import io.kubeactor.controlplane.security.certificates.TestRequests;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CertificateSigningRequests through the registry as the API server writes them (strategy,
 * validation, the three admission plugins), and the approving and signing controllers that turn a
 * kubelet's request made with a bootstrap token into a certificate of the cluster CA.
 */
class CertificateSigningRequestsTest {

  static final ControllerFixture fixture = new ControllerFixture();
  static ClusterCertificates ca;
  static ResourceType csrs;
  static org.apache.pekko.actor.typed.ActorRef<io.kubeactor.controlplane.controller.Controller.Command> approver;
  static org.apache.pekko.actor.typed.ActorRef<io.kubeactor.controlplane.controller.Controller.Command> signer;

  static final String NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token";
  static final UserInfo BOOTSTRAP = new UserInfo("system:bootstrap:abcdef", "",
      List.of("system:bootstrappers", NODE_TOKEN_GROUP, UserInfo.AUTHENTICATED), java.util.Map.of());
  static final UserInfo APPROVER = UserInfo.of("approver", UserInfo.AUTHENTICATED);
  static final UserInfo NOBODY = UserInfo.of("nobody", UserInfo.AUTHENTICATED);
  /** A kubernetes.io signer the signing controller has no signer for. */
  static final String UNSIGNED = "kubernetes.io/test-unsigned";

  /** As the bootstrap policy and kubeadm's bindings grant: approver may approve kubernetes.io/*, the node group nodeclient. */
  static final Authorizer AUTHORIZER = a -> allowed(a) ? Authorizer.Decision.allow("") : Authorizer.Decision.noOpinion("");

  private static boolean allowed(Attributes a) {
    if (a.user().inGroup(UserInfo.SYSTEM_MASTERS)) return true;
    if (a.user().name().equals("approver")) return a.verb().equals("approve") && a.name().equals("kubernetes.io/*");
    return a.user().inGroup(NODE_TOKEN_GROUP) && a.verb().equals("create")
        && a.resource().equals("certificatesigningrequests") && a.subresource().equals("nodeclient");
  }

  @BeforeAll
  static void setUp() throws Exception {
    Path dir = Files.createTempDirectory("csr-test");
    ca = ClusterCertificates.loadOrCreate(dir, List.of(), List.of());
    csrs = fixture.registry.types().find("/apis/certificates.k8s.io/v1", "certificatesigningrequests").orElseThrow();
    fixture.registry.guardWrites(new CertificateAdmission(AUTHORIZER));
    approver = fixture.start(new CsrApprovingController(fixture.context, AUTHORIZER));
    signer = fixture.start(new CsrSigningController(fixture.context, new CsrSigner(ca, CsrSigner.DEFAULT_SIGNING_DURATION)));
  }

  @AfterAll
  static void shutdown() {
    fixture.close();
  }

  private static WriteOptions as(UserInfo user) {
    return new WriteOptions(false, WriteOptions.FieldValidationMode.IGNORE, new ArrayList<>(), user);
  }

  private static ObjectNode create(String manifest, UserInfo user) {
    return join(fixture.registry.create(csrs, null, yaml(manifest), as(user)));
  }

  private static ObjectNode yaml(String yaml) {
    try {
      return (ObjectNode) Json.YAML.readTree(yaml);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode update(String name, String subresource, ObjectNode body, UserInfo user) {
    return join(fixture.registry.update(csrs, null, name, subresource, body, as(user)));
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw ApiException.unwrap(e.getCause()) instanceof ApiException api ? api : new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode approvedCopy(ObjectNode csr) {
    ObjectNode body = csr.deepCopy();
    body.with("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True")
        .put("reason", "KubectlApprove").put("message", "This CSR was approved by kubectl certificate approve.");
    return body;
  }

  @Test
  void theRequesterIsRecordedAndNoStatusMayBeSent() {
    String manifest = TestRequests.manifest("recorded", TestRequests.base64(TestRequests.pem("jane", "devs")),
        "example.com/signer", "[client auth]", ", username: forged, groups: [system:masters]");
    ObjectNode body = yaml(manifest);
    body.set("status", yaml("{conditions: [{type: Approved, status: 'True'}]}"));
    ObjectNode stored = join(fixture.registry.create(csrs, null, body, as(BOOTSTRAP)));
    assertThat(stored.at("/spec/username").asText()).isEqualTo("system:bootstrap:abcdef");
    assertThat(stored.at("/spec/groups").toString()).isEqualTo(
        "[\"system:bootstrappers\",\"" + NODE_TOKEN_GROUP + "\",\"system:authenticated\"]");
    assertThat(stored.path("status").isEmpty()).isTrue();

    // an update of the object changes neither spec nor status
    ObjectNode changed = stored.deepCopy();
    changed.with("spec").put("signerName", "example.com/other");
    changed.with("metadata").with("labels").put("a", "b");
    ObjectNode updated = update("recorded", null, approvedCopy(changed), NOBODY);
    assertThat(updated.at("/spec/signerName").asText()).isEqualTo("example.com/signer");
    assertThat(updated.at("/metadata/labels/a").asText()).isEqualTo("b");
    assertThat(updated.path("status").isEmpty()).isTrue();
  }

  @Test
  void approvalNeedsTheApproveVerbOnTheSignerAndStampsTheCondition() {
    // a signer the controller does not sign for: nothing changes the request between the test's writes
    ObjectNode stored = create(TestRequests.manifest("approve-me", TestRequests.base64(TestRequests.pem("jane", "devs")),
        UNSIGNED, "[digital signature, client auth]", ""), NOBODY);
    assertThatThrownBy(() -> update("approve-me", "approval", approvedCopy(stored), NOBODY))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(ApiException.hasCode(e, 403)).isTrue();
          assertThat(e.getMessage()).isEqualTo("certificatesigningrequests.certificates.k8s.io \"approve-me\" is forbidden:"
              + " user not permitted to approve requests with signerName \"" + UNSIGNED + "\"");
        });
    ObjectNode body = approvedCopy(stored);
    body.with("spec").put("username", "someone-else");
    ObjectNode approved = update("approve-me", "approval", body, APPROVER);
    assertThat(approved.at("/spec/username").asText()).isEqualTo("nobody");
    assertThat(approved.at("/status/conditions/0/type").asText()).isEqualTo("Approved");
    assertThat(approved.at("/status/conditions/0/lastUpdateTime").asText()).isNotEmpty();
    assertThat(approved.at("/status/conditions/0/lastTransitionTime").asText()).isNotEmpty();

    // the status subresource keeps the approval as it is and may set a certificate only with the sign verb
    ObjectNode statusBody = approved.deepCopy();
    statusBody.with("status").putArray("conditions").addObject().put("type", "Approved").put("status", "True")
        .put("reason", "Rewritten");
    ObjectNode afterStatus = update("approve-me", "status", statusBody, APPROVER);
    assertThat(afterStatus.at("/status/conditions/0/reason").asText()).isEqualTo("KubectlApprove");
    ObjectNode withCertificate = afterStatus.deepCopy();
    withCertificate.with("status").put("certificate", Base64.getEncoder().encodeToString(ca.caPem().getBytes()));
    assertThatThrownBy(() -> update("approve-me", "status", withCertificate, APPROVER))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).endsWith(
            "user not permitted to sign requests with signerName \"" + UNSIGNED + "\""));
  }

  @Test
  void noKubeApiserverClientCertificateMayAskForSystemMasters() {
    assertThatThrownBy(() -> create(TestRequests.manifest("masters", TestRequests.base64(TestRequests.pem("eve", "system:masters")),
        "kubernetes.io/kube-apiserver-client", "[client auth]", ""), NOBODY))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo(
            "certificatesigningrequests.certificates.k8s.io \"masters\" is forbidden: use of"
                + " kubernetes.io/kube-apiserver-client signer with system:masters group is not allowed"));
  }

  @Test
  void aKubeletClientRequestMadeWithANodeTokenIsApprovedAndIssuedByTheClusterCa() throws Exception {
    create(TestRequests.kubeletClientManifest("node-csr-1", "worker-1"), BOOTSTRAP);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      var csr = fixture.get(CertificateSigningRequest.class, null, "node-csr-1");
      return csr.getStatus() != null && csr.getStatus().getCertificate() != null;
    });
    CertificateSigningRequest csr = fixture.get(CertificateSigningRequest.class, null, "node-csr-1");
    var approval = csr.getStatus().getConditions().get(0);
    assertThat(List.of(approval.getType(), approval.getStatus(), approval.getReason(), approval.getMessage())).containsExactly(
        "Approved", "True", "AutoApproved", "Auto approving kubelet client certificate after SubjectAccessReview.");
    X509Certificate issued = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(Base64.getDecoder().decode(csr.getStatus().getCertificate())));
    issued.verify(ca.ca().getPublicKey());
    assertThat(issued.getIssuerX500Principal()).isEqualTo(ca.ca().getSubjectX500Principal());
    assertThat(issued.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");
    assertThat(issued.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    assertThat(issued.getBasicConstraints()).isEqualTo(-1);
    Duration validity = Duration.between(issued.getNotBefore().toInstant(), issued.getNotAfter().toInstant());
    assertThat(validity).isEqualTo(Duration.ofDays(365)); // backdated 5 minutes at both ends

    // someone without nodeclient gets no approval
    create(TestRequests.manifest("node-csr-2", TestRequests.base64(TestRequests.pem("system:node:worker-2", "system:nodes")),
        "kubernetes.io/kube-apiserver-client-kubelet", "[digital signature, client auth]", ""), NOBODY);
    fixture.awaitReconciled(approver, "node-csr-2");
    fixture.awaitReconciled(signer, "node-csr-2");
    assertThat(fixture.get(CertificateSigningRequest.class, null, "node-csr-2").getStatus().getConditions()).isNullOrEmpty();
  }

  @Test
  void anApprovedRequestThatDoesNotFitItsSignerIsMarkedFailed() {
    ObjectNode stored = create(TestRequests.manifest("not-a-node", TestRequests.base64(TestRequests.pem("system:node:x", "devs")),
        "kubernetes.io/kube-apiserver-client-kubelet", "[digital signature, client auth]", ""), NOBODY);
    update("not-a-node", "approval", approvedCopy(stored), WriteOptions.INTERNAL_USER);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fixture.get(CertificateSigningRequest.class, null, "not-a-node")
        .getStatus().getConditions().size() == 2);
    var failed = fixture.get(CertificateSigningRequest.class, null, "not-a-node").getStatus().getConditions().get(1);
    assertThat(List.of(failed.getType(), failed.getReason(), failed.getMessage())).containsExactly(
        "Failed", "SignerValidationFailure", "subject organization is not system:nodes");
    fixture.awaitReconciled(signer, "not-a-node");
    assertThat(fixture.get(CertificateSigningRequest.class, null, "not-a-node").getStatus().getCertificate()).isNull();
  }
}
