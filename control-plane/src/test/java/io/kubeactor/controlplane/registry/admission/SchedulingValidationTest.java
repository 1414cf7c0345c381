package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchedulingValidationTest {

  private static final String QUALIFIED_NAME_REGEX = "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
      + "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
      + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

  private static String pod(String spec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default, labels: {app: web}}
        spec:
          containers: [{name: web, image: nginx}]
        """ + spec.indent(2);
  }

  @Test
  void wellFormedAffinityAndSpreadAreValid() {
    assertThat(create(pod("""
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
                - {key: cores, operator: Gt, values: ['4']}
                matchFields: [{key: metadata.name, operator: NotIn, values: [node-2]}]
            preferredDuringSchedulingIgnoredDuringExecution:
            - {weight: 100, preference: {matchExpressions: [{key: disk, operator: Exists}]}}
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - {topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: web}}, matchLabelKeys: [pod-template-hash]}
            preferredDuringSchedulingIgnoredDuringExecution:
            - {weight: 1, podAffinityTerm: {topologyKey: zone, namespaces: [default]}}
        topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, minDomains: 2, labelSelector: {matchLabels: {app: web}}}
        - {maxSkew: 2, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, nodeTaintsPolicy: Honor}
        hostAliases: [{ip: 10.0.0.1, hostnames: [db.local]}, {ip: '::1'}]
        """))).isEmpty();
  }

  @Test
  void nodeAffinityRequirementsUseKnownOperatorsAndLabelSyntax() {
    assertThat(printed(create(pod("""
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: 'bad key', operator: Bogus}
                - {key: zone, operator: In}
                - {key: zone, operator: Exists, values: [a]}
                - {key: cores, operator: Gt, values: ['1', '2']}
                - {key: zone, operator: NotIn, values: ['a b']}
                matchFields: [{key: metadata.labels, operator: Exists}]
            preferredDuringSchedulingIgnoredDuringExecution:
            - {weight: 101, preference: {}}
        """)))).containsExactly(
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: "
            + "Invalid value: \"Bogus\": not a valid selector operator",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key: "
            + "Invalid value: \"bad key\": " + QUALIFIED_NAME_REGEX,
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values: "
            + "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: "
            + "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].values: "
            + "Required value: must be specified single value when `operator` is 'Lt' or 'Gt'",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[4].values[0]: "
            + "Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
            + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].operator: "
            + "Invalid value: \"Exists\": not a valid selector operator",
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: "
            + "Invalid value: \"metadata.labels\": not a valid field selector key",
        "spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100");
  }

  @Test
  void aRequiredNodeSelectorNeedsATerm() {
    assertThat(printed(create(pod("affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}"))))
        .containsExactly("spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: "
            + "Required value: must have at least one node selector term");
  }

  @Test
  void podAffinityTermsNeedATopologyKeyThatIsALabelName() {
    assertThat(printed(create(pod("""
        affinity:
          podAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - {labelSelector: {matchExpressions: [{key: app, operator: Within, values: [web]}]}, namespaces: [Default]}
            preferredDuringSchedulingIgnoredDuringExecution:
            - {weight: 0, podAffinityTerm: {topologyKey: 'a/b/c', matchLabelKeys: [app]}}
        """)))).containsExactly(
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].operator: "
            + "Invalid value: \"Within\": not a valid selector operator",
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].namespace: Invalid value: \"Default\": "
            + "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an "
            + "alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": "
            + "name part must be non-empty",
        "spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: \"\": "
            + QUALIFIED_NAME_REGEX,
        "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
        "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys: "
            + "Forbidden: must not be specified when labelSelector is not set",
        "spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.topologyKey: "
            + "Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and "
            + "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
            + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
  }

  @Test
  void topologySpreadConstraintsHaveARangeAKeyAndAnAction() {
    assertThat(printed(create(pod("""
        topologySpreadConstraints:
        - {maxSkew: 0, topologyKey: '', whenUnsatisfiable: Bogus, minDomains: 0, nodeAffinityPolicy: Always}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, matchLabelKeys: [app], labelSelector: {matchLabels: {app: web}}}
        - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}
        """)))).containsExactly(
        "spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
        "spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty",
        "spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: \"Bogus\": supported values: "
            + "\"DoNotSchedule\", \"ScheduleAnyway\"",
        "spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: must be greater than zero",
        "spec.topologySpreadConstraints[0].minDomains: Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, "
            + "not Bogus",
        "spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: \"Always\": supported values: \"Honor\", \"Ignore\"",
        "spec.topologySpreadConstraints[1].{topologyKey, whenUnsatisfiable}: Duplicate value: \"{zone, DoNotSchedule}\"",
        "spec.topologySpreadConstraints[1].matchLabelKeys[0]: Invalid value: \"app\": exists in both matchLabelKeys and labelSelector");
  }

  @Test
  void hostAliasesNeedAnIpAddress() {
    assertThat(printed(create(pod("hostAliases: [{ip: 999.1.1.1, hostnames: [Db]}]")))).containsExactly(
        "spec.hostAliases[0].ip: Invalid value: \"999.1.1.1\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
        "spec.hostAliases[0].hostnames[0]: Invalid value: \"Db\": a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }

  @Test
  void podTemplatesAreCheckedTheSameWay() {
    assertThat(printed(create("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: web, image: nginx}]
              topologySpreadConstraints: [{maxSkew: -1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule}]
        """))).containsExactly("spec.template.spec.topologySpreadConstraints[0].maxSkew: Invalid value: -1: must be greater than zero");
  }
}
