package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.IpAddresses;
import io.kubeactor.controlplane.api.Syntax;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Ingresses and IngressClasses as pkg/apis/networking/validation of Kubernetes v1.32 checks them
 * (ValidateIngressCreate, ValidateIngressUpdate, ValidateIngressClass, ValidateIngressClassUpdate),
 * in the same order and with the same messages.
 */
public final class NetworkingValidation {
  private NetworkingValidation() {}

  private static final FieldPath SPEC = FieldPath.root("spec");
  private static final String INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
  private static final int MAX_CONTROLLER_LENGTH = 250;
  private static final List<String> PATH_TYPES = List.of("Exact", "ImplementationSpecific", "Prefix");
  private static final List<String> INVALID_PATH_SEQUENCES = List.of("//", "/./", "/../", "%2f", "%2F");
  private static final List<String> INVALID_PATH_SUFFIXES = List.of("/..", "/.");
  private static final List<String> PARAMETER_SCOPES = List.of("Cluster", "Namespace");

  private static final String WILDCARD_FMT = "\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  private static final Pattern WILDCARD = Pattern.compile(WILDCARD_FMT);
  private static final String WILDCARD_MSG = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
      + "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
  private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
  private static final Pattern HTTP_PATH = Pattern.compile(HTTP_PATH_FMT);

  /** What an Ingress must satisfy on create and update; old is null on create. */
  public static void ingress(JsonNode ingress, JsonNode old, FieldErrors errors) {
    // Objects stored before a rule was tightened keep validating (the "allowInvalid..." options).
    boolean allowInvalidSecretName = old != null && tlsList(old).stream().anyMatch(NetworkingValidation::hasInvalidSecretName);
    boolean allowInvalidWildcardHostRule = old != null && Nodes.objects(old.path("spec"), "rules").stream()
        .anyMatch(r -> text(r, "host").contains("*") && hasInvalidRuleValue(r));
    JsonNode spec = ingress.path("spec");
    List<ObjectNode> rules = Nodes.objects(spec, "rules");
    if (rules.isEmpty() && Nodes.absent(spec.get("defaultBackend"))) {
      errors.invalid(SPEC, new GoValue.Literal(Nodes.absent(spec.get("rules")) ? "[]networking.IngressRule(nil)" : "[]networking.IngressRule{}"),
          "either `defaultBackend` or `rules` must be specified");
    }
    if (!Nodes.absent(spec.get("defaultBackend"))) backend(spec.get("defaultBackend"), SPEC.child("defaultBackend"), errors);
    for (int i = 0; i < rules.size(); i++) {
      ObjectNode rule = rules.get(i);
      FieldPath idx = SPEC.child("rules").index(i);
      String host = text(rule, "host");
      boolean wildcard = false;
      if (!host.isEmpty()) {
        if (IpAddresses.isValid(host)) errors.invalid(idx.child("host"), host, "must be a DNS name, not an IP address");
        if (host.contains("*")) {
          errors.invalidEach(idx.child("host"), host, wildcardDns1123Subdomain(host));
          wildcard = true;
        } else {
          errors.invalidEach(idx.child("host"), host, Syntax.dns1123Subdomain(host));
        }
      }
      if (!wildcard || !allowInvalidWildcardHostRule) {
        FieldErrors ruleErrors = new FieldErrors();
        ruleValue(rule, idx, ruleErrors);
        errors.addAll(ruleErrors);
      }
    }
    List<ObjectNode> tls = tlsList(ingress);
    for (int t = 0; t < tls.size(); t++) {
      FieldPath idx = SPEC.child("tls").index(t);
      List<String> hosts = MetadataValidation.strings(tls.get(t).get("hosts"));
      for (int h = 0; h < hosts.size(); h++) {
        String host = hosts.get(h);
        List<String> msgs = host.contains("*") ? wildcardDns1123Subdomain(host) : Syntax.dns1123Subdomain(host);
        errors.invalidEach(idx.child("hosts").index(h), host, msgs);
      }
      if (!allowInvalidSecretName) {
        String secret = text(tls.get(t), "secretName");
        if (!secret.isEmpty()) errors.invalidEach(idx.child("secretName"), secret, Syntax.dns1123Subdomain(secret));
      }
    }
    if (Nodes.has(spec, "ingressClassName")) {
      String className = text(spec, "ingressClassName");
      errors.invalidEach(SPEC.child("ingressClassName"), className, Syntax.dns1123Subdomain(className));
    }
    JsonNode annotations = ingress.path("metadata").path("annotations");
    if (old == null && annotations.has(INGRESS_CLASS_ANNOTATION) && Nodes.has(spec, "ingressClassName")
        && !text(annotations, INGRESS_CLASS_ANNOTATION).equals(text(spec, "ingressClassName"))) {
      // Kubernetes names this path without its "metadata." prefix.
      errors.invalid(FieldPath.root("annotations").child(INGRESS_CLASS_ANNOTATION), text(annotations, INGRESS_CLASS_ANNOTATION),
          "must match `ingressClassName` when both are specified");
    }
  }

