package io.kubeactor.controlplane.dns;

import static io.kubeactor.controlplane.dns.ClusterObjects.Ep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.controller.ControllerFixture;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The cluster DNS over its sockets: UDP and TCP, truncation to the client's buffer size, EDNS,
 * malformed and unsupported queries, and forwarding (with its cache and its SERVFAIL) to a second
 * dnsjava-based server started here on 127.0.0.1. No query leaves the loopback.
 */
class ClusterDnsTest {

  static ControllerFixture fixture;
  static DnsServer upstream;
  static final Map<String, AtomicInteger> upstreamQueries = new ConcurrentHashMap<>();
  static ClusterDns dns;
  static final AtomicReference<ClusterDns.Serving> published = new AtomicReference<>();
  static InetSocketAddress server;

  @BeforeAll
  static void start() throws Exception {
    fixture = new ControllerFixture();
    ClusterObjects.namespace(fixture, "apps");
    ClusterObjects.service(fixture, "apps", "web", "10.96.3.7", "[{name: http, port: 80}]");
    ClusterObjects.service(fixture, "apps", "big", "None", "[{name: http, port: 80}]");
    List<Ep> many = new ArrayList<>();
    for (int i = 1; i <= 100; i++) many.add(new Ep("10.244.5." + i, null, true));
    ClusterObjects.slice(fixture, "apps", "big", "big-abc", "[{name: http, port: 80, protocol: TCP}]", many);
    ClusterObjects.externalName(fixture, "apps", "search", "www.example.com");
    upstream = DnsServer.start("127.0.0.1", 0, ClusterDnsTest::upstreamAnswer, 1, 4, Duration.ofSeconds(5),
        Duration.ofSeconds(5));
    DnsSettings settings = DnsSettings.forTest(List.of(upstream.udpAddress()));
    settings = new DnsSettings(settings.domain(), settings.host(), 0, settings.ttl(), settings.upstreams(),
        Duration.ofMillis(300), settings.cacheMaxTtl(), settings.cacheSize(), settings.reverseCidrs(),
        settings.udpThreads(), settings.maxTcpConnections(), settings.tcpIdleTimeout());
    dns = ClusterDns.start(settings, fixture.context.informers(), published::set);
    server = new InetSocketAddress("127.0.0.1", dns.port());
    await().until(() -> fixture.context.informers().endpointSlices().list().size() == 1);
  }

  @AfterAll
  static void stop() {
    dns.close();
    upstream.close();
    fixture.close();
  }

