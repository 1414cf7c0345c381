package io.kubeactor.controlplane.security.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.security.audit.AuditPolicy.GroupResources;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Rule;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an audit.k8s.io/v1 Policy from YAML or JSON as kube-apiserver's --audit-policy-file
 * (k8s.io/apiserver pkg/audit/policy/reader.go and pkg/apis/audit/validation): unknown fields are
 * warned about and ignored (its lenient fallback); a document that does not decode, another
 * apiVersion or kind, an invalid rule or no rule at all is refused with kube-apiserver's one line,
 * e.g. {@code loading audit policy file: rules[0].level: Unsupported value: "Verbose": supported
 * values: "None", "Metadata", "Request", "RequestResponse": from file /etc/audit.yaml}.
 */
public final class AuditPolicyReader {

  private static final Logger log = LoggerFactory.getLogger(AuditPolicyReader.class);
  private static final String API_VERSION = "audit.k8s.io/v1";
  private static final String DEFAULT_POLICY = "default-audit-policy.yaml";

  private static final Set<String> POLICY_FIELDS = Set.of("apiVersion", "kind", "metadata", "rules", "omitStages",
      "omitManagedFields");
  private static final Set<String> RULE_FIELDS = Set.of("level", "users", "userGroups", "verbs", "resources",
      "namespaces", "nonResourceURLs", "omitStages", "omitManagedFields");
  private static final Set<String> GROUP_RESOURCE_FIELDS = Set.of("group", "resources", "resourceNames");

  private AuditPolicyReader() {}

