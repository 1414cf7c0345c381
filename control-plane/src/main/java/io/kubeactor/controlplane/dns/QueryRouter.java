package io.kubeactor.controlplane.dns;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Where each query goes: the cluster domain and the cluster's reverse zones to {@link ClusterZone},
 * every other name to {@link UpstreamForwarder}. Queries a server does not take are answered as
 * CoreDNS answers them: FORMERR for a message without exactly one question, NOTIMP for another
 * opcode, REFUSED for zone transfers, BADVERS for an EDNS version above 0. A reply to a query with
 * EDNS carries an OPT record with this server's buffer size.
 */
final class QueryRouter implements DnsServer.Handler {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(QueryRouter.class);

  private final ClusterZone zone;
  private final UpstreamForwarder upstream;

  QueryRouter(ClusterZone zone, UpstreamForwarder upstream) {
    this.zone = zone;
    this.upstream = upstream;
  }

  @Override
  public CompletionStage<Message> handle(Message query) {
    if (query.getHeader().getFlag(Flags.QR)) return null; // a response: never answered (no reflection loops)
    Message early = refusal(query);
    if (early != null) return CompletableFuture.completedFuture(withOpt(query, early));
    Record q = query.getQuestion();
    CompletionStage<Message> answer;
    if (zone.serves(q.getName())) {
      ClusterZone.Answer a;
      try {
        a = zone.answer(query);
      } catch (RuntimeException e) {
        LOG.warn("cannot answer {}: {}", q, e.toString());
        return CompletableFuture.completedFuture(withOpt(query, error(query, Rcode.SERVFAIL)));
      }
      answer = a.externalTarget() == null ? CompletableFuture.completedFuture(a.response())
          : upstream.lookup(a.externalTarget(), a.externalType()).thenApply(r -> {
            // the CNAME's target resolved upstream, as CoreDNS's kubernetes plugin does for ExternalName Services
            if (r != null) for (Record rr : r.getSection(Section.ANSWER)) a.response().addRecord(rr, Section.ANSWER);
            return a.response();
          });
    } else {
      answer = upstream.forward(query);
    }
    return answer.thenApply(m -> withOpt(query, m));
  }

  /** The reply for a query that is not looked up at all, or null. */
  private static Message refusal(Message query) {
    if (query.getHeader().getOpcode() != Opcode.QUERY) return error(query, Rcode.NOTIMP);
    if (query.getHeader().getCount(Section.QUESTION) != 1) return error(query, Rcode.FORMERR);
    OPTRecord opt = query.getOPT();
    if (opt != null && opt.getVersion() > 0) {
      Message m = error(query, Rcode.NOERROR);
      m.addRecord(new OPTRecord(UpstreamForwarder.EDNS_PAYLOAD, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
      return m;
    }
    int type = query.getQuestion().getType();
    if (type == Type.AXFR || type == Type.IXFR) return error(query, Rcode.REFUSED);
    int dclass = query.getQuestion().getDClass();
    if (dclass != DClass.IN && dclass != DClass.ANY) return error(query, Rcode.NOTIMP);
    return null;
  }

  static Message error(Message query, int rcode) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setOpcode(query.getHeader().getOpcode());
    if (query.getHeader().getFlag(Flags.RD)) m.getHeader().setFlag(Flags.RD);
    m.getHeader().setRcode(rcode);
    if (query.getHeader().getCount(Section.QUESTION) == 1) m.addRecord(query.getQuestion(), Section.QUESTION);
    return m;
  }

  /** The reply with an OPT record when the query had one (RFC 6891), keeping its DO bit. */
  private static Message withOpt(Message query, Message reply) {
    OPTRecord q = query.getOPT();
    if (q == null || reply.getOPT() != null) return reply;
    int flags = q.getFlags() & org.xbill.DNS.ExtendedFlags.DO;
    reply.addRecord(new OPTRecord(UpstreamForwarder.EDNS_PAYLOAD, 0, 0, flags), Section.ADDITIONAL);
    return reply;
  }
}