  private static List<ObjectNode> tlsList(JsonNode ingress) {
    return Nodes.objects(ingress.path("spec"), "tls");
  }

  private static boolean hasInvalidSecretName(JsonNode tls) {
    String secret = text(tls, "secretName");
    return !secret.isEmpty() && !Syntax.dns1123Subdomain(secret).isEmpty();
  }

  private static boolean hasInvalidRuleValue(JsonNode rule) {
    FieldErrors errors = new FieldErrors();
    ruleValue(rule, FieldPath.root(""), errors);
    return errors.size() > 0;
  }

  /** validateIngressRuleValue: an http rule needs paths, each with a pathType, a valid path and a backend. */
  private static void ruleValue(JsonNode rule, FieldPath path, FieldErrors errors) {
    JsonNode http = rule.get("http");
    if (Nodes.absent(http)) return;
    FieldPath httpPath = path.child("http");
    List<ObjectNode> paths = Nodes.objects(http, "paths");
    if (paths.isEmpty()) errors.required(httpPath.child("paths"), "");
    for (int i = 0; i < paths.size(); i++) httpPath(paths.get(i), httpPath.child("paths").index(i), errors);
  }

  private static void httpPath(JsonNode httpPath, FieldPath path, FieldErrors errors) {
    if (!Nodes.has(httpPath, "pathType")) {
      errors.required(path.child("pathType"), "pathType must be specified");
      return;
    }
    String pathType = text(httpPath, "pathType");
    String value = text(httpPath, "path");
    switch (pathType) {
      case "Exact", "Prefix" -> {
        if (!value.startsWith("/")) errors.invalid(path.child("path"), value, "must be an absolute path");
        if (!value.isEmpty()) {
          for (String sequence : INVALID_PATH_SEQUENCES) {
            if (value.contains(sequence)) errors.invalid(path.child("path"), value, "must not contain '" + sequence + "'");
          }
          for (String suffix : INVALID_PATH_SUFFIXES) {
            if (value.endsWith(suffix)) errors.invalid(path.child("path"), value, "cannot end with '" + suffix + "'");
          }
        }
      }
      case "ImplementationSpecific" -> {
        if (!value.isEmpty() && !value.startsWith("/")) errors.invalid(path.child("path"), value, "must be an absolute path");
      }
      default -> errors.notSupported(path.child("pathType"), pathType, PATH_TYPES);
    }
    backend(httpPath.path("backend"), path.child("backend"), errors);
  }

  /** validateIngressBackend: a service (name and port) or a resource, never both. */
  private static void backend(JsonNode backend, FieldPath path, FieldErrors errors) {
    JsonNode resource = backend.get("resource");
    JsonNode service = backend.get("service");
    boolean hasResource = !Nodes.absent(resource);
    boolean hasService = !Nodes.absent(service);
    if (hasResource && hasService) {
      errors.invalid(path, "", "cannot set both resource and service backends");
    } else if (hasResource) {
      typedLocalObjectReference(resource, path.child("resource"), errors);
    } else if (hasService) {
      String name = text(service, "name");
      FieldPath servicePath = path.child("service");
      if (name.isEmpty()) errors.required(servicePath.child("name"), "");
      else errors.invalidEach(servicePath.child("name"), name, Syntax.NameRule.DNS1035_LABEL.check(name, false));
      JsonNode port = service.path("port");
      String portName = text(port, "name");
      long portNumber = Nodes.number(port, "number");
      if (!portName.isEmpty() && portNumber != 0) {
        errors.invalid(path, "", "cannot set both port name & port number");
      } else if (!portName.isEmpty()) {
        errors.invalidEach(servicePath.child("port").child("name"), portName, Syntax.portName(portName));
      } else if (portNumber != 0) {
        errors.invalidEach(servicePath.child("port").child("number"), portNumber, Syntax.portNumber(portNumber));
      } else {
        errors.required(path, "port name or number is required");
      }
    } else {
      errors.invalid(path, "", "resource or service backend is required");
    }
  }

  private static void typedLocalObjectReference(JsonNode reference, FieldPath path, FieldErrors errors) {
    if (Nodes.has(reference, "apiGroup")) {
      String group = text(reference, "apiGroup");
      errors.invalidEach(path.child("apiGroup"), group, Syntax.dns1123Subdomain(group));
    }
    for (String field : List.of("kind", "name")) {
      String value = text(reference, field);
      if (value.isEmpty()) errors.required(path.child(field), "");
      else errors.invalidEach(path.child(field), value, pathSegmentName(value));
    }
  }

