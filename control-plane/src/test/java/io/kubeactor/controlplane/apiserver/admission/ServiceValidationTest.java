package io.kubeactor.controlplane.apiserver.admission;

import static io.kubeactor.controlplane.apiserver.admission.Admission.create;
import static io.kubeactor.controlplane.apiserver.admission.Admission.printed;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.apiserver.ApiException;
import org.junit.jupiter.api.Test;

class ServiceValidationTest {

  private static String service(String spec) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
        """ + spec.indent(2);
  }

  @Test
  void aServiceWithOnePortIsValid() {
    assertThat(create(service("selector: {app: web}\nports: [{port: 80, targetPort: 8080}]"))).isEmpty();
    assertThat(create(service("type: NodePort\nports: [{port: 80, nodePort: 30080}]"))).isEmpty();
  }

  @Test
  void portsAreRequiredExceptForHeadlessAndExternalNameServices() {
    assertThat(create(service("selector: {app: web}")))
        .containsExactly(new ApiException.Cause("FieldValueRequired", "Required value", "spec.ports"));
    assertThat(create(service("clusterIP: None\nselector: {app: web}"))).isEmpty();
    assertThat(create(service("type: ExternalName\nexternalName: db.example.com"))).isEmpty();
  }

  @Test
  void portNumbersAreInRange() {
    // A targetPort of 0 is defaulted to the port, so it inherits the port's error.
    assertThat(printed(create(service("ports: [{port: 70000, targetPort: 0}]")))).containsExactly(
        "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive");
    assertThat(printed(create(service("ports: [{port: 80, targetPort: web_port}]")))).containsExactly(
        "spec.ports[0].targetPort: Invalid value: \"web_port\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  }

  @Test
  void severalPortsNeedUniqueNames() {
    assertThat(printed(create(service("""
        ports:
        - {port: 80}
        - {name: http, port: 443}
        - {name: http, port: 8443}
        - {name: HTTPS, port: 9443, protocol: ICMP}
        """)))).containsExactly(
        "spec.ports[0].name: Required value",
        "spec.ports[2].name: Duplicate value: \"http\"",
        "spec.ports[3].name: Invalid value: \"HTTPS\": a lowercase RFC 1123 label must consist of lower case alphanumeric "
            + "characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
            + "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "spec.ports[3].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"");
  }

  @Test
  void aPortAndProtocolAppearOnce() {
    assertThat(printed(create(service("""
        ports:
        - {name: a, port: 80}
        - {name: b, port: 80, targetPort: 8080}
        """)))).containsExactly("spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", "
        + "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
  }

  @Test
  void theTypeMustBeKnown() {
    assertThat(create(service("type: Internal\nports: [{port: 80}]"))).containsExactly(new ApiException.Cause(
        "FieldValueNotSupported",
        "Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        "spec.type"));
  }

  @Test
  void clusterIpServicesHaveNoNodePortsOrExternalTrafficPolicy() {
    assertThat(printed(create(service("""
        externalTrafficPolicy: Local
        ports: [{port: 80, nodePort: 30080}]
        """)))).containsExactly(
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'",
        "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services");
  }

  @Test
  void externalNameServicesNeedAName() {
    assertThat(printed(create(service("type: ExternalName")))).containsExactly("spec.externalName: Required value");
    assertThat(printed(create(service("type: ExternalName\nexternalName: DB_HOST")))).containsExactly(
        "spec.externalName: Invalid value: \"DB_HOST\": a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
            + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
  }
}
