package io.kubeactor.controlplane.controller.certificates.signer;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.certificates.CsrController;
import io.kubeactor.common.Timestamps;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's csrsigning controller for the signers kube-apiserver-client-kubelet,
 * kube-apiserver-client and kubelet-serving, all issued by the cluster CA (kubeadm passes the
 * cluster CA as --cluster-signing-cert-file): see {@link CsrSigner}. Keys are CSR names.
 */
public final class CsrSigningController extends CsrController {

  private final CsrSigner signer;

  public CsrSigningController(ControllerContext context, CsrSigner signer) {
    super(context);
    this.signer = signer;
  }

  @Override
  public String name() {
    return "certificatesigningrequest-signing-controller";
  }

  @Override
  protected CompletionStage<Result> handle(CertificateSigningRequest csr) {
    CsrSigner.Decision decision = signer.decide(csr, context.clock().instant());
    CertificateSigningRequest updated;
    if (decision instanceof CsrSigner.Decision.Issue issue) {
      updated = Json.fromTree(Json.toTree(csr), CertificateSigningRequest.class);
      if (updated.getStatus() == null) updated.setStatus(new CertificateSigningRequestStatus());
      updated.getStatus().setCertificate(CsrSigner.encoded(issue.pem()));
    } else if (decision instanceof CsrSigner.Decision.Fail fail) {
      updated = withCondition(csr, "Failed", CsrSigner.FAILURE_REASON, fail.message(),
          Timestamps.format(context.clock().instant()));
    } else {
      return CompletableFuture.completedFuture(Result.done());
    }
    return context.writer().updateStatus(updated).thenApply(written -> Result.done());
  }
}