  /** A policy file, or IllegalArgumentException with the line kube-apiserver would exit with. */
  public static AuditPolicy read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw refused("failed to read file path \"" + file + "\": open " + file + ": " + FileErrors.reason(e));
    }
    try {
      return parse(bytes);
    } catch (InvalidPolicy e) {
      throw refused(e.getMessage() + ": from file " + file);
    }
  }

  /** The policy used when auditing is switched on without a policy file: Metadata for every request. */
  public static AuditPolicy defaultPolicy() {
    try (InputStream in = AuditPolicyReader.class.getResourceAsStream(DEFAULT_POLICY)) {
      if (in == null) throw new IllegalStateException(DEFAULT_POLICY + " is missing from the classpath");
      return parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Thrown for a policy that does not decode or validate; the message is upstream's, without the file. */
  static final class InvalidPolicy extends RuntimeException {
    InvalidPolicy(String message) {
      super(message, null, false, false);
    }
  }

  static AuditPolicy parse(byte[] bytes) {
    JsonNode tree = decode(bytes);
    List<String> unknown = new ArrayList<>();
    Policy p = new Policy(tree, unknown);
    if (!unknown.isEmpty()) {
      log.warn("Audit policy contains errors, falling back to lenient decoding: strict decoding error: {}",
          String.join(", ", unknown));
    }
    List<String> errors = new ArrayList<>();
    p.validate(errors);
    if (!errors.isEmpty()) throw new InvalidPolicy(errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]");
    if (p.rules.isEmpty()) throw new InvalidPolicy("loaded illegal policy with 0 rules");
    return p.build();
  }

  private static JsonNode decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = text.stripLeading().startsWith("{") ? Json.MAPPER.readTree(bytes) : Json.YAML.readTree(bytes);
    } catch (IOException e) {
      String reason = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new InvalidPolicy("failed decoding: " + firstLine(reason));
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new InvalidPolicy("failed decoding: Object 'Kind' is missing in '" + firstLine(text.strip()) + "'");
    }
    if (!tree.isObject()) {
      throw new InvalidPolicy("failed decoding: couldn't get version/kind; json parse error: json: cannot unmarshal "
          + jsonType(tree) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
          + "Kind string \"json:\\\"kind,omitempty\\\"\" }");
    }
    String kind = tree.path("kind").asText("");
    String apiVersion = tree.path("apiVersion").asText("");
    if (kind.isEmpty()) throw new InvalidPolicy("failed decoding: Object 'Kind' is missing in '" + compact(tree) + "'");
    if (apiVersion.isEmpty()) {
      throw new InvalidPolicy("failed decoding: Object 'apiVersion' is missing in '" + compact(tree) + "'");
    }
    if (!apiVersion.equals(API_VERSION) || !kind.equals("Policy")) {
      throw new InvalidPolicy("failed decoding: no kind \"" + kind + "\" is registered for version \"" + apiVersion + "\"");
    }
    return tree;
  }

  /** The policy's fields as written, before validation. */
  private static final class Policy {
    final List<RuleFields> rules = new ArrayList<>();
    final List<String> omitStages;
    final boolean omitManagedFields;

    Policy(JsonNode tree, List<String> unknown) {
      unknownFields(tree, POLICY_FIELDS, "", unknown);
      JsonNode r = field(tree, "rules", "Policy", "[]v1.PolicyRule", JsonNode::isArray);
      if (r != null) {
        for (int i = 0; i < r.size(); i++) rules.add(new RuleFields(r.get(i), "rules[" + i + "]", unknown));
      }
      omitStages = strings(tree, "omitStages", "Policy", "[]v1.Stage");
      JsonNode omit = field(tree, "omitManagedFields", "Policy", "bool", JsonNode::isBoolean);
      omitManagedFields = omit != null && omit.booleanValue();
    }

    void validate(List<String> errors) {
      validateOmitStages(omitStages, "omitStages", errors);
      rules.forEach(r -> r.validate(errors));
    }

    AuditPolicy build() {
      return new AuditPolicy(rules.stream().map(RuleFields::build).toList(), stages(omitStages), omitManagedFields);
    }
  }

  private static final class RuleFields {
    final String path;
    final String level;
    final List<String> users;
    final List<String> userGroups;
    final List<String> verbs;
    final List<GroupResources> resources = new ArrayList<>();
    final List<String> namespaces;
    final List<String> nonResourceURLs;
    final List<String> omitStages;
    final Boolean omitManagedFields;

    RuleFields(JsonNode rule, String path, List<String> unknown) {
      this.path = path;
      if (!rule.isObject()) throw typeError(rule, "Policy", "rules", "v1.PolicyRule");
      unknownFields(rule, RULE_FIELDS, path + ".", unknown);
      JsonNode l = field(rule, "level", "PolicyRule", "v1.Level", JsonNode::isTextual);
      level = l == null ? "" : l.textValue();
      users = strings(rule, "users", "PolicyRule", "[]string");
      userGroups = strings(rule, "userGroups", "PolicyRule", "[]string");
      verbs = strings(rule, "verbs", "PolicyRule", "[]string");
      JsonNode res = field(rule, "resources", "PolicyRule", "[]v1.GroupResources", JsonNode::isArray);
      if (res != null) {
        for (int i = 0; i < res.size(); i++) {
          JsonNode gr = res.get(i);
          if (!gr.isObject()) throw typeError(gr, "PolicyRule", "resources", "v1.GroupResources");
          unknownFields(gr, GROUP_RESOURCE_FIELDS, path + ".resources[" + i + "].", unknown);
          JsonNode group = field(gr, "group", "GroupResources", "string", JsonNode::isTextual);
          resources.add(new GroupResources(group == null ? "" : group.textValue(),
              strings(gr, "resources", "GroupResources", "[]string"),
              strings(gr, "resourceNames", "GroupResources", "[]string")));
        }
      }
      namespaces = strings(rule, "namespaces", "PolicyRule", "[]string");
      nonResourceURLs = strings(rule, "nonResourceURLs", "PolicyRule", "[]string");
      omitStages = strings(rule, "omitStages", "PolicyRule", "[]v1.Stage");
      JsonNode omit = field(rule, "omitManagedFields", "PolicyRule", "bool", JsonNode::isBoolean);
      omitManagedFields = omit == null ? null : omit.booleanValue();
    }

    /** In validation.go's order: level, nonResourceURLs, resources, omitStages, then the mix of both kinds. */
    void validate(List<String> errors) {
      if (level.isEmpty()) {
        errors.add(path + ".level: Required value");
      } else if (level(level) == null) {
        errors.add(path + ".level: Unsupported value: " + quote(level) + ": supported values: "
            + Arrays.stream(Level.values()).map(v -> quote(v.text())).collect(Collectors.joining(", ")));
      }
      for (int i = 0; i < nonResourceURLs.size(); i++) {
        String url = nonResourceURLs.get(i);
        if (url.equals("*")) continue;
        String at = path + ".nonResourceURLs[" + i + "]: Invalid value: " + quote(url) + ": ";
        if (!url.startsWith("/")) errors.add(at + "non-resource URL rules must begin with a '/' character");
        if (!url.isEmpty() && url.substring(0, url.length() - 1).contains("*")) {
          errors.add(at + "non-resource URL wildcards '*' must be the final character of the rule");
        }
      }
      for (GroupResources gr : resources) {
        if (!gr.group().isEmpty()) {
          List<String> msgs = Syntax.dns1123Subdomain(gr.group());
          if (!msgs.isEmpty()) {
            errors.add(path + ".resources.group: Invalid value: " + quote(gr.group()) + ": " + String.join(",", msgs));
          }
        }
        if (!gr.resourceNames().isEmpty() && gr.resources().isEmpty()) {
          errors.add(path + ".resources.resourceNames: Invalid value: " + goStrings(gr.resourceNames())
              + ": using resourceNames requires at least one resource");
        }
      }
      validateOmitStages(omitStages, path + ".omitStages", errors);
      if (!nonResourceURLs.isEmpty() && (!resources.isEmpty() || !namespaces.isEmpty())) {
        errors.add(path + ".nonResourceURLs: Invalid value: " + goStrings(nonResourceURLs)
            + ": rules cannot apply to both regular resources and non-resource URLs");
      }
    }

    Rule build() {
      return new Rule(level(level), users, userGroups, verbs, resources, namespaces, nonResourceURLs, stages(omitStages),
          omitManagedFields);
    }
  }

  private static void validateOmitStages(List<String> stages, String path, List<String> errors) {
    for (int i = 0; i < stages.size(); i++) {
      if (stage(stages.get(i)) == null) {
        errors.add(path + "[" + i + "]: Invalid value: " + quote(stages.get(i)) + ": allowed stages are "
            + Arrays.stream(Stage.values()).map(Stage::text).collect(Collectors.joining(",")));
      }
    }
  }

  private static Level level(String text) {
    for (Level l : Level.values()) if (l.text().equals(text)) return l;
    return null;
  }

  private static Stage stage(String text) {
    for (Stage s : Stage.values()) if (s.text().equals(text)) return s;
    return null;
  }

  private static Set<Stage> stages(List<String> texts) {
    EnumSet<Stage> out = EnumSet.noneOf(Stage.class);
    texts.forEach(t -> out.add(stage(t)));
    return out;
  }

  /** A field of the expected JSON type, null when absent or null; a decoding error for any other type. */
  private static JsonNode field(JsonNode parent, String name, String struct, String goType,
      Predicate<JsonNode> expected) {
    JsonNode v = parent.get(name);
    if (v == null || v.isNull()) return null;
    if (!expected.test(v)) throw typeError(v, struct, name, goType);
    return v;
  }

  private static List<String> strings(JsonNode parent, String name, String struct, String goType) {
    JsonNode v = field(parent, name, struct, goType, JsonNode::isArray);
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw typeError(e, struct, name, goType.substring(2));
      out.add(e.textValue());
    }
    return out;
  }

  /** Worded as encoding/json's UnmarshalTypeError, which the decoder reports. */
  private static InvalidPolicy typeError(JsonNode value, String struct, String field, String goType) {
    return new InvalidPolicy("failed decoding: json: cannot unmarshal " + jsonType(value) + " into Go struct field "
        + struct + "." + field + " of type " + goType);
  }

  private static void unknownFields(JsonNode object, Set<String> known, String prefix, List<String> unknown) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      String name = it.next().getKey();
      if (!known.contains(name)) unknown.add("unknown field \"" + prefix + name + "\"");
    }
  }

  private static String jsonType(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      case ARRAY -> "array";
      case OBJECT -> "object";
      default -> "null";
    };
  }

  /** Go's %q of a string (the ASCII subset policies use). */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** Go's %#v of a []string. */
  private static String goStrings(List<String> values) {
    return "[]string{" + values.stream().map(AuditPolicyReader::quote).collect(Collectors.joining(", ")) + "}";
  }

  private static String compact(JsonNode tree) {
    return tree instanceof ObjectNode o ? o.toString() : String.valueOf(tree);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static IllegalArgumentException refused(String message) {
    return new IllegalArgumentException("loading audit policy file: " + message);
  }
}