  /** The fake upstream: example.com and www.example.com have addresses, slow.example never answers, the rest is NXDOMAIN. */
  static CompletableFuture<Message> upstreamAnswer(Message q) {
    String name = q.getQuestion().getName().toString().toLowerCase();
    upstreamQueries.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    if (name.equals("slow.example.")) return new CompletableFuture<>();
    Message m = QueryRouter.error(q, Rcode.NOERROR);
    m.getHeader().setFlag(Flags.RA);
    try {
      switch (name) {
        case "example.com." -> m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300,
            java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1})), Section.ANSWER);
        case "www.example.com." -> m.addRecord(new ARecord(q.getQuestion().getName(), DClass.IN, 300,
            java.net.InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 80})), Section.ANSWER);
        default -> {
          m.getHeader().setRcode(Rcode.NXDOMAIN);
          m.addRecord(new SOARecord(Name.root, DClass.IN, 60, Name.fromString("a.root-servers.net."),
              Name.fromString("nstld.verisign-grs.com."), 1, 1800, 900, 604800, 60), Section.AUTHORITY);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return CompletableFuture.completedFuture(m);
  }

  static Message query(String name, int type) {
    try {
      return Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Message withEdns(Message q, int payload) {
    q.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
    return q;
  }

  static byte[] udpBytes(byte[] out) throws IOException {
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(out, out.length, server));
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      s.receive(p);
      return java.util.Arrays.copyOf(p.getData(), p.getLength());
    }
  }

  static Message udp(Message q) throws IOException {
    byte[] in = udpBytes(q.toWire());
    assertThat(in.length).isLessThanOrEqualTo(DnsServer.udpLimit(q));
    return new Message(in);
  }

  static Message tcp(Message q) throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(5000);
      byte[] out = q.toWire();
      s.getOutputStream().write(new byte[] {(byte) (out.length >>> 8), (byte) out.length});
      s.getOutputStream().write(out);
      DataInputStream in = new DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return new Message(answer);
    }
  }

  @Test
  void publishesTheBoundAddressWithOnePortForUdpAndTcp() {
    ClusterDns.Serving s = published.get();
    assertThat(s.address()).isEqualTo("127.0.0.1");
    assertThat(s.udpPort()).isEqualTo(dns.port()).isPositive();
    assertThat(s.tcpPort()).isEqualTo(s.udpPort());
  }

  @Test
  void answersClusterNamesOverUdpAndTcp() throws IOException {
    Message q = query("web.apps.svc.cluster.local.", Type.A);
    for (Message m : List.of(udp(q), tcp(q))) {
      assertThat(m.getHeader().getID()).isEqualTo(q.getHeader().getID());
      assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
      assertThat(m.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("10.96.3.7");
    }
  }

  @Test
  void aUdpAnswerLargerThanTheClientTakesIsTruncatedAndWholeOverTcp() throws IOException {
    Message plain = udp(query("big.apps.svc.cluster.local.", Type.A));
    assertThat(plain.getHeader().getFlag(Flags.TC)).isTrue();
    assertThat(plain.getSection(Section.ANSWER).size()).isLessThan(100);

    Message edns = udp(withEdns(query("big.apps.svc.cluster.local.", Type.A), 4096));
    assertThat(edns.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(edns.getSection(Section.ANSWER)).hasSize(100);
    assertThat(edns.getOPT()).isNotNull();

    Message small = udp(withEdns(query("big.apps.svc.cluster.local.", Type.A), 1232));
    assertThat(small.getHeader().getFlag(Flags.TC)).isTrue();

    Message overTcp = tcp(query("big.apps.svc.cluster.local.", Type.A));
    assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
    assertThat(overTcp.getSection(Section.ANSWER)).hasSize(100);
  }

  @Test
  void severalQueriesOnOneTcpConnectionAreAnsweredInOrder() throws IOException {
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.setSoTimeout(5000);
      List<Message> queries = List.of(query("web.apps.svc.cluster.local.", Type.A), query("nope.apps.svc.cluster.local.", Type.A));
      for (Message q : queries) {
        byte[] out = q.toWire();
        s.getOutputStream().write(new byte[] {(byte) (out.length >>> 8), (byte) out.length});
        s.getOutputStream().write(out);
      }
      DataInputStream in = new DataInputStream(s.getInputStream());
      for (Message q : queries) {
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        Message m = new Message(answer);
        assertThat(m.getHeader().getID()).isEqualTo(q.getHeader().getID());
      }
    }
  }

  @Test
  void malformedQueriesAreAnsweredFormerrOrDroppedAndServingGoesOn() throws IOException {
    // a header announcing a question that is not there
    byte[] noQuestion = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
    byte[] in = udpBytes(noQuestion);
    Message formErr = new Message(in);
    assertThat(formErr.getHeader().getID()).isEqualTo(0x1234);
    assertThat(formErr.getHeader().getFlag(Flags.QR)).isTrue();
    assertThat(formErr.getRcode()).isEqualTo(Rcode.FORMERR);

    // too short for a header: dropped; the same socket's next answer is for the next query
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, server));
      Message q = query("web.apps.svc.cluster.local.", Type.A);
      byte[] out = q.toWire();
      s.send(new DatagramPacket(out, out.length, server));
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      s.receive(p);
      assertThat(new Message(java.util.Arrays.copyOf(p.getData(), p.getLength())).getHeader().getID())
          .isEqualTo(q.getHeader().getID());
    }

    // two questions: FORMERR
    Message two = query("web.apps.svc.cluster.local.", Type.A);
    two.addRecord(query("big.apps.svc.cluster.local.", Type.A).getQuestion(), Section.QUESTION);
    assertThat(udp(two).getRcode()).isEqualTo(Rcode.FORMERR);

    // garbage over TCP closes that connection only
    try (Socket s = new Socket(server.getAddress(), server.getPort())) {
      s.getOutputStream().write(new byte[] {0, 5, 9, 9, 9, 9, 9});
    }
    assertThat(udp(query("web.apps.svc.cluster.local.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
  }

  @Test
  void unsupportedQueriesGetCoreDnsRcodes() throws IOException {
    Message status = query("web.apps.svc.cluster.local.", Type.A);
    status.getHeader().setOpcode(Opcode.STATUS);
    assertThat(udp(status).getRcode()).isEqualTo(Rcode.NOTIMP);
    assertThat(udp(query("cluster.local.", Type.AXFR)).getRcode()).isEqualTo(Rcode.REFUSED);
    Message v1 = query("web.apps.svc.cluster.local.", Type.A);
    v1.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
    assertThat(udp(v1).getRcode()).isEqualTo(Rcode.BADVERS);
    // a response sent to the server is never answered: the next datagram read is the next answer
    try (DatagramSocket s = new DatagramSocket()) {
      s.setSoTimeout(5000);
      Message response = query("web.apps.svc.cluster.local.", Type.A);
      response.getHeader().setFlag(Flags.QR);
      byte[] r = response.toWire();
      s.send(new DatagramPacket(r, r.length, server));
      Message q = query("web.apps.svc.cluster.local.", Type.A);
      byte[] out = q.toWire();
      s.send(new DatagramPacket(out, out.length, server));
      DatagramPacket p = new DatagramPacket(new byte[65535], 65535);
      s.receive(p);
      assertThat(new Message(java.util.Arrays.copyOf(p.getData(), p.getLength())).getHeader().getID())
          .isEqualTo(q.getHeader().getID());
    }
  }

  @Test
  void otherNamesAreForwardedAndCachedForTheirTtl() throws IOException {
    Message first = udp(query("example.com.", Type.A));
    assertThat(first.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(first.getHeader().getFlag(Flags.RA)).isTrue();
    assertThat(first.getHeader().getFlag(Flags.AA)).isFalse();
    assertThat(first.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
    // the cache keeps it, at most 30 s
    Message second = tcp(query("EXAMPLE.com.", Type.A));
    assertThat(second.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.1");
    assertThat(second.getSection(Section.ANSWER).get(0).getTTL()).isLessThanOrEqualTo(300);
    assertThat(upstreamQueries.get("example.com.").get()).isEqualTo(1);
  }

  @Test
  void upstreamNxdomainPassesThrough() throws IOException {
    Message m = udp(query("nothing.example.", Type.A));
    assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
    assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
  }

  @Test
  void anUpstreamThatDoesNotAnswerInTimeGivesServfailAndHoldsUpNoClusterAnswer() throws Exception {
    CompletableFuture<Message> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return udp(query("slow.example.", Type.A));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    await().until(() -> upstreamQueries.containsKey("slow.example."));
    // while the upstream is silent, cluster names are answered
    assertThat(udp(query("web.apps.svc.cluster.local.", Type.A)).getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(slow.get(5, java.util.concurrent.TimeUnit.SECONDS).getRcode()).isEqualTo(Rcode.SERVFAIL);
  }

  @Test
  void externalNameServicesCarryTheirTargetsUpstreamAddress() throws IOException {
    Message m = udp(query("search.apps.svc.cluster.local.", Type.A));
    assertThat(m.getSection(Section.ANSWER)).extracting(r -> Type.string(r.getType()) + " " + r.rdataToString())
        .containsExactly("CNAME www.example.com.", "A 192.0.2.80");
  }

  @Test
  void ednsQueriesGetAnOptRecord() throws IOException {
    Message m = udp(withEdns(query("web.apps.svc.cluster.local.", Type.A), 1232));
    assertThat(m.getOPT()).isNotNull();
    assertThat(m.getOPT().getPayloadSize()).isEqualTo(1232);
    assertThat(udp(query("web.apps.svc.cluster.local.", Type.A)).getOPT()).isNull();
  }
}
