package io.kubeactor.controlplane.controller.serviceaccount;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import io.kubeactor.controlplane.security.serviceaccount.SigningKey;
import io.kubeactor.controlplane.security.serviceaccount.TokenIssuer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * kube-controller-manager's serviceaccount-token controller (pkg/controller/serviceaccount/
 * tokens_controller.go): a kubernetes.io/service-account-token Secret naming an existing
 * ServiceAccount gets its token (a legacy JWT), ca.crt and namespace, and the account's uid as
 * annotation; one naming an account that does not exist (or no longer has the uid it names) is
 * deleted, as are an account's token Secrets when the account goes. Keys are "namespace/secret".
 */
public final class TokensController implements Reconciler {

  static final String TOKEN_TYPE = "kubernetes.io/service-account-token";
  static final String ACCOUNT_NAME = "kubernetes.io/service-account.name";
  static final String ACCOUNT_UID = "kubernetes.io/service-account.uid";

  private final ControllerContext context;
  private final Informer<Secret> secrets;
  private final Informer<ServiceAccount> accounts;
  private final SigningKey key;
  private final String rootCa;

  /** @param key the service-account signing key (--service-account-private-key-file) */
  public TokensController(ControllerContext context, SigningKey key) {
    this.context = context;
    this.secrets = context.informers().of(Secret.class);
    this.accounts = context.informers().of(ServiceAccount.class);
    this.key = key;
    this.rootCa = context.settings().rootCaPem();
  }

  @Override
  public String name() {
    return "serviceaccount-token-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(secrets, e -> e.type() != Informer.EventType.DELETED && isToken(e.object())
        ? List.of(Informer.keyOf(e.object())) : List.of());
    queue.watch(accounts, e -> e.type() == Informer.EventType.DELETED ? tokenKeys(e.object()) : List.of());
  }

  @Override
  public Collection<String> keys() {
    return secrets.list().stream().filter(TokensController::isToken).map(Informer::keyOf).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String key) {
    Secret secret = secrets.get(key);
    if (secret == null || !isToken(secret)) return done();
    String namespace = secret.getMetadata().getNamespace();
    String accountName = annotation(secret, ACCOUNT_NAME);
    String accountUid = annotation(secret, ACCOUNT_UID);
    // read from the store, not the cache: a lagging cache must not get a new account's token deleted
    ServiceAccount account = context.fresh().get(context.informers().typeOf(ServiceAccount.class), namespace,
        accountName, ServiceAccount.class);
    if (account == null || (!accountUid.isEmpty() && !accountUid.equals(account.getMetadata().getUid()))) {
      return context.writer().delete(secret, null).handle((ok, failure) -> {
        if (failure == null || ApiException.hasCode(failure, 404) || ApiException.hasCode(failure, 409)) return Result.done();
        throw new IllegalStateException(failure);
      });
    }
    Map<String, String> data = secret.getData() == null ? new HashMap<>() : new HashMap<>(secret.getData());
    boolean needsCa = !rootCa.isEmpty() && !rootCa.equals(decoded(data.get("ca.crt")));
    boolean needsNamespace = decoded(data.get("namespace")).isEmpty();
    boolean needsToken = decoded(data.get("token")).isEmpty();
    if (!needsCa && !needsNamespace && !needsToken) return done();
    if (needsCa) data.put("ca.crt", encoded(rootCa));
    if (needsNamespace) data.put("namespace", encoded(namespace));
    if (needsToken) {
      data.put("token", encoded(TokenIssuer.generateLegacy(this.key, account, secret.getMetadata().getName())));
    }
    Secret filled = new SecretBuilder(secret).withData(data).editMetadata()
        .addToAnnotations(ACCOUNT_NAME, account.getMetadata().getName())
        .addToAnnotations(ACCOUNT_UID, account.getMetadata().getUid()).endMetadata().build();
    // a conflict means the cache was behind: the Secret's next change queues it again
    return context.writer().update(filled).handle((ok, failure) -> {
      if (failure == null || ApiException.hasCode(failure, 409) || ApiException.hasCode(failure, 404)) return Result.done();
      throw new IllegalStateException(failure);
    });
  }

  // IsServiceAccountToken: the account's token Secrets in its namespace, by name and (when recorded) uid.
  private List<String> tokenKeys(ServiceAccount account) {
    String uid = account.getMetadata().getUid();
    return secrets.list(account.getMetadata().getNamespace()).stream()
        .filter(TokensController::isToken)
        .filter(s -> account.getMetadata().getName().equals(annotation(s, ACCOUNT_NAME)))
        .filter(s -> annotation(s, ACCOUNT_UID).isEmpty() || annotation(s, ACCOUNT_UID).equals(uid))
        .map(Informer::keyOf).toList();
  }

  private static boolean isToken(Secret secret) {
    return TOKEN_TYPE.equals(secret.getType());
  }

  private static String annotation(Secret secret, String name) {
    var annotations = secret.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(name);
    return value == null ? "" : value;
  }

  private static String decoded(String base64) {
    if (base64 == null || base64.isEmpty()) return "";
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  private static String encoded(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static CompletionStage<Result> done() {
    return CompletableFuture.completedFuture(Result.done());
  }
}
