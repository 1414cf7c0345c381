package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static io.kubeactor.controlplane.registry.admission.Admission.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataValidationTest {

  private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
      + "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String LABEL_RULE = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
      + "or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
      + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  @Test
  void nameIsRequiredUnlessGenerated() {
    List<ApiException.Cause> causes = create("{apiVersion: v1, kind: ConfigMap, metadata: {namespace: default}}");
    assertThat(causes).containsExactly(
        new ApiException.Cause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
    assertThat(create("{apiVersion: v1, kind: ConfigMap, metadata: {generateName: settings-, namespace: default}}")).isEmpty();
  }

  @Test
  void mostNamesAreDnsSubdomains() {
    assertThat(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: app.settings, namespace: default}}")).isEmpty();
    assertThat(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: Settings, namespace: default}}"))
        .containsExactly(new ApiException.Cause("FieldValueInvalid", "Invalid value: \"Settings\": " + SUBDOMAIN_RULE, "metadata.name"));
    assertThat(printed(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: bad_, generateName: x, namespace: default}}")))
        .containsExactly("metadata.name: Invalid value: \"bad_\": " + SUBDOMAIN_RULE);
  }

  @Test
  void subdomainsHaveAtMost253Characters() {
    String name = "a".repeat(254);
    assertThat(printed(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: " + name + ", namespace: default}}")))
        .containsExactly("metadata.name: Invalid value: \"" + name + "\": must be no more than 253 characters");
  }

  @Test
  void namespacesAreDnsLabels() {
    assertThat(printed(create("{apiVersion: v1, kind: Namespace, metadata: {name: Team}}")))
        .containsExactly("metadata.name: Invalid value: \"Team\": " + LABEL_RULE);
    assertThat(printed(create("{apiVersion: v1, kind: Namespace, metadata: {name: team.a}}")))
        .containsExactly("metadata.name: Invalid value: \"team.a\": must not contain dots");
    // The name is also copied into the kubernetes.io/metadata.name label, so Kubernetes reports both.
    String name = "n".repeat(64);
    assertThat(printed(create("{apiVersion: v1, kind: Namespace, metadata: {name: " + name + "}}"))).containsExactly(
        "metadata.name: Invalid value: \"" + name + "\": must be no more than 63 characters",
        "metadata.labels: Invalid value: \"" + name + "\": must be no more than 63 characters");
  }

  @Test
  void servicesAreDns1035Labels() {
    assertThat(printed(create("{apiVersion: v1, kind: Service, metadata: {name: 1web, namespace: default}, spec: {ports: [{port: 80}]}}")))
        .containsExactly("metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  "
            + "or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void namespacedObjectsNeedAValidNamespaceAndClusterObjectsNone() {
    assertThat(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c}}"))
        .containsExactly(new ApiException.Cause("FieldValueRequired", "Required value", "metadata.namespace"));
    assertThat(printed(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: Prod}}")))
        .containsExactly("metadata.namespace: Invalid value: \"Prod\": " + LABEL_RULE);
    assertThat(create("{apiVersion: v1, kind: Node, metadata: {name: n, namespace: default}}"))
        .containsExactly(new ApiException.Cause("FieldValueForbidden", "Forbidden: not allowed on this type", "metadata.namespace"));
  }

  @Test
  void labelKeysAndValues() {
    assertThat(printed(create("""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: c
          namespace: default
          labels: {example.com/tier: web, bad key: ok, app: -web, a/b/c: x}
        """))).containsExactly(
        "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "metadata.labels: Invalid value: \"-web\": a valid label must be an empty string or consist of alphanumeric characters, "
            + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
            + "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        "metadata.labels: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' "
            + "(e.g. 'example.com/MyName')");
  }

  @Test
  void labelValuesHaveAtMost63Characters() {
    String value = "v".repeat(64);
    assertThat(printed(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default, labels: {app: " + value + "}}}")))
        .containsExactly("metadata.labels: Invalid value: \"" + value + "\": must be no more than 63 characters");
  }

  @Test
  void annotationKeysIgnoreCaseButNeedAValidPrefix() {
    assertThat(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default, annotations: {Example.com/Note: x}}}"))
        .isEmpty();
    assertThat(printed(create("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default, annotations: {/note: x}}}")))
        .containsExactly("metadata.annotations: Invalid value: \"/note\": prefix part must be non-empty");
  }

  @Test
  void annotationsMayTotalAtMost256KiB() {
    ObjectNode configMap = yaml("{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default}}");
    ((ObjectNode) configMap.get("metadata")).putObject("annotations").put("note", "x".repeat(256 * 1024));
    assertThat(create(configMap))
        .containsExactly(new ApiException.Cause("FieldValueTooLong", "Too long: may not be more than 262144 bytes", "metadata.annotations"));
  }

  @Test
  void finalizersWithoutADomainMustBeBuiltIn() {
    assertThat(printed(create("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: default, finalizers: [example.com/cleanup, kubernetes, cleanup]}}
        """))).containsExactly(
        "metadata.finalizers[2]: Invalid value: \"cleanup\": name is neither a standard finalizer name nor is it fully qualified");
  }

  @Test
  void nameAndNamespaceCannotChange() {
    assertThat(printed(update(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: default}}",
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: b, namespace: default}}")))
        .containsExactly("metadata.name: Invalid value: \"b\": field is immutable");
  }

  @Test
  void noFinalizerMayBeAddedWhileDeleting() {
    assertThat(printed(update(
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: default, deletionTimestamp: '2025-01-01T00:00:00Z'}}",
        "{apiVersion: v1, kind: ConfigMap, metadata: {name: a, namespace: default, finalizers: [example.com/x]}}")))
        .containsExactly("metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
            + "found new finalizers []string{\"example.com/x\"}");
  }
}
