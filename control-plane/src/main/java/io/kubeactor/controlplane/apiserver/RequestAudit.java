package io.kubeactor.controlplane.apiserver;

import io.kubeactor.controlplane.security.audit.AuditLog;
import io.kubeactor.controlplane.security.audit.AuditedRequest;
import io.kubeactor.controlplane.security.audit.SourceIps;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * One request's way into the audit log, as kube-apiserver's WithAudit filter takes it: what the
 * HTTP request says (URI, client addresses, User-Agent, Audit-ID), the stages the API server reports
 * (authenticated, impersonated, authorized, body read), and the response: ResponseComplete when a
 * whole body is answered, ResponseStarted then ResponseComplete when a stream (a watch, logs) ends.
 * Made only when auditing is on.
 */
final class RequestAudit {

  private final AuditLog log;
  private final Instant received;
  private final String uri;
  private final String auditId;
  private final String userAgent;
  private final List<String> sourceIps;
  private volatile AuditedRequest handle = AuditedRequest.NONE;

  RequestAudit(AuditLog log, HttpRequest request, Instant received) {
    this.log = log;
    this.received = received;
    this.uri = request.getUri().toRelative().toString();
    this.auditId = request.getHeader("Audit-ID").map(h -> h.value()).orElse(null);
    this.userAgent = request.getHeader("User-Agent").map(h -> h.value()).orElse(null);
    String remote = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress()).map(InetAddress::getHostAddress).orElse(null);
    this.sourceIps = SourceIps.of(request.getHeader("X-Forwarded-For").map(h -> h.value()).orElse(null),
        request.getHeader("X-Real-Ip").map(h -> h.value()).orElse(null), remote);
  }

  /** A request refused with 401. */
  void unauthenticated(Attributes attributes, boolean bearer, boolean certificate) {
    log.authenticationFailed(attributes, auditId, uri, sourceIps, userAgent, received,
        AuditLog.authenticationFailure(false, bearer, false, certificate));
  }

  void received(Attributes attributes, UserInfo authenticated) {
    handle = log.request(attributes, authenticated, auditId, uri, sourceIps, userAgent, received);
  }

  AuditedRequest handle() {
    return handle;
  }

  /** The response, with its Audit-Id header; a stream's last stage is written when the stream ends. */
  HttpResponse completed(HttpResponse response) {
    AuditedRequest h = handle;
    if (!h.logged()) return response;
    int code = response.status().intValue();
    HttpResponse out = response.addHeader(RawHeader.create("Audit-Id", h.auditId()));
    if (out.entity() instanceof HttpEntity.Strict strict) {
      byte[] body = code >= 300 || h.logsResponseBody() ? strict.getData().toArray() : null;
      h.complete(code, null, body);
      return out;
    }
    h.started(code);
    return out.transformEntityDataBytes(Flow.<ByteString>create().watchTermination((mat, done) -> {
      done.whenComplete((d, e) -> h.complete(code, null, null));
      return mat;
    }));
  }
}
