package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static io.kubeactor.controlplane.registry.admission.Admission.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadValidationTest {

  private static String deployment(String spec) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2);
  }

  private static final String TEMPLATE = """
      template:
        metadata: {labels: {app: web}}
        spec: {containers: [{name: web, image: nginx}]}
      """;

  @Test
  void aDeploymentWhoseSelectorMatchesItsTemplateIsValid() {
    assertThat(create(deployment("selector: {matchLabels: {app: web}}\n" + TEMPLATE))).isEmpty();
    assertThat(create(deployment("""
        selector:
          matchExpressions: [{key: app, operator: In, values: [web, api]}]
        """ + TEMPLATE))).isEmpty();
  }

  @Test
  void theSelectorMustMatchTheTemplateLabels() {
    List<ApiException.Cause> causes = create(deployment("""
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: x}}
          spec: {containers: [{name: web, image: nginx}]}
        """));
    assertThat(causes).containsExactly(new ApiException.Cause("FieldValueInvalid",
        "Invalid value: map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`",
        "spec.template.metadata.labels"));
    assertThat(ApiException.invalid("apps", "Deployment", "web", causes).getMessage()).isEqualTo(
        "Deployment.apps \"web\" is invalid: spec.template.metadata.labels: Invalid value: "
            + "map[string]string{\"app\":\"x\"}: `selector` does not match template `labels`");
  }

  @Test
  void theSelectorIsRequiredAndNotEmpty() {
    assertThat(printed(create(deployment(TEMPLATE)))).containsExactly(
        "spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`");
    assertThat(printed(create(deployment("selector: {matchLabels: {}}\n" + TEMPLATE)))).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
  }

  @Test
  void selectorExpressionsAreChecked() {
    assertThat(printed(create(deployment("""
        selector:
          matchExpressions: [{key: app, operator: In}]
        """ + TEMPLATE)))).containsExactly(
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            + "MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"In\", "
            + "Values:[]string(nil)}}}: invalid label selector");
  }

  @Test
  void replicasMayNotBeNegativeAndTemplatesMustRestartAlways() {
    assertThat(printed(create(deployment("""
        replicas: -1
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            restartPolicy: Never
            containers: [{name: web, image: nginx}]
        """)))).containsExactly(
        "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
        "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\"");
  }

  @Test
  void theTemplatePodSpecIsValidated() {
    assertThat(printed(create(deployment("""
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: web}]}
        """)))).containsExactly("spec.template.spec.containers[0].image: Required value");
  }

  @Test
  void rollingUpdateParametersAreChecked() {
    assertThat(printed(create(deployment("""
        selector: {matchLabels: {app: web}}
        strategy:
          rollingUpdate: {maxUnavailable: abc, maxSurge: 0}
        """ + TEMPLATE)))).containsExactly(
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: abc: a valid percent string must be a numeric string "
            + "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: abc: may not be 0 when `maxSurge` is 0");
    assertThat(printed(create(deployment("""
        selector: {matchLabels: {app: web}}
        strategy: {type: Canary}
        """ + TEMPLATE)))).containsExactly(
        "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"Canary\", "
            + "RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\"");
  }

  @Test
  void theSelectorIsImmutable() {
    String before = deployment("selector: {matchLabels: {app: web}}\n" + TEMPLATE);
    String after = deployment("""
        selector: {matchLabels: {app: web, tier: front}}
        template:
          metadata: {labels: {app: web, tier: front}}
          spec: {containers: [{name: web, image: nginx}]}
        """);
    assertThat(printed(update(before, after))).containsExactly(
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"tier\":\"front\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
    assertThat(update(before, deployment("replicas: 5\nselector: {matchLabels: {app: web}}\n" + TEMPLATE))).isEmpty();
  }

  @Test
  void replicaSetsSayDeploymentAboutEmptySelectors() {
    assertThat(printed(create("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: web, namespace: default}
        spec:
          selector: {}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: nginx}]}
        """))).containsExactly("spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
        + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment");
  }

  @Test
  void daemonSetSelectorMustMatchAndItsSelectorIsImmutable() {
    String daemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent, namespace: kube-system}
        spec:
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: agent}}
            spec: {containers: [{name: agent, image: agent}]}
        """;
    assertThat(create(daemonSet.formatted("agent"))).isEmpty();
    assertThat(printed(create(daemonSet.formatted("other")))).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not match template `labels`");
    assertThat(printed(update(daemonSet.formatted("agent"), daemonSet.formatted("other")))).containsExactly(
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"agent\"}: `selector` does not match template `labels`",
        "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"other\"}, "
            + "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable");
  }

  private static String statefulSet(String name, String serviceName, int replicas) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: %s, namespace: default}
        spec:
          serviceName: %s
          replicas: %d
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec: {containers: [{name: db, image: postgres}]}
        """.formatted(name, serviceName, replicas);
  }

  @Test
  void statefulSetNamesAreDnsLabels() {
    assertThat(create(statefulSet("db", "db", 1))).isEmpty();
    assertThat(printed(create(statefulSet("db.main", "db", 1))))
        .containsExactly("metadata.name: Invalid value: \"db.main\": must not contain dots");
  }

  @Test
  void aStatefulSetUpdateMayOnlyChangeSomeSpecFields() {
    assertThat(update(statefulSet("db", "db", 1), statefulSet("db", "db", 3))).isEmpty();
    assertThat(update(statefulSet("db", "db", 1), statefulSet("db", "database", 1))).containsExactly(
        new ApiException.Cause("FieldValueForbidden", "Forbidden: updates to statefulset spec for fields other than 'replicas', "
            + "'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            "spec"));
  }

  @Test
  void statefulSetSelectorRequiredAndTemplateRestartsAlways() {
    assertThat(printed(create("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          serviceName: db
          template:
            metadata: {labels: {app: db}}
            spec:
              restartPolicy: OnFailure
              containers: [{name: db, image: postgres}]
        """))).containsExactly(
        "spec.selector: Required value",
        "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`",
        "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
  }

  /** A StatefulSet "db" whose pod template's spec is {@code podSpec} (YAML), then {@code more} of its spec. */
  private static String statefulSetOf(String podSpec, String more) {
    return """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db, namespace: default}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
        """ + podSpec.indent(6) + more.indent(2);
  }

  @Test
  void aStatefulSetTemplateKeepsTheFieldsClientsRequire() {
    // a mount may name a claim template: the controller adds that volume to each pod
    assertThat(create(statefulSetOf(
        "containers: [{name: db, image: postgres, volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]}]", """
        volumeClaimTemplates:
        - metadata: {name: data}
          spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """))).isEmpty();
    // a profile without its type, as its pods would be refused for, rather than stored where clients cannot read it
    assertThat(printed(create(statefulSetOf("""
        securityContext: {seccompProfile: {}}
        containers: [{name: db, image: postgres, securityContext: {appArmorProfile: {type: Localhost}}}]
        """, "")))).containsExactly(
        "spec.template.spec.securityContext.seccompProfile.type: Required value: type is required when seccompProfile is set",
        "spec.template.spec.containers[0].securityContext.appArmorProfile.localhostProfile: Required value: "
            + "must be set when AppArmor type is Localhost");
  }
}
