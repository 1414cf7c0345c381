package io.kubeactor.controlplane.dns;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Names outside the cluster, asked of the upstream resolvers (CoreDNS's {@code forward .
 * /etc/resolv.conf}): each in turn until one answers within the timeout, SERVFAIL when none does.
 * Everything is asynchronous (dnsjava's non-blocking clients), so a slow upstream holds up no
 * thread and no cluster answer. Answers are cached for their TTL ({@link ResponseCache}). The
 * upstream query is a new message (its own random ID and source port), never the client's bytes.
 */
final class UpstreamForwarder {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UpstreamForwarder.class);
  /** The EDNS buffer size asked of upstreams (DNS flag day 2020's 1232: no IP fragmentation). */
  static final int EDNS_PAYLOAD = 1232;

  private final List<SimpleResolver> resolvers = new ArrayList<>();
  private final ResponseCache cache;
  private final Executor executor;

  UpstreamForwarder(List<InetSocketAddress> upstreams, Duration timeout, ResponseCache cache, Executor executor) {
    for (InetSocketAddress a : upstreams) {
      SimpleResolver r = new SimpleResolver(a);
      r.setTimeout(timeout);
      r.setEDNS(0, EDNS_PAYLOAD, 0, List.of());
      resolvers.add(r);
    }
    this.cache = cache;
    this.executor = executor;
  }

  /** The upstream answer as a reply to the query (its ID and flags); SERVFAIL when no upstream answers. */
  CompletionStage<Message> forward(Message query) {
    Record q = query.getQuestion();
    return resolve(q, query.getHeader().getFlag(Flags.CD)).thenApply(upstream -> reply(query, upstream));
  }

  /** The upstream answer for a name (a CNAME's target outside the cluster domain), or null when none came. */
  CompletionStage<Message> lookup(Name name, int type) {
    return resolve(Record.newRecord(name, type, DClass.IN), false);
  }

  private CompletionStage<Message> resolve(Record question, boolean checkingDisabled) {
    Message cached = cache.get(question);
    if (cached != null) return CompletableFuture.completedFuture(cached);
    if (resolvers.isEmpty()) return CompletableFuture.completedFuture(null);
    Message query = Message.newQuery(question);
    if (checkingDisabled) query.getHeader().setFlag(Flags.CD);
    CompletableFuture<Message> result = new CompletableFuture<>();
    attempt(query, 0, null, result);
    return result.thenApply(r -> {
      if (r == null) return null;
      Message stored = withoutOpt(r);
      cache.put(question, stored);
      return stored;
    });
  }

  /** Asks upstream i; a failure, timeout, SERVFAIL or REFUSED moves on to the next. */
  private void attempt(Message query, int i, Message lastFailure, CompletableFuture<Message> result) {
    if (i >= resolvers.size()) {
      result.complete(lastFailure);
      return;
    }
    CompletionStage<Message> sent;
    try {
      sent = resolvers.get(i).sendAsync(query, executor);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((r, err) -> {
      if (err == null && r != null && r.getRcode() != Rcode.SERVFAIL && r.getRcode() != Rcode.REFUSED) {
        result.complete(r);
        return;
      }
      if (err != null) LOG.debug("upstream {} failed for {}: {}", resolvers.get(i).getAddress(), query.getQuestion(), err.toString());
      attempt(query, i + 1, lastFailure != null ? lastFailure : (err == null ? r : null), result);
    });
  }

  /** The upstream's answer as a reply to the client's query; SERVFAIL when there is none. */
  static Message reply(Message query, Message upstream) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    m.getHeader().setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) m.getHeader().setFlag(Flags.RD);
    if (query.getHeader().getFlag(Flags.CD)) m.getHeader().setFlag(Flags.CD);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    if (upstream == null) {
      m.getHeader().setRcode(Rcode.SERVFAIL);
      return m;
    }
    m.getHeader().setRcode(upstream.getHeader().getRcode());
    if (upstream.getHeader().getFlag(Flags.AD) && (query.getHeader().getFlag(Flags.AD) || isDnssecOk(query))) {
      m.getHeader().setFlag(Flags.AD);
    }
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : upstream.getSection(section)) if (r.getType() != Type.OPT) m.addRecord(r, section);
    }
    return m;
  }

  private static boolean isDnssecOk(Message query) {
    return query.getOPT() != null && (query.getOPT().getFlags() & org.xbill.DNS.ExtendedFlags.DO) != 0;
  }

  private static Message withoutOpt(Message r) {
    if (r.getOPT() == null) return r;
    Message copy = r.clone();
    copy.removeAllRecords(Section.ADDITIONAL);
    for (Record a : r.getSection(Section.ADDITIONAL)) if (a.getType() != Type.OPT) copy.addRecord(a, Section.ADDITIONAL);
    return copy;
  }
}
