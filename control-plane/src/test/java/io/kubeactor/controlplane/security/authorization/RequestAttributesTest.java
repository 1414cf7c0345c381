package io.kubeactor.controlplane.security.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import org.junit.jupiter.api.Test;

/** Request attributes as k8s.io/apiserver's RequestInfoFactory reads them, and the 403 they are refused with. */
class RequestAttributesTest {

  private static final UserInfo JANE = UserInfo.of("jane", "system:authenticated");

  private static String read(String method, String path) {
    return read(method, path, null, null);
  }

  private static String read(String method, String path, String watch, String fieldSelector) {
    Attributes a = RequestAttributes.of(JANE, method, path, watch, fieldSelector);
    return a.resourceRequest()
        ? String.join("|", a.verb(), a.apiGroup(), a.apiVersion(), a.resource(), a.subresource(), a.namespace(), a.name())
        : "path|" + a.verb() + "|" + a.path();
  }

  @Test
  void resourceRequests() {
    assertThat(read("GET", "/api/v1/namespaces/default/pods")).isEqualTo("list||v1|pods||default|");
    assertThat(read("GET", "/api/v1/namespaces/default/pods", "true", null)).isEqualTo("watch||v1|pods||default|");
    assertThat(read("GET", "/api/v1/namespaces/default/pods", "false", null)).isEqualTo("list||v1|pods||default|");
    assertThat(read("GET", "/api/v1/namespaces/default/pods/web")).isEqualTo("get||v1|pods||default|web");
    assertThat(read("GET", "/api/v1/namespaces/default/pods/web/log")).isEqualTo("get||v1|pods|log|default|web");
    assertThat(read("POST", "/api/v1/namespaces/default/pods")).isEqualTo("create||v1|pods||default|");
    assertThat(read("PUT", "/apis/apps/v1/namespaces/a/deployments/d/scale")).isEqualTo("update|apps|v1|deployments|scale|a|d");
    assertThat(read("PATCH", "/apis/apps/v1/namespaces/a/deployments/d")).isEqualTo("patch|apps|v1|deployments||a|d");
    assertThat(read("DELETE", "/api/v1/namespaces/a/pods/p")).isEqualTo("delete||v1|pods||a|p");
    assertThat(read("DELETE", "/api/v1/namespaces/a/pods")).isEqualTo("deletecollection||v1|pods||a|");
    assertThat(read("GET", "/api/v1/nodes")).isEqualTo("list||v1|nodes|||");
    assertThat(read("GET", "/apis/apps/v1/deployments")).isEqualTo("list|apps|v1|deployments|||");
  }

  @Test
  void namespacesAreTheirOwnNamespace() {
    assertThat(read("GET", "/api/v1/namespaces/a")).isEqualTo("get||v1|namespaces||a|a");
    assertThat(read("PUT", "/api/v1/namespaces/a/finalize")).isEqualTo("update||v1|namespaces|finalize|a|a");
    assertThat(read("GET", "/api/v1/namespaces")).isEqualTo("list||v1|namespaces|||");
  }

  @Test
  void aListOfOneNameIsAuthorizedOnThatName() {
    assertThat(read("GET", "/api/v1/namespaces/a/secrets", "1", "metadata.name=s")).isEqualTo("watch||v1|secrets||a|s");
    assertThat(read("GET", "/api/v1/namespaces/a/secrets", null, "metadata.name=s,type=x")).isEqualTo("list||v1|secrets||a|");
  }

  @Test
  void sessionsIntoAPodAreCreates() {
    assertThat(read("GET", "/api/v1/namespaces/a/pods/p/exec")).isEqualTo("create||v1|pods|exec|a|p");
    assertThat(read("GET", "/api/v1/namespaces/a/pods/p/portforward")).isEqualTo("create||v1|pods|portforward|a|p");
    assertThat(read("GET", "/api/v1/namespaces/a/pods/p/proxy/metrics")).isEqualTo("get||v1|pods|proxy|a|p");
  }

  @Test
  void discoveryAndTheRestArePaths() {
    assertThat(read("GET", "/api")).isEqualTo("path|get|/api");
    assertThat(read("GET", "/api/v1")).isEqualTo("path|get|/api/v1");
    assertThat(read("GET", "/apis/apps/v1")).isEqualTo("path|get|/apis/apps/v1");
    assertThat(read("GET", "/openapi/v3/api/v1")).isEqualTo("path|get|/openapi/v3/api/v1");
    assertThat(read("GET", "/healthz")).isEqualTo("path|get|/healthz");
  }

  @Test
  void refusalsAreWordedAsKubeApiserverWordsThem() {
    ApiException e = RequestAttributes.forbidden(RequestAttributes.of(JANE, "GET", "/api/v1/namespaces/default/pods", null, null), "");
    assertThat(e.code).isEqualTo(403);
    assertThat(e.getMessage()).isEqualTo(
        "pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"");
    assertThat(RequestAttributes.forbidden(RequestAttributes.of(JANE, "DELETE", "/apis/apps/v1/namespaces/a/deployments/d", null, null),
        "RBAC: role.rbac.authorization.k8s.io \"x\" not found").getMessage()).isEqualTo(
        "deployments.apps \"d\" is forbidden: User \"jane\" cannot delete resource \"deployments\" in API group \"apps\" "
            + "in the namespace \"a\": RBAC: role.rbac.authorization.k8s.io \"x\" not found");
    assertThat(RequestAttributes.forbidden(RequestAttributes.of(JANE, "GET", "/api/v1/nodes/n1/proxy/stats", null, null), "")
        .getMessage()).isEqualTo(
        "nodes \"n1\" is forbidden: User \"jane\" cannot get resource \"nodes/proxy\" in API group \"\" at the cluster scope");
    assertThat(RequestAttributes.forbidden(RequestAttributes.of(JANE, "GET", "/metrics", null, null), "").getMessage())
        .isEqualTo("forbidden: User \"jane\" cannot get path \"/metrics\"");
  }
}
