package io.kubeactor.agent.stream;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.command.FrameReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Docker's hijacked attach and exec-start streams with a stdin that can end. docker-java 3.7 copies
 * stdin into the hijacked connection but never half-closes it, so a command reading stdin to its
 * end (cat, sh reading a script) would never see the end; this opens the connection itself (unix or
 * plain tcp Docker host) and shuts its output down when stdin ends, as the docker CLI does. The
 * frames are read with docker-java's own {@link FrameReader}.
 */
final class HijackedStream {
  private HijackedStream() {}

  /**
   * Starts the request on a thread of its own and hands the frames to the callback, as docker-java's
   * streaming calls do; stdin is copied on another thread and its end half-closes the connection.
   */
  static void start(URI dockerHost, String path, String jsonBody, boolean tty, InputStream stdin,
      ResultCallback<Frame> callback) {
    Thread reader = new Thread(() -> {
      SocketChannel channel = null;
      try {
        channel = connect(dockerHost);
        SocketChannel ch = channel;
        callback.onStart(ch::close);
        byte[] body = jsonBody.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n";
        writeFully(ch, head.getBytes(StandardCharsets.US_ASCII));
        writeFully(ch, body);
        ChannelInput in = new ChannelInput(ch);
        int status = readResponseHead(in);
        if (status != 101 && status != 200) {
          throw new DockerException(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim(), status);
        }
        Thread writer = new Thread(() -> copyStdin(stdin, ch), "docker-stdin-" + path);
        writer.setDaemon(true);
        writer.start();
        readFrames(in, tty, callback);
        callback.onComplete();
      } catch (Exception e) {
        if (channel != null && !channel.isOpen()) {
          callback.onComplete(); // closed on purpose: the client went away
        } else {
          callback.onError(e);
        }
      } finally {
        closeQuietly(channel);
      }
    }, "docker-hijacked-" + path);
    reader.setDaemon(true);
    reader.start();
  }

  private static SocketChannel connect(URI dockerHost) throws IOException {
    return switch (dockerHost.getScheme()) {
      case "unix" -> SocketChannel.open(UnixDomainSocketAddress.of(dockerHost.getPath()));
      case "tcp" -> SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
      default -> throw new IOException("cannot open a hijacked stream to Docker at " + dockerHost);
    };
  }

  /** The status code; the head (status line and headers) is consumed. */
  private static int readResponseHead(ChannelInput in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) throw new IOException("Docker closed the connection before answering");
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String statusLine = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
    String[] parts = statusLine.split(" ");
    try {
      return Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IOException("not an HTTP answer from Docker: " + statusLine);
    }
  }

  private static void readFrames(ChannelInput in, boolean tty, ResultCallback<Frame> callback) throws IOException {
    if (tty) {
      // a terminal's output is one raw stream
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer, 0, buffer.length)) > 0; ) {
        callback.onNext(new Frame(StreamType.RAW, Arrays.copyOf(buffer, n)));
      }
      return;
    }
    FrameReader frames = new FrameReader(in);
    for (Frame f; (f = frames.readFrame()) != null; ) callback.onNext(f);
  }

  private static void copyStdin(InputStream stdin, SocketChannel channel) {
    byte[] buffer = new byte[8192];
    try (stdin) {
      for (int n; (n = stdin.read(buffer)) >= 0; ) {
        if (n > 0) writeFully(channel, Arrays.copyOf(buffer, n));
      }
      channel.shutdownOutput();
    } catch (IOException e) {
      // the session ended first: nothing left to deliver
    }
  }

  private static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) channel.write(b);
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /**
   * A buffered stream over the channel's reads. Not Channels.newInputStream: on Java 17 it holds the
   * channel's blocking lock while reading, which would stop the stdin thread from writing.
   */
  private static final class ChannelInput extends InputStream {
    private final SocketChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(16384).flip();

    ChannelInput(SocketChannel channel) {
      this.channel = channel;
    }

    private boolean fill() throws IOException {
      if (buffer.hasRemaining()) return true;
      buffer.clear();
      int n = channel.read(buffer);
      buffer.flip();
      return n > 0;
    }

    @Override
    public int read() throws IOException {
      return fill() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      if (!fill()) return -1;
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }
}
