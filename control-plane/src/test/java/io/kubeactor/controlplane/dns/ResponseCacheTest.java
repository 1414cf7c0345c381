package io.kubeactor.controlplane.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {

  final AtomicLong now = new AtomicLong();
  final ResponseCache cache = new ResponseCache(Duration.ofSeconds(30), 2, now::get);

  static Record question(String name) throws Exception {
    return Record.newRecord(Name.fromString(name), Type.A, DClass.IN);
  }

  static Message answer(String name, long ttl) throws Exception {
    Message m = Message.newQuery(question(name));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(new ARecord(Name.fromString(name), DClass.IN, ttl, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
    return m;
  }

  static Message negative(String name, long soaTtl, long minimum) throws Exception {
    Message m = Message.newQuery(question(name));
    m.getHeader().setRcode(Rcode.NXDOMAIN);
    m.addRecord(new SOARecord(Name.fromString("example."), DClass.IN, soaTtl, Name.fromString("ns.example."),
        Name.fromString("h.example."), 1, 1, 1, 1, minimum), Section.AUTHORITY);
    return m;
  }

  void advanceSeconds(long s) {
    now.addAndGet(s * 1_000_000_000L);
  }

  @Test
  void answersAreKeptForTheirTtlWithTheTtlCountedDown() throws Exception {
    cache.put(question("a.example."), answer("a.example.", 20));
    advanceSeconds(7);
    Message hit = cache.get(question("A.EXAMPLE."));
    assertThat(hit.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
      assertThat(r.getTTL()).isEqualTo(13);
      assertThat(r.getName().toString()).isEqualTo("a.example.");
    });
    advanceSeconds(13);
    assertThat(cache.get(question("a.example."))).isNull();
  }

  @Test
  void nothingIsKeptLongerThanTheMaximum() throws Exception {
    cache.put(question("a.example."), answer("a.example.", 3600));
    advanceSeconds(29);
    assertThat(cache.get(question("a.example."))).isNotNull();
    advanceSeconds(1);
    assertThat(cache.get(question("a.example."))).isNull();
  }

  @Test
  void negativeAnswersAreKeptForTheSoasNegativeTtlAndFailuresNotAtAll() throws Exception {
    cache.put(question("n.example."), negative("n.example.", 60, 10));
    advanceSeconds(9);
    assertThat(cache.get(question("n.example.")).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    advanceSeconds(1);
    assertThat(cache.get(question("n.example."))).isNull();
    Message fail = Message.newQuery(question("f.example."));
    fail.getHeader().setRcode(Rcode.SERVFAIL);
    cache.put(question("f.example."), fail);
    assertThat(cache.get(question("f.example."))).isNull();
    Message truncated = answer("t.example.", 60);
    truncated.getHeader().setFlag(Flags.TC);
    cache.put(question("t.example."), truncated);
    assertThat(cache.get(question("t.example."))).isNull();
  }

  @Test
  void theLeastRecentlyUsedGoesWhenFull() throws Exception {
    cache.put(question("a.example."), answer("a.example.", 20));
    cache.put(question("b.example."), answer("b.example.", 20));
    cache.get(question("a.example."));
    cache.put(question("c.example."), answer("c.example.", 20));
    assertThat(cache.get(question("b.example."))).isNull();
    assertThat(cache.get(question("a.example."))).isNotNull();
    assertThat(cache.size()).isEqualTo(2);
  }
}
