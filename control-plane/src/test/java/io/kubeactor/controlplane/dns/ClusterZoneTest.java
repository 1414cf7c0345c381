package io.kubeactor.controlplane.dns;

import static io.kubeactor.controlplane.dns.ClusterObjects.Ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.controller.ControllerFixture;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cluster domain's answers, from real informers fed by the store: every record type of the
 * Kubernetes DNS specification, NXDOMAIN against NODATA, headless Services with hostnames and
 * not-ready endpoints, ExternalName, PTR, and objects with strange fields beside good ones.
 */
class ClusterZoneTest {

  static ControllerFixture fixture;
  static ClusterZone zone;

  @BeforeAll
  static void objects() throws Exception {
    fixture = new ControllerFixture();
    ClusterObjects.namespace(fixture, "apps");
    ClusterObjects.service(fixture, "default", "kubernetes", "10.96.0.1", "[{name: https, port: 443, targetPort: 6443}]");
    ClusterObjects.service(fixture, "kube-system", "kube-dns", "10.96.0.10",
        "[{name: dns, port: 53, protocol: UDP}, {name: dns-tcp, port: 53, protocol: TCP}]");
    ClusterObjects.service(fixture, "apps", "web", "10.96.3.7",
        "[{name: http, port: 80}, {port: 9090, name: metrics}]");
    ClusterObjects.service(fixture, "apps", "noports", "None", "[]");
    ClusterObjects.slice(fixture, "apps", "noports", "noports-abc", "[]", List.of(new Ep("10.244.1.8", null, true)));
    // a headless Service of a StatefulSet: two ready pods with hostnames, one ready without, one not ready
    ClusterObjects.service(fixture, "apps", "nginx", "None", "[{name: web, port: 80}]");
    ClusterObjects.slice(fixture, "apps", "nginx", "nginx-abc", "[{name: web, port: 80, protocol: TCP}]", List.of(
        new Ep("10.244.1.5", "web-0", true), new Ep("10.244.2.6", "web-1", true), new Ep("10.244.2.9", null, true),
        new Ep("10.244.3.3", "web-2", false)));
    ClusterObjects.service(fixture, "apps", "empty", "None", "[{name: web, port: 80}]");
    ClusterObjects.slice(fixture, "apps", "empty", "empty-abc", "[{name: web, port: 80, protocol: TCP}]", List.of(
        new Ep("10.244.3.4", null, false)));
    ClusterObjects.externalName(fixture, "apps", "search", "www.example.com");
    ClusterObjects.externalName(fixture, "apps", "alias", "web.apps.svc.cluster.local");
    zone = new ClusterZone(fixture.context.informers(), DnsSettings.absolute("cluster.local"), 5,
        List.of(ReverseRange.parse("10.96.0.0/12"), ReverseRange.parse("10.244.0.0/16")));
    await().until(() -> fixture.context.informers().endpointSlices().list().size() == 3);
  }

  @AfterAll
  static void close() {
    zone.close();
    fixture.close();
  }

