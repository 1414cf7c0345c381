package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyValidationTest {

  private static String budget(String spec) {
    return """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void aBudgetWithOneLimitIsValid() {
    assertThat(create(budget("{minAvailable: 0, selector: {matchLabels: {app: web}}}"))).isEmpty();
    assertThat(create(budget("{maxUnavailable: 100%, unhealthyPodEvictionPolicy: AlwaysAllow}"))).isEmpty();
  }

  @Test
  void minAvailableAndMaxUnavailableExcludeEachOther() {
    assertThat(printed(create(budget("{minAvailable: 1, maxUnavailable: 1}")))).containsExactly(
        "spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), "
            + "Selector:(*v1.LabelSelector)(nil), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), "
            + "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set");
  }

  @Test
  void limitsAreNonNegativeNumbersOrPercentsUpTo100() {
    assertThat(printed(create(budget("{minAvailable: -1}")))).containsExactly(
        "spec.minAvailable: Invalid value: -1: must be greater than or equal to 0");
    assertThat(printed(create(budget("{maxUnavailable: 101%}")))).containsExactly(
        "spec.maxUnavailable: Invalid value: 101%: must not be greater than 100%");
  }

  @Test
  void theSelectorAndEvictionPolicyAreChecked() {
    assertThat(printed(create(budget("{minAvailable: 1, selector: {matchLabels: {app: 'a b'}}, unhealthyPodEvictionPolicy: Never}"))))
        .containsExactly(
            "spec.selector.matchLabels: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric "
                + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  "
                + "or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"");
  }
}
