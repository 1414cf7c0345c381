package io.kubeactor.controlplane.controller.certificates.signer;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.registry.Registry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's csrsigning controller for the signers kube-apiserver-client-kubelet,
 * kube-apiserver-client and kubelet-serving, all issued by the cluster CA (kubeadm passes the
 * cluster CA as --cluster-signing-cert-file): see {@link CsrSigner}. Keys are CSR names.
 */
public final class CsrSigningController implements Reconciler {

  private final ControllerContext context;
  private final CsrSigner signer;
  private final Informer<CertificateSigningRequest> requests;

  public CsrSigningController(ControllerContext context, CsrSigner signer) {
    this.context = context;
    this.signer = signer;
    this.requests = context.informers().of(CertificateSigningRequest.class);
  }

  @Override
  public String name() {
    return "certificatesigningrequest-signing-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(requests, e -> e.type() == Informer.EventType.DELETED ? List.of() : List.of(e.object().getMetadata().getName()));
  }

  @Override
  public Collection<String> keys() {
    return requests.list().stream().map(r -> r.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String name) {
    CertificateSigningRequest csr = requests.get(null, name);
    if (csr == null) return CompletableFuture.completedFuture(Result.done());
    CsrSigner.Decision decision = signer.decide(csr, context.clock().instant());
    if (decision instanceof CsrSigner.Decision.Skip) return CompletableFuture.completedFuture(Result.done());
    CertificateSigningRequest updated = Json.fromTree(Json.toTree(csr), CertificateSigningRequest.class);
    if (updated.getStatus() == null) updated.setStatus(new CertificateSigningRequestStatus());
    if (decision instanceof CsrSigner.Decision.Issue issue) {
      updated.getStatus().setCertificate(CsrSigner.encoded(issue.pem()));
    } else if (decision instanceof CsrSigner.Decision.Fail fail) {
      List<CertificateSigningRequestCondition> conditions = updated.getStatus().getConditions() == null
          ? new ArrayList<>() : new ArrayList<>(updated.getStatus().getConditions());
      CertificateSigningRequestCondition failed = new CertificateSigningRequestCondition();
      failed.setType("Failed");
      failed.setStatus("True");
      failed.setReason(CsrSigner.FAILURE_REASON);
      failed.setMessage(fail.message());
      failed.setLastUpdateTime(Registry.timestamp(context.clock().instant()));
      conditions.add(failed);
      updated.getStatus().setConditions(conditions);
    }
    return context.writer().updateStatus(updated).thenApply(written -> Result.done());
  }
}
