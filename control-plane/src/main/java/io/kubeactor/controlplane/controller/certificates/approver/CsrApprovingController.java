package io.kubeactor.controlplane.controller.certificates.approver;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.certificates.CsrController;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import io.kubeactor.controlplane.security.authorization.Authorizer;
import io.kubeactor.controlplane.security.certificates.CertificateRequests;
import io.kubeactor.controlplane.security.certificates.Signers;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-controller-manager's csrapproving controller (pkg/controller/certificates/approver/sarapprove.go):
 * a pending kubelet client request (signer kube-apiserver-client-kubelet, CN=system:node:NAME,
 * O=system:nodes, client usages) is approved when its requester may {@code create}
 * certificatesigningrequests/selfnodeclient (renewing its own certificate) or /nodeclient, as a
 * SubjectAccessReview of the requester recorded in the spec finds. Keys are CSR names.
 */
public final class CsrApprovingController extends CsrController {

  private static final Logger LOG = LoggerFactory.getLogger(CsrApprovingController.class);

  public static final String REASON = "AutoApproved";
  public static final String SELF_NODE_CLIENT_MESSAGE = "Auto approving self kubelet client certificate after SubjectAccessReview.";
  public static final String NODE_CLIENT_MESSAGE = "Auto approving kubelet client certificate after SubjectAccessReview.";

  private final Authorizer authorizer;

  /** @param authorizer the API server's authorizer chain, asked as a SubjectAccessReview is */
  public CsrApprovingController(ControllerContext context, Authorizer authorizer) {
    super(context);
    this.authorizer = authorizer;
  }

  @Override
  public String name() {
    return "certificatesigningrequest-approving-controller";
  }

  @Override
  protected CompletionStage<Result> handle(CertificateSigningRequest csr) {
    Optional<String> message = approval(csr, authorizer);
    if (message.isEmpty()) return CompletableFuture.completedFuture(Result.done());
    return context.writer().updateApproval(withCondition(csr, "Approved", REASON, message.get(), null))
        .thenApply(written -> Result.done());
  }

  /**
   * The approval message for a request this controller approves, empty when it leaves it alone
   * (already decided or issued, not a kubelet client request, or the requester may not have it).
   */
  public static Optional<String> approval(CertificateSigningRequest csr, Authorizer authorizer) {
    CertificateSigningRequestStatus status = csr.getStatus();
    if (status != null && status.getCertificate() != null && !status.getCertificate().isEmpty()) return Optional.empty();
    if (status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> "Approved".equals(c.getType()) || "Denied".equals(c.getType()))) {
      return Optional.empty();
    }
    CertificateSigningRequestSpec spec = csr.getSpec();
    if (spec == null || !Signers.KUBE_APISERVER_CLIENT_KUBELET.equals(spec.getSignerName())) return Optional.empty();
    CertificateRequests.Parsed request;
    try {
      request = CertificateRequests.parse(spec.getRequest() == null ? null : Base64.getDecoder().decode(spec.getRequest()));
    } catch (CertificateRequests.InvalidRequest | IllegalArgumentException e) {
      LOG.debug("unable to parse csr {}: {}", csr.getMetadata().getName(), e.getMessage());
      return Optional.empty();
    }
    try {
      Signers.kubeletClient(request, spec.getUsages() == null ? List.of() : spec.getUsages());
    } catch (Signers.NotForSigner e) {
      return Optional.empty();
    }
    UserInfo requester = requester(spec);
    List<String> tried = new ArrayList<>();
    if (requester.name().equals(request.commonName())) {
      tried.add("selfnodeclient");
      if (allowed(authorizer, requester, "selfnodeclient")) return Optional.of(SELF_NODE_CLIENT_MESSAGE);
    }
    tried.add("nodeclient");
    if (allowed(authorizer, requester, "nodeclient")) return Optional.of(NODE_CLIENT_MESSAGE);
    LOG.debug("recognized csr {} as {} but subject access review was not approved", csr.getMetadata().getName(), tried);
    return Optional.empty();
  }

  /** The requester as the spec records it: a SubjectAccessReview's user, uid, groups and extra. */
  private static UserInfo requester(CertificateSigningRequestSpec spec) {
    Map<String, List<String>> extra = spec.getExtra() == null ? Map.of() : spec.getExtra();
    return new UserInfo(spec.getUsername() == null ? "" : spec.getUsername(), spec.getUid(),
        spec.getGroups() == null ? List.of() : spec.getGroups(), extra);
  }

  private static boolean allowed(Authorizer authorizer, UserInfo user, String subresource) {
    return authorizer.authorize(new Attributes(user, "create", true, "certificates.k8s.io", "*",
        "certificatesigningrequests", subresource, "", "", "")).allowed();
  }
}
