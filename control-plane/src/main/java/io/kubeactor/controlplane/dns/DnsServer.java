package io.kubeactor.controlplane.dns;

import io.kubeactor.controlplane.api.IpAddresses;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;

/**
 * DNS over UDP and TCP on one address and port (for port 0 the same free port for both): the
 * sockets, framing and size limits, with the answers left to a {@link Handler}.
 *
 * <p>UDP queries are received by a few dedicated threads, each answering what it received; an
 * answer that is not ready at once (a forwarded query) is sent by whichever thread completes it,
 * so no thread waits on an upstream. A UDP answer is cut to what the client can take (512 bytes,
 * or its EDNS buffer size) and then carries the TC flag, so the client asks again over TCP. TCP
 * connections get a thread each, up to a limit, and are closed after an idle timeout. A message
 * that cannot be parsed is answered FORMERR when its header can be read and dropped otherwise; a
 * failing handler gives SERVFAIL; nothing a client sends stops the server.
 */
public final class DnsServer implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DnsServer.class);
  private static final int HEADER = 12;

  /** Answers a parsed query; null means no answer at all (e.g. the message was itself a response). */
  public interface Handler {
    CompletionStage<Message> handle(Message query);
  }

  private final Handler handler;
  private final DatagramChannel udp;
  private final ServerSocket tcp;
  private final List<Thread> threads = new ArrayList<>();
  private final ExecutorService tcpConnections;
  private final Semaphore tcpSlots;
  private final Duration tcpIdleTimeout;
  private final Duration answerTimeout;
  private volatile boolean closed;

  private DnsServer(Handler handler, DatagramChannel udp, ServerSocket tcp, int maxTcpConnections, Duration tcpIdleTimeout,
      Duration answerTimeout) {
    this.handler = handler;
    this.udp = udp;
    this.tcp = tcp;
    this.tcpSlots = new Semaphore(maxTcpConnections);
    this.tcpIdleTimeout = tcpIdleTimeout;
    this.answerTimeout = answerTimeout;
    AtomicInteger n = new AtomicInteger();
    this.tcpConnections = Executors.newCachedThreadPool(r -> daemon(r, "dns-tcp-" + n.incrementAndGet()));
  }

  /**
   * Binds UDP and TCP on host:port and starts serving.
   *
   * @param answerTimeout how long a TCP connection waits for one answer before it is closed
   */
  public static DnsServer start(String host, int port, Handler handler, int udpThreads, int maxTcpConnections,
      Duration tcpIdleTimeout, Duration answerTimeout) throws IOException {
    InetAddress address = IpAddresses.literal(host);
    IOException last = null;
    for (int attempt = 0; attempt < (port == 0 ? 10 : 1); attempt++) {
      DatagramChannel udp = DatagramChannel.open(address instanceof java.net.Inet6Address
          ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
      try {
        udp.bind(new InetSocketAddress(address, port));
        int bound = ((InetSocketAddress) udp.getLocalAddress()).getPort();
        ServerSocket tcp = new ServerSocket();
        try {
          tcp.setReuseAddress(true);
          tcp.bind(new InetSocketAddress(address, bound), 128);
        } catch (IOException e) {
          tcp.close();
          throw e;
        }
        DnsServer server = new DnsServer(handler, udp, tcp, maxTcpConnections, tcpIdleTimeout, answerTimeout);
        server.startThreads(Math.max(1, udpThreads));
        return server;
      } catch (BindException e) {
        // the free UDP port is taken for TCP: another one
        udp.close();
        last = e;
      } catch (IOException | RuntimeException e) {
        udp.close();
        throw e;
      }
    }
    throw last;
  }

  public InetSocketAddress udpAddress() {
    try {
      return (InetSocketAddress) udp.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public InetSocketAddress tcpAddress() {
    return (InetSocketAddress) tcp.getLocalSocketAddress();
  }

  private void startThreads(int udpThreads) {
    for (int i = 0; i < udpThreads; i++) threads.add(daemon(this::receiveUdp, "dns-udp-" + i));
    threads.add(daemon(this::acceptTcp, "dns-tcp-accept"));
    threads.forEach(Thread::start);
  }

  // ---- UDP ----

  private void receiveUdp() {
    ByteBuffer buffer = ByteBuffer.allocate(65535);
    while (!closed) {
      SocketAddress from;
      buffer.clear();
      try {
        from = udp.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!closed) LOG.debug("dns udp receive failed: {}", e.toString());
        continue;
      }
      if (from == null) continue;
      buffer.flip();
      byte[] in = new byte[buffer.remaining()];
      buffer.get(in);
      CompletionStage<byte[]> out = serve(in, true);
      if (out != null) out.thenAccept(bytes -> sendUdp(bytes, from));
    }
  }

  private void sendUdp(byte[] bytes, SocketAddress to) {
    try {
      udp.send(ByteBuffer.wrap(bytes), to);
    } catch (IOException e) {
      if (!closed) LOG.debug("dns udp send to {} failed: {}", to, e.toString());
    }
  }

  // ---- TCP ----

  private void acceptTcp() {
    while (!closed) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        if (closed) return;
        LOG.debug("dns tcp accept failed: {}", e.toString());
        continue;
      }
      if (!tcpSlots.tryAcquire()) {
        closeQuietly(s);
        continue;
      }
      try {
        tcpConnections.execute(() -> {
          try {
            serveTcp(s);
          } finally {
            tcpSlots.release();
            closeQuietly(s);
          }
        });
      } catch (RuntimeException e) {
        tcpSlots.release();
        closeQuietly(s);
      }
    }
  }

  /** Length-prefixed messages (RFC 1035 4.2.2, RFC 7766), answered in order until the client closes or idles. */
  private void serveTcp(Socket s) {
    try {
      s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, tcpIdleTimeout.toMillis()));
      s.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (!closed) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException | SocketTimeoutException e) {
          return;
        }
        byte[] message = new byte[length];
        in.readFully(message);
        CompletionStage<byte[]> answer = serve(message, false);
        if (answer == null) continue;
        byte[] bytes = answer.toCompletableFuture().get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        byte[] framed = new byte[bytes.length + 2];
        framed[0] = (byte) (bytes.length >>> 8);
        framed[1] = (byte) bytes.length;
        System.arraycopy(bytes, 0, framed, 2, bytes.length);
        out.write(framed);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (!closed) LOG.debug("dns tcp connection from {} ended: {}", s.getRemoteSocketAddress(), e.toString());
    }
  }

  // ---- both ----

  /** The answer's bytes for a received message, or null when it gets none. */
  private CompletionStage<byte[]> serve(byte[] in, boolean overUdp) {
    Message query;
    try {
      query = new Message(in);
    } catch (IOException | RuntimeException e) {
      byte[] formErr = formErr(in);
      return formErr == null ? null : CompletableFuture.completedFuture(formErr);
    }
    CompletionStage<Message> answer;
    try {
      answer = handler.handle(query);
    } catch (RuntimeException e) {
      LOG.warn("dns handler failed for {}: {}", query.getQuestion(), e.toString());
      answer = CompletableFuture.completedFuture(QueryRouter.error(query, Rcode.SERVFAIL));
    }
    if (answer == null) return null;
    int limit = overUdp ? udpLimit(query) : 65535;
    return answer.handle((m, err) -> {
      Message reply = err != null || m == null ? QueryRouter.error(query, Rcode.SERVFAIL) : m;
      try {
        // over UDP an answer larger than the client takes is cut and flagged TC (dnsjava drops whole RRsets)
        return reply.toWire(limit);
      } catch (RuntimeException e) {
        LOG.warn("dns answer for {} cannot be written: {}", query.getQuestion(), e.toString());
        return QueryRouter.error(query, Rcode.SERVFAIL).toWire();
      }
    });
  }

  /** What a UDP answer may take: 512 bytes, or the client's EDNS buffer size (RFC 6891). */
  static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? 512 : Math.max(512, Math.min(65535, opt.getPayloadSize()));
  }

  /** FORMERR for a message whose header is readable and that is a query; otherwise null (dropped). */
  static byte[] formErr(byte[] in) {
    if (in.length < HEADER || (in[2] & 0x80) != 0) return null;
    byte[] out = new byte[HEADER];
    out[0] = in[0];
    out[1] = in[1];
    out[2] = (byte) (0x80 | (in[2] & 0x79)); // QR, the opcode and RD of the query
    out[3] = (byte) Rcode.FORMERR;
    return out;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      udp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      tcp.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    tcpConnections.shutdownNow();
    for (Thread t : threads) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
