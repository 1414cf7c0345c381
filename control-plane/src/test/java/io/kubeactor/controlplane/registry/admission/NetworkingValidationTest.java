package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
import org.junit.jupiter.api.Test;

class NetworkingValidationTest {

  private static String ingress(String spec) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2);
  }

  private static String rule(String path) {
    return ingress("""
        rules:
        - host: example.com
          http:
            paths:
            - %s
        """.formatted(path));
  }

  private static String ingressClass(String spec) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: IngressClass
        metadata: {name: nginx}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void anIngressWithValidRulesIsValid() {
    assertThat(create(ingress("""
        ingressClassName: nginx
        defaultBackend: {service: {name: fallback, port: {name: http}}}
        tls: [{hosts: [example.com, '*.example.com'], secretName: example-tls}]
        rules:
        - host: '*.example.com'
          http:
            paths:
            - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
            - {path: /exact/v1, pathType: Exact, backend: {service: {name: web, port: {number: 65535}}}}
            - {pathType: ImplementationSpecific, backend: {resource: {apiGroup: k8s.example.com, kind: StorageBucket, name: assets}}}
        """))).isEmpty();
  }

  @Test
  void anIngressNeedsRulesOrADefaultBackend() {
    assertThat(create(ingress("{}"))).containsExactly(new ApiException.Cause("FieldValueInvalid",
        "Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified", "spec"));
    assertThat(printed(create(ingress("rules: []")))).containsExactly(
        "spec: Invalid value: []networking.IngressRule{}: either `defaultBackend` or `rules` must be specified");
  }

  @Test
  void aPathTypeIsRequiredAndMustBeKnown() {
    assertThat(create(rule("{path: /, backend: {service: {name: web, port: {number: 80}}}}"))).containsExactly(new ApiException.Cause(
        "FieldValueRequired", "Required value: pathType must be specified", "spec.rules[0].http.paths[0].pathType"));
    // an unknown type says nothing of the path, relative or not
    assertThat(create(rule("{path: foo, pathType: Bogus, backend: {service: {name: web, port: {number: 80}}}}"))).containsExactly(
        new ApiException.Cause("FieldValueNotSupported",
            "Unsupported value: \"Bogus\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
            "spec.rules[0].http.paths[0].pathType"));
  }

  @Test
  void pathsMustBeAbsoluteAndCleanForTheirPathType() {
    assertThat(printed(create(rule("{path: foo, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].path: Invalid value: \"foo\": must be an absolute path");
    assertThat(printed(create(rule("{pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].path: Invalid value: \"\": must be an absolute path");
    assertThat(printed(create(rule("{path: /a//b/.., pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": must not contain '//'",
        "spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/..\": cannot end with '/..'");
    assertThat(printed(create(rule("{path: foo, pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}"))))
        .containsExactly("spec.rules[0].http.paths[0].path: Invalid value: \"foo\": must be an absolute path");
    // ImplementationSpecific leaves the path's content to the controller
    assertThat(create(rule("{path: '/a//b/..', pathType: ImplementationSpecific, backend: {service: {name: web, port: {number: 80}}}}")))
        .isEmpty();
  }

  @Test
  void aServiceBackendNeedsANameAndOnePortInRange() {
    assertThat(printed(create(rule("{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 70000}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertThat(printed(create(rule("{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: -1}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: -1: must be between 1 and 65535, inclusive");
    assertThat(printed(create(rule("{path: /, pathType: Prefix, backend: {service: {name: web, port: {name: HTTP_1}}}}")))).containsExactly(
        "spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: \"HTTP_1\": "
            + "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: \"HTTP_1\": must contain at least one letter (a-z)");
    assertThat(printed(create(rule("{path: /, pathType: Prefix, backend: {service: {name: 1web, port: {name: http, number: 80}}}}"))))
        .containsExactly(
            "spec.rules[0].http.paths[0].backend.service.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case "
                + "alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character "
                + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number");
    assertThat(printed(create(ingress("defaultBackend: {service: {port: {number: 80}}}")))).containsExactly(
        "spec.defaultBackend.service.name: Required value");
    assertThat(printed(create(ingress("defaultBackend: {service: {name: web}}")))).containsExactly(
        "spec.defaultBackend: Required value: port name or number is required");
    assertThat(printed(create(ingress("defaultBackend: {}")))).containsExactly(
        "spec.defaultBackend: Invalid value: \"\": resource or service backend is required");
    assertThat(printed(create(ingress("defaultBackend: {service: {name: web, port: {number: 1}}, resource: {kind: A, name: b}}"))))
        .containsExactly("spec.defaultBackend: Invalid value: \"\": cannot set both resource and service backends");
    assertThat(printed(create(ingress("defaultBackend: {resource: {kind: 'a/b', name: '..'}}")))).containsExactly(
        "spec.defaultBackend.resource.kind: Invalid value: \"a/b\": may not contain '/'",
        "spec.defaultBackend.resource.name: Invalid value: \"..\": may not be '..'");
  }

  @Test
  void hostsAreDnsNamesOrWildcards() {
    assertThat(printed(create(ingress("""
        rules:
        - host: 10.0.0.1
        - host: 'foo.*.com'
        - host: Example.com
        tls: [{hosts: ['*'], secretName: Bad_Secret}]
        """)))).containsExactly(
        "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
        "spec.rules[1].host: Invalid value: \"foo.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            + "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character "
            + "(e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.rules[2].host: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.tls[0].hosts[0]: Invalid value: \"*\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
            + "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character "
            + "(e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.tls[0].secretName: Invalid value: \"Bad_Secret\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }

  @Test
  void anHttpRuleNeedsPaths() {
    assertThat(printed(create(ingress("rules: [{host: example.com, http: {paths: []}}]")))).containsExactly(
        "spec.rules[0].http.paths: Required value");
    // a rule without http is a host-only rule and valid
    assertThat(create(ingress("rules: [{host: example.com}]"))).isEmpty();
  }

  @Test
  void theClassAnnotationMustAgreeWithIngressClassNameOnCreate() {
    String both = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: default, annotations: {kubernetes.io/ingress.class: traefik}}
        spec: {ingressClassName: nginx, defaultBackend: {service: {name: web, port: {number: 80}}}}
        """;
    assertThat(printed(create(both))).containsExactly(
        "annotations.kubernetes.io/ingress.class: Invalid value: \"traefik\": must match `ingressClassName` when both are specified");
    assertThat(update(both, both)).isEmpty();
    assertThat(create(both.replace("traefik", "nginx"))).isEmpty();
  }

  @Test
  void anUpdateKeepsInvalidSecretNamesAndWildcardRulesItAlreadyHad() {
    String stored = ingress("""
        tls: [{secretName: Old_Secret}]
        rules: [{host: '*.example.com', http: {paths: [{path: relative, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
        """);
    assertThat(update(stored, stored)).isEmpty();
    assertThat(create(stored)).hasSize(2);
  }

  @Test
  void anIngressClassNamesAControllerByDomainPrefixedPath() {
    assertThat(create(ingressClass("controller: k8s.io/ingress-nginx"))).isEmpty();
    assertThat(create(ingressClass("controller: example.com/a/b-c:~"))).isEmpty();
    assertThat(create(ingressClass("{}"))).containsExactly(new ApiException.Cause("FieldValueRequired", "Required value", "spec.controller"));
    assertThat(printed(create(ingressClass("controller: nginx")))).containsExactly(
        "spec.controller: Invalid value: \"nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")");
    assertThat(printed(create(ingressClass("controller: example.com/")))).containsExactly(
        "spec.controller: Invalid value: \"example.com/\": must be a domain-prefixed path (such as \"acme.io/foo\")");
    assertThat(printed(create(ingressClass("controller: Example.com/a b")))).containsExactly(
        "spec.controller: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')");
    assertThat(printed(create(ingressClass("controller: example.com/" + "x".repeat(240))))).containsExactly(
        "spec.controller: Too long: may not be more than 250 bytes");
  }

  @Test
  void anIngressClassControllerIsImmutable() {
    assertThat(printed(update(ingressClass("controller: k8s.io/ingress-nginx"), ingressClass("controller: k8s.io/other"))))
        .containsExactly("spec.controller: Invalid value: \"k8s.io/other\": field is immutable");
  }

  @Test
  void ingressClassParametersNeedAScopeThatFitsTheNamespace() {
    assertThat(create(ingressClass("controller: k8s.io/x\nparameters: {apiGroup: k8s.example.com, kind: Params, name: p, scope: Cluster}")))
        .isEmpty();
    assertThat(create(ingressClass("controller: k8s.io/x\nparameters: {kind: Params, name: p, scope: Namespace, namespace: default}")))
        .isEmpty();
    assertThat(printed(create(ingressClass("controller: k8s.io/x\nparameters: {kind: Params, name: p}")))).containsExactly(
        "spec.parameters.scope: Required value");
    assertThat(printed(create(ingressClass("controller: k8s.io/x\nparameters: {name: p, scope: Global}")))).containsExactly(
        "spec.parameters.kind: Required value",
        "spec.parameters.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespace\"");
    assertThat(printed(create(ingressClass("controller: k8s.io/x\nparameters: {kind: Params, name: p, scope: Namespace}")))).containsExactly(
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'");
    assertThat(printed(create(ingressClass("controller: k8s.io/x\nparameters: {kind: Params, name: p, scope: Cluster, namespace: a}"))))
        .containsExactly("spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'");
  }
}