  static Message ask(String name, int type) {
    try {
      return zone.answer(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN))).response();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
  }

  static void assertNxdomain(Message m) {
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertSoa(m);
  }

  static void assertNodata(Message m) {
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getSection(Section.ANSWER)).isEmpty();
    assertSoa(m);
  }

  static void assertSoa(Message m) {
    assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
  }

  @Test
  void serviceARecordIsItsClusterIpAuthoritativeWithTheTtl() {
    Message m = ask("kubernetes.default.svc.cluster.local.", Type.A);
    assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
    assertThat(answers(m)).containsExactly("10.96.0.1");
    assertThat(m.getSection(Section.ANSWER).get(0).getTTL()).isEqualTo(5);
  }

  @Test
  void namesAreMatchedCaseInsensitivelyAndAnsweredInTheQuestionsCase() {
    Message m = ask("Web.APPS.svc.Cluster.Local.", Type.A);
    assertThat(answers(m)).containsExactly("10.96.3.7");
    assertThat(m.getSection(Section.ANSWER).get(0).getName().toString()).isEqualTo("Web.APPS.svc.Cluster.Local.");
  }

  @Test
  void aHeadlessServiceWithoutPortsHasARecordsButNoSrv() {
    assertThat(answers(ask("noports.apps.svc.cluster.local.", Type.A))).containsExactly("10.244.1.8");
    assertNodata(ask("noports.apps.svc.cluster.local.", Type.SRV));
  }

  @Test
  void aaaaAndOtherTypesOfAnExistingNameAreNodata() {
    assertNodata(ask("web.apps.svc.cluster.local.", Type.AAAA));
    assertNodata(ask("web.apps.svc.cluster.local.", Type.TXT));
    assertNodata(ask("web.apps.svc.cluster.local.", Type.MX));
    assertNodata(ask("apps.svc.cluster.local.", Type.A));
    assertNodata(ask("svc.cluster.local.", Type.A));
    assertNodata(ask("pod.cluster.local.", Type.A));
    assertNodata(ask("cluster.local.", Type.A));
  }

  @Test
  void namesThatDoNotExistAreNxdomain() {
    assertNxdomain(ask("missing.apps.svc.cluster.local.", Type.A));
    assertNxdomain(ask("web.nonamespace.svc.cluster.local.", Type.A));
    assertNxdomain(ask("nonamespace.svc.cluster.local.", Type.A));
    assertNxdomain(ask("google.com.cluster.local.", Type.A));
    assertNxdomain(ask("google.com.apps.svc.cluster.local.", Type.A));
    assertNxdomain(ask("a.b.c.web.apps.svc.cluster.local.", Type.A));
    assertNxdomain(ask("missing.apps.svc.cluster.local.", Type.AAAA));
  }

  @Test
  void srvOfANamedPortPointsAtTheServiceWithItsAddressAdded() {
    Message m = ask("_http._tcp.web.apps.svc.cluster.local.", Type.SRV);
    assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
      SRVRecord srv = (SRVRecord) r;
      assertThat(srv.getPort()).isEqualTo(80);
      assertThat(srv.getPriority()).isZero();
      assertThat(srv.getWeight()).isEqualTo(100);
      assertThat(srv.getTarget().toString()).isEqualTo("web.apps.svc.cluster.local.");
    });
    assertThat(m.getSection(Section.ADDITIONAL)).singleElement()
        .satisfies(r -> assertThat(r.rdataToString()).isEqualTo("10.96.3.7"));
    // the SRV name also has the Service's address, as CoreDNS answers
    assertThat(answers(ask("_http._tcp.web.apps.svc.cluster.local.", Type.A))).containsExactly("10.96.3.7");
  }

  @Test
  void srvOfTheServiceNameListsEveryPort() {
    Message m = ask("web.apps.svc.cluster.local.", Type.SRV);
    assertThat(m.getSection(Section.ANSWER)).extracting(r -> ((SRVRecord) r).getPort()).containsExactlyInAnyOrder(80, 9090);
    assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(((SRVRecord) r).getWeight()).isEqualTo(50));
  }

  @Test
  void srvOfAPortOrProtocolTheServiceHasNotIsNxdomainAndTheProtocolLabelIsAnEmptyNonTerminal() {
    assertNxdomain(ask("_http._udp.web.apps.svc.cluster.local.", Type.SRV));
    assertNxdomain(ask("_nope._tcp.web.apps.svc.cluster.local.", Type.SRV));
    assertNodata(ask("_tcp.web.apps.svc.cluster.local.", Type.SRV));
    assertNxdomain(ask("_udp.web.apps.svc.cluster.local.", Type.SRV));
    assertThat(answers(ask("_dns._udp.kube-dns.kube-system.svc.cluster.local.", Type.SRV))).containsExactly(
        "0 100 53 kube-dns.kube-system.svc.cluster.local.");
  }

  @Test
  void headlessServiceHasOneARecordPerReadyEndpoint() {
    assertThat(answers(ask("nginx.apps.svc.cluster.local.", Type.A)))
        .containsExactlyInAnyOrder("10.244.1.5", "10.244.2.6", "10.244.2.9");
  }

  @Test
  void headlessServiceWithoutReadyEndpointsIsNxdomain() {
    assertNxdomain(ask("empty.apps.svc.cluster.local.", Type.A));
  }

  @Test
  void endpointsAreNamedByTheirHostnameOrTheirDashedAddress() {
    assertThat(answers(ask("web-0.nginx.apps.svc.cluster.local.", Type.A))).containsExactly("10.244.1.5");
    assertThat(answers(ask("10-244-2-9.nginx.apps.svc.cluster.local.", Type.A))).containsExactly("10.244.2.9");
    // not ready: not served
    assertNxdomain(ask("web-2.nginx.apps.svc.cluster.local.", Type.A));
    assertNxdomain(ask("web-9.nginx.apps.svc.cluster.local.", Type.A));
  }

  @Test
  void headlessSrvHasOneRecordPerReadyEndpointTargetingItsName() {
    Message m = ask("_web._tcp.nginx.apps.svc.cluster.local.", Type.SRV);
    assertThat(m.getSection(Section.ANSWER)).extracting(r -> ((SRVRecord) r).getTarget().toString()).containsExactlyInAnyOrder(
        "web-0.nginx.apps.svc.cluster.local.", "web-1.nginx.apps.svc.cluster.local.",
        "10-244-2-9.nginx.apps.svc.cluster.local.");
    assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(80));
    assertThat(m.getSection(Section.ADDITIONAL)).extracting(r -> r.getName() + " " + r.rdataToString()).containsExactlyInAnyOrder(
        "web-0.nginx.apps.svc.cluster.local. 10.244.1.5", "web-1.nginx.apps.svc.cluster.local. 10.244.2.6",
        "10-244-2-9.nginx.apps.svc.cluster.local. 10.244.2.9");
  }

  @Test
  void externalNameIsACnameWhoseTargetIsLeftForUpstream() {
    ClusterZone.Answer a = zone.answer(query("search.apps.svc.cluster.local.", Type.A));
    assertThat(a.response().getSection(Section.ANSWER)).singleElement().satisfies(r -> {
      assertThat(r.getType()).isEqualTo(Type.CNAME);
      assertThat(r.rdataToString()).isEqualTo("www.example.com.");
    });
    assertThat(a.externalTarget().toString()).isEqualTo("www.example.com.");
    assertThat(a.externalType()).isEqualTo(Type.A);
    ClusterZone.Answer cname = zone.answer(query("search.apps.svc.cluster.local.", Type.CNAME));
    assertThat(answers(cname.response())).containsExactly("www.example.com.");
    assertThat(cname.externalTarget()).isNull();
    assertNodata(ask("search.apps.svc.cluster.local.", Type.SRV));
    assertNxdomain(ask("_http._tcp.search.apps.svc.cluster.local.", Type.SRV));
  }

  @Test
  void externalNameInsideTheZoneIsChasedHere() {
    ClusterZone.Answer a = zone.answer(query("alias.apps.svc.cluster.local.", Type.A));
    assertThat(answers(a.response())).containsExactly("web.apps.svc.cluster.local.", "10.96.3.7");
    assertThat(a.externalTarget()).isNull();
  }

  @Test
  void ptrOfAClusterIpAndOfAnEndpointAddress() {
    assertThat(answers(ask("10.0.96.10.in-addr.arpa.", Type.PTR))).containsExactly("kube-dns.kube-system.svc.cluster.local.");
    assertThat(answers(ask("5.1.244.10.in-addr.arpa.", Type.PTR))).containsExactly("web-0.nginx.apps.svc.cluster.local.");
    assertThat(answers(ask("9.2.244.10.in-addr.arpa.", Type.PTR))).containsExactly("10-244-2-9.nginx.apps.svc.cluster.local.");
    assertNodata(ask("1.0.96.10.in-addr.arpa.", Type.A));
  }

  @Test
  void ptrOfAnUnknownAddressInTheClusterRangesIsNxdomainAndOtherRangesAreNotServed() {
    Message m = ask("99.0.96.10.in-addr.arpa.", Type.PTR);
    assertNxdomain(m);
    assertThat(m.getSection(Section.AUTHORITY).get(0).getName().toString()).isEqualTo("10.in-addr.arpa.");
    // not ready endpoints have no PTR either
    assertNxdomain(ask("3.3.244.10.in-addr.arpa.", Type.PTR));
    assertThat(zone.serves(name("1.0.0.127.in-addr.arpa."))).isFalse();
    assertThat(zone.serves(name("96.10.in-addr.arpa."))).isFalse();
    assertThat(zone.serves(name("example.com."))).isFalse();
    assertThat(zone.serves(name("x.cluster.local."))).isTrue();
  }

  @Test
  void podRecordsAreTheAddressTheNameSpells() {
    assertThat(answers(ask("10-244-1-77.apps.pod.cluster.local.", Type.A))).containsExactly("10.244.1.77");
    assertNodata(ask("10-244-1-77.apps.pod.cluster.local.", Type.AAAA));
    assertNxdomain(ask("10-244-1-777.apps.pod.cluster.local.", Type.A));
    assertNxdomain(ask("not-an-ip.apps.pod.cluster.local.", Type.A));
    assertNxdomain(ask("10-244-1-77.nonamespace.pod.cluster.local.", Type.A));
  }

  @Test
  void schemaVersionSoaAndNsOfTheZone() {
    Message version = ask("dns-version.cluster.local.", Type.TXT);
    assertThat(answers(version)).containsExactly("\"1.1.0\"");
    Message soa = ask("cluster.local.", Type.SOA);
    assertThat(soa.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
      SOARecord s = (SOARecord) r;
      assertThat(s.getHost().toString()).isEqualTo("ns.dns.cluster.local.");
      assertThat(s.getAdmin().toString()).isEqualTo("hostmaster.cluster.local.");
      assertThat(s.getMinimum()).isEqualTo(5);
    });
    Message ns = ask("cluster.local.", Type.NS);
    assertThat(answers(ns)).containsExactly("ns.dns.cluster.local.");
    assertThat(ns.getSection(Section.ADDITIONAL)).extracting(Record::rdataToString).containsExactly("10.96.0.10");
    assertThat(answers(ask("ns.dns.cluster.local.", Type.A))).containsExactly("10.96.0.10");
    assertNodata(ask("dns.cluster.local.", Type.A));
  }

  @Test
  void changesAreSeenAtOnce() {
    ClusterObjects.service(fixture, "apps", "late", "10.96.9.9", "[{name: http, port: 80}]");
    await().untilAsserted(() -> assertThat(answers(ask("late.apps.svc.cluster.local.", Type.A))).containsExactly("10.96.9.9"));
    fixture.delete("v1", "Service", "apps", "late", null);
    await().untilAsserted(() -> assertNxdomain(ask("late.apps.svc.cluster.local.", Type.A)));
  }

  static Message query(String n, int type) {
    return Message.newQuery(Record.newRecord(name(n), type, DClass.IN));
  }

  static Name name(String n) {
    try {
      return Name.fromString(n);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