  /**
   * ValidateIngressLoadBalancerStatus, as ValidateIngressStatusUpdate runs it (the metadata is
   * checked by the caller): what an ingress controller reports as its addresses.
   */
  public static void ingressStatus(JsonNode ingress, FieldErrors errors) {
    FieldPath ingressPath = FieldPath.root("status").child("loadBalancer").child("ingress");
    List<ObjectNode> points = Nodes.objects(ingress.path("status").path("loadBalancer"), "ingress");
    for (int i = 0; i < points.size(); i++) {
      ObjectNode point = points.get(i);
      FieldPath path = ingressPath.index(i);
      String ip = text(point, "ip");
      if (!ip.isEmpty() && !IpAddresses.isValid(ip)) errors.invalid(path.child("ip"), ip, IpAddresses.INVALID_IP);
      String hostname = text(point, "hostname");
      if (!hostname.isEmpty()) {
        errors.invalidEach(path.child("hostname"), hostname, Syntax.dns1123Subdomain(hostname));
        if (IpAddresses.isValid(hostname)) errors.invalid(path.child("hostname"), hostname, "must be a DNS name, not an IP address");
      }
    }
  }

  /** ValidateIngressClass, and on update the controller that may not change. */
  public static void ingressClass(JsonNode ingressClass, JsonNode old, FieldErrors errors) {
    JsonNode spec = ingressClass.path("spec");
    FieldPath controllerPath = SPEC.child("controller");
    String controller = text(spec, "controller");
    if (old != null && !controller.equals(text(old.path("spec"), "controller"))) {
      errors.invalid(controllerPath, controller, Syntax.FIELD_IMMUTABLE);
    }
    if (Syntax.length(controller) > MAX_CONTROLLER_LENGTH) errors.tooLong(controllerPath, MAX_CONTROLLER_LENGTH);
    domainPrefixedPath(controllerPath, controller, errors);
    JsonNode parameters = spec.get("parameters");
    if (!Nodes.absent(parameters)) parametersReference(parameters, SPEC.child("parameters"), errors);
  }

  private static void parametersReference(JsonNode parameters, FieldPath path, FieldErrors errors) {
    typedLocalObjectReference(parameters, path, errors);
    if (!Nodes.has(parameters, "scope")) {
      errors.required(path.child("scope"), "");
      return;
    }
    String scope = text(parameters, "scope");
    if (!PARAMETER_SCOPES.contains(scope)) {
      errors.notSupported(path.child("scope"), scope, PARAMETER_SCOPES);
      return;
    }
    boolean hasNamespace = Nodes.has(parameters, "namespace");
    if (scope.equals("Namespace")) {
      if (!hasNamespace) {
        errors.required(path.child("namespace"), "`parameters.scope` is set to 'Namespace'");
      } else {
        String namespace = text(parameters, "namespace");
        errors.invalidEach(path.child("namespace"), namespace, Syntax.NameRule.DNS1123_LABEL.check(namespace, false));
      }
    }
    if (scope.equals("Cluster") && hasNamespace) errors.forbidden(path.child("namespace"), "`parameters.scope` is set to 'Cluster'");
  }

  /** IsDomainPrefixedPath: "acme.io/foo", a DNS subdomain, a slash and an HTTP path. */
  private static void domainPrefixedPath(FieldPath path, String value, FieldErrors errors) {
    if (value.isEmpty()) {
      errors.required(path, "");
      return;
    }
    int slash = value.indexOf('/');
    if (slash <= 0 || slash == value.length() - 1) {
      errors.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")");
      return;
    }
    String host = value.substring(0, slash);
    errors.invalidEach(path, host, Syntax.dns1123Subdomain(host));
    String rest = value.substring(slash + 1);
    if (!HTTP_PATH.matcher(rest).matches()) errors.invalid(path, rest, Syntax.regexError("Invalid path", HTTP_PATH_FMT));
  }

  /** IsWildcardDNS1123Subdomain: "*." and a DNS subdomain. */
  static List<String> wildcardDns1123Subdomain(String value) {
    List<String> errs = new ArrayList<>();
    if (Syntax.length(value) > Syntax.DNS1123_SUBDOMAIN_MAX) errs.add(Syntax.maxLenError(Syntax.DNS1123_SUBDOMAIN_MAX));
    if (!WILDCARD.matcher(value).matches()) errs.add(Syntax.regexError(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"));
    return errs;
  }

  /** IsValidPathSegmentName: what may stand between two slashes of a URL path. */
  static List<String> pathSegmentName(String name) {
    if (name.equals(".") || name.equals("..")) return List.of("may not be '" + name + "'");
    List<String> errs = new ArrayList<>();
    if (name.contains("/")) errs.add("may not contain '/'");
    if (name.contains("%")) errs.add("may not contain '%'");
    return errs;
  }
}
