package io.kubeactor.ingress.config;

import static io.kubeactor.ingress.config.Fixtures.A;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.ingress.config.IngressAnnotations.BackendProtocol;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationParserTest {

  private static AnnotationParser.Result parse(String... keysAndValues) {
    Map<String, String> annotations = new java.util.HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      annotations.put(A + keysAndValues[i], keysAndValues[i + 1]);
    }
    return AnnotationParser.parse(annotations);
  }

  @Test
  void absentAnnotationsAreUpstreamDefaults() {
    var result = parse();
    assertThat(result.annotations()).isEqualTo(IngressAnnotations.DEFAULTS);
    assertThat(result.problems()).isEmpty();
    assertThat(result.annotations().sslRedirect()).isTrue();
    assertThat(result.annotations().proxyBodySize()).isEqualTo("1m");
  }

  @Test
  void goodValuesAreParsed() {
    var a =
        parse(
                "rewrite-target", "/$2",
                "use-regex", "True",
                "ssl-redirect", "false",
                "force-ssl-redirect", "1",
                "backend-protocol", "grpcs",
                "proxy-body-size", "8m",
                "proxy-read-timeout", "120",
                "proxy-connect-timeout", "7",
                "proxy-send-timeout", "30",
                "whitelist-source-range", "10.0.0.0/8, 192.168.1.1,::1/128")
            .annotations();
    assertThat(a.rewriteTarget()).isEqualTo("/$2");
    assertThat(a.useRegex()).isTrue();
    assertThat(a.sslRedirect()).isFalse();
    assertThat(a.forceSslRedirect()).isTrue();
    assertThat(a.backendProtocol()).isEqualTo(BackendProtocol.GRPCS);
    assertThat(a.proxyBodySize()).isEqualTo("8m");
    assertThat(a.proxyReadTimeout()).isEqualTo(120);
    assertThat(a.proxyConnectTimeout()).isEqualTo(7);
    assertThat(a.proxySendTimeout()).isEqualTo(30);
    assertThat(a.allowSourceRange()).containsExactly("10.0.0.0/8", "192.168.1.1", "::1/128");
  }

  @Test
  void aBadValueIsAProblemWithUpstreamsWordingAndKeepsTheDefault() {
    var result = parse("proxy-body-size", "10 megs", "backend-protocol", "SMTP", "ssl-redirect", "yes", "proxy-read-timeout", "1m");
    assertThat(result.annotations().proxyBodySize()).isEqualTo("1m");
    assertThat(result.annotations().backendProtocol()).isEqualTo(BackendProtocol.HTTP);
    assertThat(result.annotations().sslRedirect()).isTrue();
    assertThat(result.annotations().proxyReadTimeout()).isEqualTo(60);
    assertThat(result.problems())
        .containsExactlyInAnyOrder(
            "annotation nginx.ingress.kubernetes.io/proxy-body-size contains invalid value 10 megs",
            "annotation nginx.ingress.kubernetes.io/backend-protocol contains invalid value SMTP",
            "annotation nginx.ingress.kubernetes.io/ssl-redirect contains invalid value yes",
            "annotation nginx.ingress.kubernetes.io/proxy-read-timeout contains invalid value 1m");
  }

  @Test
  void aRewriteTargetNamingAVariableIsRefused() {
    var result = parse("rewrite-target", "/$host");
    assertThat(result.annotations().rewriteTarget()).isNull();
    assertThat(result.problems()).containsExactly("annotation nginx.ingress.kubernetes.io/rewrite-target contains invalid value /$host");
  }

  @Test
  void aBadAllowlistDeniesTheLocationsAsUpstream() {
    var result = parse("allowlist-source-range", "10.0.0.0/33", "whitelist-source-range", "0.0.0.0/0");
    assertThat(result.annotations().allowlistInvalid()).isTrue();
    assertThat(result.problems())
        .containsExactly("annotation nginx.ingress.kubernetes.io/allowlist-source-range contains invalid value 10.0.0.0/33");
  }

  @Test
  void cookieAffinity() {
    var affinity = parse("affinity", "cookie", "session-cookie-name", "route", "session-cookie-max-age", "3600").annotations().affinity();
    assertThat(affinity.cookieName()).isEqualTo("route");
    assertThat(affinity.maxAge()).isEqualTo(3600L);
    assertThat(parse("affinity", "cookie").annotations().affinity().cookieName()).isEqualTo("INGRESSCOOKIE");
    var bad = parse("affinity", "ip");
    assertThat(bad.annotations().affinity()).isNull();
    assertThat(bad.problems()).containsExactly("annotation nginx.ingress.kubernetes.io/affinity contains invalid value ip");
  }

  @Test
  void canary() {
    var canary =
        parse("canary", "true", "canary-by-header", "X-Canary", "canary-by-header-pattern", "^(v2|beta)$", "canary-weight", "5", "canary-weight-total", "1000")
            .annotations()
            .canary();
    assertThat(canary.header()).isEqualTo("X-Canary");
    assertThat(canary.headerPattern()).isEqualTo("^(v2|beta)$");
    assertThat(canary.weight()).isEqualTo(5);
    assertThat(canary.weightTotal()).isEqualTo(1000);
    assertThat(parse("canary", "false").annotations().canary()).isNull();
  }

  @Test
  void canaryConfiguredButNotEnabledIsAnOrdinaryIngressWithUpstreamsError() {
    var result = parse("canary-weight", "50");
    assertThat(result.annotations().canary()).isNull();
    assertThat(result.problems())
        .containsExactly("the annotation canary does not contain a valid configuration: configured but not enabled");
  }

  @Test
  void badCanaryValues() {
    var result = parse("canary", "true", "canary-weight", "ten", "canary-by-header-pattern", "(unclosed");
    assertThat(result.annotations().canary().weight()).isZero();
    assertThat(result.annotations().canary().headerPattern()).isEmpty();
    assertThat(result.problems())
        .containsExactlyInAnyOrder(
            "canary-weight is invalid, defaulting to '0'",
            "annotation nginx.ingress.kubernetes.io/canary-by-header-pattern contains invalid value (unclosed");
  }
}
