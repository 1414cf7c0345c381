package io.kubeactor.controlplane.controller.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What the certificates controllers share (pkg/controller/certificates/certificate_controller.go):
 * every added or changed CertificateSigningRequest is queued by name, and handled as it is now.
 */
public abstract class CsrController implements Reconciler {

  protected final ControllerContext context;
  private final Informer<CertificateSigningRequest> requests;

  protected CsrController(ControllerContext context) {
    this.context = context;
    this.requests = context.informers().of(CertificateSigningRequest.class);
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
    return csr == null ? CompletableFuture.completedFuture(Result.done()) : handle(csr);
  }

  /** The controller's handler of one request, as the informer has it. */
  protected abstract CompletionStage<Result> handle(CertificateSigningRequest csr);

  /** A copy of the request with one more condition (status True), for an update of its approval or status. */
  protected static CertificateSigningRequest withCondition(CertificateSigningRequest csr, String type, String reason,
      String message, String lastUpdateTime) {
    CertificateSigningRequest copy = Json.fromTree(Json.toTree(csr), CertificateSigningRequest.class);
    if (copy.getStatus() == null) copy.setStatus(new CertificateSigningRequestStatus());
    List<CertificateSigningRequestCondition> conditions = copy.getStatus().getConditions() == null
        ? new ArrayList<>() : new ArrayList<>(copy.getStatus().getConditions());
    CertificateSigningRequestCondition condition = new CertificateSigningRequestCondition();
    condition.setType(type);
    condition.setStatus("True");
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setLastUpdateTime(lastUpdateTime);
    conditions.add(condition);
    copy.getStatus().setConditions(conditions);
    return copy;
  }
}
