package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Admission.create;
import static io.kubeactor.controlplane.registry.admission.Admission.printed;
import static org.assertj.core.api.Assertions.assertThat;

import io.kubeactor.controlplane.api.ApiException;
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
    // as the Service storage hands it to validation: clusterIPs follows clusterIP
    assertThat(create(service("clusterIP: None\nclusterIPs: [None]\nselector: {app: web}"))).isEmpty();
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

  @Test
  void clusterIpAndClusterIpsMustAgree() {
    assertThat(printed(create(service("clusterIP: 10.96.0.5\nports: [{port: 80}]")))).containsExactly("spec.clusterIPs: Required value");
    assertThat(printed(create(service("clusterIP: 10.96.0.5\nclusterIPs: [10.96.0.6]\nports: [{port: 80}]")))).containsExactly(
        "spec.clusterIPs: Invalid value: []string{\"10.96.0.6\"}: first value must match `clusterIP`");
    assertThat(printed(create(service("clusterIPs: [10.96.0.6]\nports: [{port: 80}]")))).containsExactly(
        "spec.clusterIPs: Invalid value: []string{\"10.96.0.6\"}: must be empty when `clusterIP` is not specified");
    assertThat(printed(create(service("clusterIP: 10.96.0.300\nclusterIPs: [10.96.0.300]\nports: [{port: 80}]")))).containsExactly(
        "spec.clusterIPs[0]: Invalid value: \"10.96.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    assertThat(printed(create(service("clusterIP: 10.96.0.5\nclusterIPs: [10.96.0.5, 10.96.0.6]\nports: [{port: 80}]"))))
        .containsExactly("spec.clusterIPs: Invalid value: []string{\"10.96.0.5\", \"10.96.0.6\"}: may specify no more than one IP for each IP family");
    assertThat(printed(create(service("""
        clusterIP: 10.96.0.5
        clusterIPs: [10.96.0.5]
        ipFamilies: [IPv6, IPv6]
        ipFamilyPolicy: Mixed
        ports: [{port: 80}]
        """)))).containsExactly(
        "spec.ipFamilies[1]: Duplicate value: \"IPv6\"",
        "spec.ipFamilyPolicy: Unsupported value: \"Mixed\": supported values: \"PreferDualStack\", \"RequireDualStack\", \"SingleStack\"",
        "spec.clusterIPs[0]: Invalid value: \"10.96.0.5\": expected an IPv6 value as indicated by `ipFamilies[0]`");
  }

  @Test
  void externalIpsAreOrdinaryAddresses() {
    assertThat(printed(create(service("externalIPs: [198.51.100.7, 127.0.0.1, 0.0.0.0, 169.254.1.1, nope]\nports: [{port: 80}]"))))
        .containsExactly(
            "spec.externalIPs[1]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
            "spec.externalIPs[2]: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)",
            "spec.externalIPs[3]: Invalid value: \"169.254.1.1\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
            "spec.externalIPs[4]: Invalid value: \"nope\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }

  @Test
  void loadBalancerFieldsBelongToLoadBalancers() {
    assertThat(printed(create(service("""
        loadBalancerSourceRanges: [10.0.0.0/8, " 192.168.0.0/16 ", 10.0.0.0/33]
        loadBalancerClass: example.com/lb
        ports: [{port: 80}]
        """)))).containsExactly(
        "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
        "spec.LoadBalancerSourceRanges[2]: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        "spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'");
    assertThat(printed(create(service("""
        type: LoadBalancer
        loadBalancerClass: bad class
        ports: [{port: 80, nodePort: 30080}]
        """)))).containsExactly("spec.loadBalancerClass: Invalid value: \"bad class\": name part must consist of alphanumeric "
        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  "
        + "or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
  }

  @Test
  void aLocalLoadBalancerNeedsItsHealthCheckPort() {
    assertThat(printed(create(service("type: LoadBalancer\nexternalTrafficPolicy: Local\nports: [{port: 80, nodePort: 30080}]"))))
        .containsExactly("spec.healthCheckNodePort: Required value");
    assertThat(printed(create(service("type: NodePort\nhealthCheckNodePort: 30100\nports: [{port: 80, nodePort: 30080}]"))))
        .containsExactly("spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' "
            + "and `externalTrafficPolicy` is 'Local'");
  }

  @Test
  void theClusterIpOfAServiceNeverChanges() {
    String before = service("clusterIP: 10.96.0.5\nclusterIPs: [10.96.0.5]\nports: [{port: 80}]");
    assertThat(Admission.update(before, service("clusterIP: 10.96.0.9\nclusterIPs: [10.96.0.9]\nports: [{port: 80}]")))
        .extracting(c -> c.field() + ": " + c.message())
        .containsExactly("spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.9\"}: may not change once set");
    assertThat(Admission.update(before, service("clusterIP: 10.96.0.5\nclusterIPs: [10.96.0.5]\nports: [{port: 8080}]"))).isEmpty();
  }

  @Test
  void theHealthCheckPortAndLoadBalancerClassNeverChange() {
    String before = service("""
        type: LoadBalancer
        externalTrafficPolicy: Local
        healthCheckNodePort: 30100
        loadBalancerClass: example.com/a
        ports: [{port: 80, nodePort: 30080}]
        """);
    assertThat(printed(Admission.update(before, service("""
        type: LoadBalancer
        externalTrafficPolicy: Local
        healthCheckNodePort: 30101
        loadBalancerClass: example.com/b
        ports: [{port: 80, nodePort: 30080}]
        """)))).containsExactly(
        "spec.loadBalancerClass: Invalid value: \"example.com/b\": may not change once set",
        "spec.healthCheckNodePort: Forbidden: field is immutable");
  }

  @Test
  void loadBalancerStatusIsChecked() {
    var old = Admission.defaulted(service("type: LoadBalancer\nports: [{port: 80, nodePort: 30080}]"));
    var updated = old.deepCopy();
    updated.putObject("status").putObject("loadBalancer").putArray("ingress")
        .add(Admission.yaml("{ip: 172.18.0.1}"))
        .add(Admission.yaml("{ip: 172.18.0.2, ipMode: Tunnel}"))
        .add(Admission.yaml("{hostname: 10.0.0.1, ipMode: VIP}"));
    assertThat(printed(Admission.statusUpdate(updated, old))).containsExactly(
        "status.loadBalancer.ingress[0].ipMode: Required value: must be specified when `ip` is set",
        "status.loadBalancer.ingress[1].ipMode: Unsupported value: \"Tunnel\": supported values: \"Proxy\", \"VIP\"",
        "status.loadBalancer.ingress[2].ipMode: Forbidden: may not be specified when `ip` is not set",
        "status.loadBalancer.ingress[2].hostname: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address");
    var clusterIp = Admission.defaulted(service("ports: [{port: 80}]"));
    var withIngress = clusterIp.deepCopy();
    withIngress.putObject("status").putObject("loadBalancer").putArray("ingress").add(Admission.yaml("{ip: 172.18.0.1, ipMode: VIP}"));
    assertThat(printed(Admission.statusUpdate(withIngress, clusterIp))).containsExactly(
        "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'");
  }
}
