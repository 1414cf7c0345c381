package io.kubeactor.agent.stream.spdy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeactor.agent.stream.spdy.SpdyFrame.HeaderBlock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.Adler32;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

class SpdyCodecTest {

  static HeaderBlock headers(Map<String, List<String>> values) {
    return new HeaderBlock(values, false);
  }

  /** What kubectl opens for each forwarded connection. */
  static final HeaderBlock PORT_FORWARD_ERROR = headers(Map.of("streamtype", List.of("error"), "port", List.of("80"),
      "requestid", List.of("0")));

  @Test
  void everyFrameTypeSurvivesTheRoundTrip() throws Exception {
    List<SpdyFrame> frames = List.of(
        new SpdyFrame.SynStream(1, 0, 3, false, false, PORT_FORWARD_ERROR),
        new SpdyFrame.SynStream(3, 1, 0, true, true, headers(Map.of("multi", List.of("a", "b")))),
        new SpdyFrame.SynReply(1, false, HeaderBlock.EMPTY),
        new SpdyFrame.SynReply(3, true, headers(Map.of("x", List.of("")))),
        new SpdyFrame.Data(1, false, ByteString.fromString("GET / HTTP/1.1\r\n\r\n")),
        new SpdyFrame.Data(1, true, ByteString.emptyByteString()),
        new SpdyFrame.RstStream(3, SpdyFrame.CANCEL),
        new SpdyFrame.Settings(true, Map.of(4, 100, 7, 65536)),
        new SpdyFrame.Ping(1),
        new SpdyFrame.Headers(1, false, headers(Map.of("trailer", List.of("yes")))),
        new SpdyFrame.WindowUpdate(0, 32768),
        new SpdyFrame.GoAway(3, SpdyFrame.GOAWAY_OK));
    SpdyCodec client = new SpdyCodec();
    SpdyCodec server = new SpdyCodec();
    ByteString wire = ByteString.emptyByteString();
    for (SpdyFrame f : frames) wire = wire.concat(client.encode(f));
    assertThat(server.decode(wire)).containsExactlyElementsOf(frames);
  }

  /**
   * The first bytes kubectl 1.32 sent for a forwarded connection (captured from a real session): its
   * error stream opened and at once half-closed, then its data stream, the second header block
   * compressed with the context the first left behind.
   */
  static final String KUBECTL_1_32_OPENING = "80030001000000400000000100000000000078f9e3c6a7c202253a703a2b294a4dcc85"
      + "1625aca9a0808614cb45a024cc6a6264646cc9c0c0c0590489c74c50fa663400000000ffff000000010100000080030001000000180"
      + "0000003000000000000c2aa1b54102512a119000000ffff";

  @Test
  void readsWhatKubectlSends() throws Exception {
    ByteString wire = ByteString.fromArray(ByteBufUtil.decodeHexDump(KUBECTL_1_32_OPENING));
    SpdyCodec server = new SpdyCodec();
    // kubectl writes each field of a frame on its own: here each piece of 2 to 16 bytes arrives alone
    List<SpdyFrame> read = new ArrayList<>();
    for (int i = 0; i < wire.size(); i += 7) read.addAll(server.decode(wire.slice(i, Math.min(i + 7, wire.size()))));
    int port = 42239;
    assertThat(read).containsExactly(
        new SpdyFrame.SynStream(1, 0, 0, false, false, headers(Map.of("streamtype", List.of("error"),
            "port", List.of(Integer.toString(port)), "requestid", List.of("0")))),
        new SpdyFrame.Data(1, true, ByteString.emptyByteString()),
        new SpdyFrame.SynStream(3, 0, 0, false, false, headers(Map.of("streamtype", List.of("data"),
            "port", List.of(Integer.toString(port)), "requestid", List.of("0")))));
  }

  @Test
  void framesSplitAnywhereAreReadWhole() throws Exception {
    SpdyCodec client = new SpdyCodec();
    ByteString wire = client.encode(new SpdyFrame.SynStream(1, 0, 0, false, false, PORT_FORWARD_ERROR))
        .concat(client.encode(new SpdyFrame.Data(1, true, ByteString.fromString("hello"))))
        .concat(client.encode(new SpdyFrame.Ping(7)));
    SpdyCodec server = new SpdyCodec();
    List<SpdyFrame> read = new ArrayList<>();
    for (int i = 0; i < wire.size(); i++) read.addAll(server.decode(wire.slice(i, i + 1)));
    // data arrives as it comes: the pieces of one frame joined give the frame
    ByteString data = read.stream().filter(f -> f instanceof SpdyFrame.Data).map(f -> ((SpdyFrame.Data) f).data())
        .reduce(ByteString.emptyByteString(), ByteString::concat);
    assertThat(read.get(0)).isEqualTo(new SpdyFrame.SynStream(1, 0, 0, false, false, PORT_FORWARD_ERROR));
    assertThat(data.utf8String()).isEqualTo("hello");
    assertThat(read.stream().filter(f -> f instanceof SpdyFrame.Data d && d.last()).count()).isEqualTo(1);
    assertThat(read.get(read.size() - 1)).isEqualTo(new SpdyFrame.Ping(7));
  }

