package io.kubeactor.agent.stream.spdy;

import io.kubeactor.agent.stream.spdy.SpdyFrame.HeaderBlock;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3 header blocks: name/value pairs with 32-bit lengths, values joined by NUL, compressed with
 * zlib primed with SPDY/3's dictionary. Each direction of a session keeps one compression context for
 * all its blocks, so a session has one {@link Compressor} and one {@link Decompressor}. Netty's SPDY
 * package has these, but not as public classes.
 */
public final class SpdyHeaderBlocks {
  private SpdyHeaderBlocks() {}

  /** A block that decompresses to more than this ends the session (a zip bomb is not a header). */
  static final int MAX_DECOMPRESSED_BYTES = 256 * 1024;

  /** SPDY/3's zlib dictionary (section 2.6.10.1): length-prefixed common header words, then a tail. */
  static final byte[] DICTIONARY = dictionary();

  private static byte[] dictionary() {
    String[] words = {"options", "head", "post", "put", "delete", "trace", "accept", "accept-charset",
        "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control",
        "connection", "content-base", "content-encoding", "content-language", "content-length", "content-location",
        "content-md5", "content-range", "content-type", "date", "etag", "expect", "expires", "from", "host",
        "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "last-modified",
        "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range", "referer",
        "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via",
        "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public",
        "set-cookie", "keep-alive", "origin"};
    String tail = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String w : words) {
      byte[] b = w.getBytes(StandardCharsets.ISO_8859_1);
      out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
      out.writeBytes(b);
    }
    out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** The uncompressed form: a count, then each name and its NUL-joined values, with 32-bit lengths. */
  static byte[] encode(Map<String, List<String>> headers) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeInt(out, headers.size());
    headers.forEach((name, values) -> {
      writeString(out, name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      writeString(out, String.join("\0", values).getBytes(StandardCharsets.UTF_8));
    });
    return out.toByteArray();
  }

  /** Reads the uncompressed form; rules broken make a malformed block, truncation likewise. */
  static HeaderBlock decode(byte[] block) {
    ByteBuffer in = ByteBuffer.wrap(block);
    Map<String, List<String>> values = new LinkedHashMap<>();
    if (in.remaining() < 4) return new HeaderBlock(values, true);
    int count = in.getInt();
    if (count < 0) return new HeaderBlock(values, true);
    for (int i = 0; i < count; i++) {
      String name = readString(in);
      String value = name == null ? null : readString(in);
      if (name == null || value == null || name.isEmpty() || values.containsKey(name)
          || !name.equals(name.toLowerCase(Locale.ROOT))) {
        return new HeaderBlock(values, true);
      }
      List<String> vs = new ArrayList<>(List.of(value.split("\0", -1)));
      if (vs.stream().anyMatch(String::isEmpty) && !(vs.size() == 1)) return new HeaderBlock(values, true);
      values.put(name, List.copyOf(vs));
    }
    return new HeaderBlock(values, in.hasRemaining());
  }

  private static String readString(ByteBuffer in) {
    if (in.remaining() < 4) return null;
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) return null;
    byte[] b = new byte[length];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void writeString(ByteArrayOutputStream out, byte[] b) {
    writeInt(out, b.length);
    out.writeBytes(b);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
  }

  /** One direction's compression context: every block flushed whole (SYNC_FLUSH) so it can be read at once. */
  public static final class Compressor {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);

    public Compressor() {
      deflater.setDictionary(DICTIONARY);
    }

    public byte[] compress(Map<String, List<String>> headers) {
      deflater.setInput(encode(headers));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[1024];
      int n;
      do {
        n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        out.write(buf, 0, n);
      } while (n == buf.length);
      return out.toByteArray();
    }

    public void end() {
      deflater.end();
    }
  }

  /** One direction's decompression context; a stream zlib cannot read ends the session. */
  public static final class Decompressor {
    private final Inflater inflater = new Inflater();

    public HeaderBlock decompress(byte[] compressed) throws SpdyProtocolError {
      if (compressed.length == 0) return HeaderBlock.EMPTY;
      inflater.setInput(compressed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      try {
        while (true) {
          int n = inflater.inflate(buf);
          if (n == 0 && inflater.needsDictionary()) {
            inflater.setDictionary(DICTIONARY);
            continue;
          }
          out.write(buf, 0, n);
          if (out.size() > MAX_DECOMPRESSED_BYTES) throw new SpdyProtocolError("header block too large");
          if (n == 0 && (inflater.needsInput() || inflater.finished())) break;
        }
      } catch (DataFormatException | IllegalArgumentException e) {
        throw new SpdyProtocolError("header block cannot be decompressed: " + e.getMessage());
      }
      return decode(out.toByteArray());
    }

    public void end() {
      inflater.end();
    }
  }
}
