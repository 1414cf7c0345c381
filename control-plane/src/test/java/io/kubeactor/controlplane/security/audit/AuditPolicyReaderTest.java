package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files as kube-apiserver reads them (pkg/audit/policy/reader.go, apis/audit/validation). */
class AuditPolicyReaderTest {

  @TempDir Path dir;

  private Path file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private void refused(String content, String message) throws Exception {
    Path f = file("policy.yaml", content);
    assertThatThrownBy(() -> AuditPolicyReader.read(f)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("loading audit policy file: " + message + ": from file " + f);
  }

  @Test
  void readsYamlAndJson() throws Exception {
    AuditPolicy yaml = AuditPolicyReader.read(file("p.yaml", """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        metadata:
          name: ignored
        omitStages: [RequestReceived]
        omitManagedFields: true
        rules:
        - level: None
          users: ["system:kube-proxy"]
          verbs: [watch]
          resources:
          - group: ""
            resources: [endpoints, services]
        - level: RequestResponse
          resources:
          - group: rbac.authorization.k8s.io
        """));
    AuditPolicy json = AuditPolicyReader.read(file("p.json", """
        {"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived"],
         "omitManagedFields": true,
         "rules": [{"level": "None", "users": ["system:kube-proxy"], "verbs": ["watch"],
                    "resources": [{"group": "", "resources": ["endpoints", "services"]}]},
                   {"level": "RequestResponse", "resources": [{"group": "rbac.authorization.k8s.io"}]}]}
        """));

    assertThat(json).isEqualTo(yaml);
    assertThat(yaml.rules()).hasSize(2);
    assertThat(yaml.rules().get(0).resources().get(0).resources()).containsExactly("endpoints", "services");
    assertThat(yaml.rules().get(1).omitStages()).isEqualTo(Set.of(Stage.REQUEST_RECEIVED));
    Attributes getRole = new Attributes(UserInfo.of("jane"), "get", true, "rbac.authorization.k8s.io", "v1", "roles", "",
        "default", "r", "");
    assertThat(yaml.evaluate(getRole)).isEqualTo(new AuditPolicy.Decision(Level.REQUEST_RESPONSE,
        Set.of(Stage.REQUEST_RECEIVED), true));
  }

  @Test
  void unknownFieldsAreIgnoredAsUpstreamsLenientFallbackDoes() throws Exception {
    AuditPolicy p = AuditPolicyReader.read(file("p.yaml", """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
        - level: Metadata
          verb: [get]
        """));
    assertThat(p.evaluate(Attributes.nonResource(UserInfo.of("x"), "list", "/x")).level()).isEqualTo(Level.METADATA);
  }

  @Test
  void theDefaultPolicyLogsEveryRequestAtMetadata() {
    AuditPolicy p = AuditPolicyReader.defaultPolicy();
    assertThat(p.evaluate(Attributes.nonResource(UserInfo.of("x"), "get", "/healthz")).level()).isEqualTo(Level.METADATA);
    assertThat(p.evaluate(new Attributes(null, "create", true, "", "v1", "secrets", "", "ns", "", "")))
        .isEqualTo(new AuditPolicy.Decision(Level.METADATA, Set.of(), false));
  }

  @Test
  void anUnknownLevelIsRefused() throws Exception {
    refused("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Verbose\n",
        "rules[0].level: Unsupported value: \"Verbose\": supported values: \"None\", \"Metadata\", \"Request\", "
            + "\"RequestResponse\"");
  }

  @Test
  void severalErrorsAreListedTogether() throws Exception {
    refused("""
        apiVersion: audit.k8s.io/v1
        kind: Policy
        omitStages: [Done]
        rules:
        - level: Metadata
        - verbs: [get]
          nonResourceURLs: [healthz, "/api/*/x"]
          namespaces: [default]
        - level: Request
          resources:
          - group: Apps/v1
            resourceNames: [a, b]
        """, "[omitStages[0]: Invalid value: \"Done\": allowed stages are RequestReceived,ResponseStarted,"
        + "ResponseComplete,Panic, rules[1].level: Required value, rules[1].nonResourceURLs[0]: Invalid value: "
        + "\"healthz\": non-resource URL rules must begin with a '/' character, rules[1].nonResourceURLs[1]: Invalid "
        + "value: \"/api/*/x\": non-resource URL wildcards '*' must be the final character of the rule, "
        + "rules[1].nonResourceURLs: Invalid value: []string{\"healthz\", \"/api/*/x\"}: rules cannot apply to both "
        + "regular resources and non-resource URLs, rules[2].resources.group: Invalid value: \"Apps/v1\": a lowercase "
        + "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        + "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), rules[2].resources.resourceNames: "
        + "Invalid value: []string{\"a\", \"b\"}: using resourceNames requires at least one resource]");
  }

  @Test
  void aPolicyWithoutRulesIsRefused() throws Exception {
    refused("apiVersion: audit.k8s.io/v1\nkind: Policy\n", "loaded illegal policy with 0 rules");
  }

  @Test
  void onlyAuditK8sIoV1PoliciesAreRead() throws Exception {
    refused("apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n- level: Metadata\n",
        "failed decoding: no kind \"Policy\" is registered for version \"audit.k8s.io/v1beta1\"");
    refused("apiVersion: audit.k8s.io/v1\nrules:\n- level: Metadata\n",
        "failed decoding: Object 'Kind' is missing in '{\"apiVersion\":\"audit.k8s.io/v1\",\"rules\":[{\"level\":\"Metadata\"}]}'");
  }

  @Test
  void aFieldOfTheWrongTypeIsRefused() throws Exception {
    refused("apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  users: jane\n",
        "failed decoding: json: cannot unmarshal string into Go struct field PolicyRule.users of type []string");
  }

  @Test
  void whatIsNoYamlIsRefusedInOneLine() throws Exception {
    Path f = file("policy.yaml", "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [\n- level: {\n");
    assertThatThrownBy(() -> AuditPolicyReader.read(f))
        .hasMessageStartingWith("loading audit policy file: failed decoding: ")
        .hasMessageEndingWith(": from file " + f)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aMissingFileIsNamed() {
    Path f = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> AuditPolicyReader.read(f)).hasMessage("loading audit policy file: failed to read file path \""
        + f + "\": open " + f + ": no such file or directory");
  }
}