  @Test
  void headerBlocksAreUncompressedSpdy3FormWithNulJoinedValues() {
    byte[] raw = SpdyHeaderBlocks.encode(new java.util.LinkedHashMap<>(Map.of("port", List.of("80", "81"))));
    assertThat(ByteBufUtil.hexDump(raw)).isEqualTo("00000001" + "00000004" + "706f7274" + "00000005" + "3830003831");
  }

  @Test
  void theDictionaryIsSpdy3s() throws Exception {
    assertThat(SpdyHeaderBlocks.DICTIONARY).hasSize(1423);
    Adler32 adler = new Adler32();
    adler.update(SpdyHeaderBlocks.DICTIONARY);
    // the dictionary id every SPDY/3 zlib stream carries (in its header, after FDICT)
    assertThat(Long.toHexString(adler.getValue())).isEqualTo("e3c6a7c2");
    byte[] block = new SpdyHeaderBlocks.Compressor().compress(Map.of());
    assertThat(ByteBufUtil.hexDump(block, 0, 6)).isEqualTo("78bbe3c6a7c2");
  }

  /** Netty's own SPDY codec (with its own copy of the dictionary) reads what we write, and we read what it writes. */
  @Test
  void interoperatesWithNettysCodec() throws Exception {
    EmbeddedChannel netty = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
    DefaultSpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(5, 0, (byte) 0);
    syn.headers().add("streamtype", "data").add("port", "8080").add("requestid", "2");
    assertThat(netty.writeOutbound(syn)).isTrue();
    ByteString written = ByteString.emptyByteString();
    for (ByteBuf b; (b = netty.readOutbound()) != null; ) {
      written = written.concat(ByteString.fromArray(ByteBufUtil.getBytes(b)));
      b.release();
    }
    SpdyCodec ours = new SpdyCodec();
    assertThat(ours.decode(written)).containsExactly(new SpdyFrame.SynStream(5, 0, 0, false, false,
        headers(Map.of("streamtype", List.of("data"), "port", List.of("8080"), "requestid", List.of("2")))));

    SpdyCodec server = new SpdyCodec();
    ByteString reply = server.encode(new SpdyFrame.SynReply(5, false, HeaderBlock.EMPTY))
        .concat(server.encode(new SpdyFrame.SynReply(7, true, headers(Map.of("a", List.of("b"))))));
    netty.writeInbound(Unpooled.wrappedBuffer(reply.toArray()));
    SpdySynReplyFrame first = netty.readInbound();
    SpdySynReplyFrame second = netty.readInbound();
    assertThat(first.streamId()).isEqualTo(5);
    assertThat(first.isInvalid()).isFalse();
    assertThat(first.headers().isEmpty()).isTrue();
    assertThat(second.streamId()).isEqualTo(7);
    assertThat(second.isLast()).isTrue();
    assertThat(second.headers().get("a")).isEqualTo("b");
    netty.finishAndReleaseAll();
  }

  @Test
  void malformedHeaderBlocksAreMarkedNotFatal() throws Exception {
    SpdyHeaderBlocks.Compressor c = new SpdyHeaderBlocks.Compressor();
    // a repeated name breaks SPDY's rules: the stream is refused, the session goes on
    Map<String, List<String>> dup = new java.util.LinkedHashMap<>();
    dup.put("port", List.of("1"));
    byte[] raw = SpdyHeaderBlocks.encode(dup);
    byte[] twice = new byte[raw.length * 2 - 4];
    System.arraycopy(raw, 0, twice, 0, raw.length);
    System.arraycopy(raw, 4, twice, raw.length, raw.length - 4);
    twice[3] = 2;
    assertThat(SpdyHeaderBlocks.decode(twice).malformed()).isTrue();
    assertThat(SpdyHeaderBlocks.decode(raw)).isEqualTo(headers(Map.of("port", List.of("1"))));
  }

  @Test
  void bytesThatAreNotSpdyEndTheSession() {
    SpdyCodec server = new SpdyCodec();
    // a control frame of version 2 (SPDY/2) is not spoken here
    ByteString spdy2 = ByteString.fromArray(new byte[] {(byte) 0x80, 0x02, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1});
    assertThatThrownBy(() -> server.decode(spdy2)).isInstanceOf(SpdyProtocolError.class);
    // a header block zlib cannot read
    SpdyCodec other = new SpdyCodec();
    ByteString garbage = ByteString.fromArray(new byte[] {(byte) 0x80, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0e,
        0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6});
    assertThatThrownBy(() -> other.decode(garbage)).isInstanceOf(SpdyProtocolError.class);
  }
}
