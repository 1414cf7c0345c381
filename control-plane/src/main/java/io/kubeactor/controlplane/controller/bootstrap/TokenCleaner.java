package io.kubeactor.controlplane.controller.bootstrap;

import io.fabric8.kubernetes.api.model.Secret;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.security.bootstrap.BootstrapTokens;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's tokencleaner (pkg/controller/bootstrap/tokencleaner.go): a bootstrap
 * token's Secret in kube-system is deleted once its expiration has passed (an expiration that does
 * not parse counts as passed), the deletion conditional on its uid; one that has not expired yet is
 * looked at again when it does. Keys are "kube-system/NAME".
 */
public final class TokenCleaner implements Reconciler {

  private final ControllerContext context;
  private final Informer<Secret> secrets;

  public TokenCleaner(ControllerContext context) {
    this.context = context;
    this.secrets = context.informers().of(Secret.class);
  }

  @Override
  public String name() {
    return "token-cleaner";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(secrets, e -> e.type() != Informer.EventType.DELETED && isBootstrapToken(e.object())
        ? List.of(Informer.keyOf(e.object())) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return secrets.list(BootstrapTokens.NAMESPACE).stream().filter(TokenCleaner::isBootstrapToken).map(Informer::keyOf).toList();
  }

  private static boolean isBootstrapToken(Secret s) {
    return BootstrapTokens.NAMESPACE.equals(s.getMetadata().getNamespace()) && BootstrapTokens.SECRET_TYPE.equals(s.getType());
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Secret secret = secrets.get(key);
    if (secret == null || !isBootstrapToken(secret) || secret.getMetadata().getDeletionTimestamp() != null) {
      return CompletableFuture.completedFuture(Result.done());
    }
    Duration left = BootstrapTokens.timeLeft(secret, context.clock().instant());
    if (left == null) return CompletableFuture.completedFuture(Result.done());
    if (left.isZero() || left.isNegative()) return context.writer().delete(secret, null).thenApply(x -> Result.done());
    return CompletableFuture.completedFuture(Result.requeueAfter(left));
  }
}
