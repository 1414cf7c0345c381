package io.kubeactor.agent.stream.spdy;

import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * The frames of SPDY/3.1 (draft-mbelshe-httpbis-spdy-00 with 3.1's session flow control), as the
 * Kubernetes streaming protocols use them: streams opened with SYN_STREAM and answered with
 * SYN_REPLY, data, resets, pings and the session's end.
 */
public sealed interface SpdyFrame {

  /** RST_STREAM status codes. */
  int PROTOCOL_ERROR = 1;
  int INVALID_STREAM = 2;
  int REFUSED_STREAM = 3;
  int CANCEL = 5;
  int INTERNAL_ERROR = 6;

  /** GOAWAY status codes. */
  int GOAWAY_OK = 0;
  int GOAWAY_PROTOCOL_ERROR = 1;

  /**
   * A decoded header block: lower-case names, each with its values in order. Malformed when the
   * block decompressed but broke SPDY's rules (an empty or repeated name, an empty value); the
   * stream it opens is then refused.
   */
  record HeaderBlock(Map<String, List<String>> values, boolean malformed) {
    public static final HeaderBlock EMPTY = new HeaderBlock(Map.of(), false);

    public HeaderBlock {
      values = Map.copyOf(values);
    }

    /** The first value of a header, or "" (Go's http.Header.Get). */
    public String first(String name) {
      List<String> v = values.get(name);
      return v == null || v.isEmpty() ? "" : v.get(0);
    }
  }

  record Data(int streamId, boolean last, ByteString data) implements SpdyFrame {}

  record SynStream(int streamId, int associatedStreamId, int priority, boolean last, boolean unidirectional,
      HeaderBlock headers) implements SpdyFrame {}

  record SynReply(int streamId, boolean last, HeaderBlock headers) implements SpdyFrame {}

  record RstStream(int streamId, int statusCode) implements SpdyFrame {}

  /** SETTINGS: id to value (the persist flags are not kept). */
  record Settings(boolean clearPrevious, Map<Integer, Integer> values) implements SpdyFrame {
    public Settings {
      values = Map.copyOf(values);
    }
  }

  record Ping(int id) implements SpdyFrame {}

  record GoAway(int lastGoodStreamId, int statusCode) implements SpdyFrame {}

  record Headers(int streamId, boolean last, HeaderBlock headers) implements SpdyFrame {}

  record WindowUpdate(int streamId, int deltaWindowSize) implements SpdyFrame {}
}
