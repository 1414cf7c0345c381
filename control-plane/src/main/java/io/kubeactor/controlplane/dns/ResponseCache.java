package io.kubeactor.controlplane.dns;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Upstream answers kept for their TTL, at most {@code maxTtl} (CoreDNS's {@code cache 30}):
 * answers for as long as their shortest record lives, NXDOMAIN and NODATA for their SOA's negative
 * TTL (RFC 2308), failures not at all. A hit is the stored answer with its TTLs counted down. The
 * least recently used entry goes when {@code capacity} is reached.
 */
final class ResponseCache {

  private record Key(String name, int type, int dclass) {}

  private record Entry(Message response, long storedNanos, long expiresNanos) {}

  private final long maxTtlSeconds;
  private final int capacity;
  private final LongSupplier nanoClock;
  private final Map<Key, Entry> entries;

  ResponseCache(Duration maxTtl, int capacity, LongSupplier nanoClock) {
    this.maxTtlSeconds = maxTtl.toSeconds();
    this.capacity = capacity;
    this.nanoClock = nanoClock;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
        return size() > ResponseCache.this.capacity;
      }
    };
  }

  /** The stored answer to the question, TTLs lowered by the time it was kept, or null. */
  Message get(Record question) {
    if (capacity <= 0) return null;
    Key key = key(question);
    Entry e;
    long now = nanoClock.getAsLong();
    synchronized (entries) {
      e = entries.get(key);
      if (e != null && now >= e.expiresNanos()) {
        entries.remove(key);
        e = null;
      }
    }
    if (e == null) return null;
    long elapsed = (now - e.storedNanos()) / 1_000_000_000L;
    Message copy = new Message(e.response().getHeader().getID());
    copy.getHeader().setRcode(e.response().getHeader().getRcode());
    for (int flag : new int[] {org.xbill.DNS.Flags.RA, org.xbill.DNS.Flags.AD, org.xbill.DNS.Flags.AA}) {
      if (e.response().getHeader().getFlag(flag)) copy.getHeader().setFlag(flag);
    }
    copy.addRecord(question, Section.QUESTION);
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
      for (Record r : e.response().getSection(section)) {
        copy.addRecord(withTtl(r, Math.max(0, r.getTTL() - elapsed), section), section);
      }
    }
    return copy;
  }

  /** Keeps an upstream answer (no OPT record in it) as long as its records say, when it may be kept. */
  void put(Record question, Message response) {
    if (capacity <= 0 || response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) return;
    long ttl = ttl(response);
    if (ttl <= 0) return;
    long now = nanoClock.getAsLong();
    synchronized (entries) {
      entries.put(key(question), new Entry(response, now, now + ttl * 1_000_000_000L));
    }
  }

  /** The record with another TTL: its uncompressed wire form with the TTL field rewritten (names keep their case). */
  static Record withTtl(Record r, long ttl, int section) {
    byte[] wire = r.toWire(section);
    int at = r.getName().length() + 4; // owner, type, class, then the TTL
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return Record.fromWire(wire, section);
    } catch (java.io.IOException e) {
      return r;
    }
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  private long ttl(Message m) {
    int rcode = m.getRcode();
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) return 0;
    var answers = m.getSection(Section.ANSWER);
    long ttl = Long.MAX_VALUE;
    if (rcode == Rcode.NOERROR && !answers.isEmpty()) {
      for (Record r : answers) ttl = Math.min(ttl, r.getTTL());
    } else {
      // a negative answer is kept for its SOA's TTL or minimum, whichever is lower (RFC 2308 §5)
      for (Record r : m.getSection(Section.AUTHORITY)) {
        if (r.getType() == Type.SOA) ttl = Math.min(ttl, Math.min(r.getTTL(), ((SOARecord) r).getMinimum()));
      }
      if (ttl == Long.MAX_VALUE) return 0;
    }
    return Math.min(ttl, maxTtlSeconds);
  }

  private static Key key(Record q) {
    return new Key(q.getName().toString().toLowerCase(Locale.ROOT), q.getType(), q.getDClass());
  }
}
