package io.kubeactor.agent.stream.spdy;

import io.kubeactor.agent.stream.spdy.SpdyFrame.HeaderBlock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyFrameDecoder;
import io.netty.handler.codec.spdy.SpdyFrameDecoderDelegate;
import io.netty.handler.codec.spdy.SpdyFrameEncoder;
import io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.util.ByteString;

/**
 * One end of a SPDY/3.1 session over bytes: what arrives becomes {@link SpdyFrame}s, frames to send
 * become bytes. Framing is Netty's (its decoder and encoder work on plain buffers, no channel needed);
 * header blocks are {@link SpdyHeaderBlocks}'. Not thread-safe: one owner feeds and drains it, in order.
 */
public final class SpdyCodec {
  /** Data frames are delivered in pieces of at most this size, as they arrive. */
  private static final int MAX_CHUNK = 64 * 1024;

  private final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
  private final SpdyFrameEncoder encoder = new SpdyFrameEncoder(SpdyVersion.SPDY_3_1);
  private final SpdyHeaderBlocks.Compressor compressor = new SpdyHeaderBlocks.Compressor();
  private final SpdyHeaderBlocks.Decompressor decompressor = new SpdyHeaderBlocks.Decompressor();
  private final Reader reader = new Reader();
  private final SpdyFrameDecoder decoder = new SpdyFrameDecoder(SpdyVersion.SPDY_3_1, reader, MAX_CHUNK);
  /** Bytes of a frame not yet whole. */
  private ByteBuf pending = Unpooled.EMPTY_BUFFER;

  /** The frames completed by these bytes, in order; a protocol error ends the session. */
  public List<SpdyFrame> decode(ByteString bytes) throws SpdyProtocolError {
    ByteBuf in = pending.isReadable() ? Unpooled.wrappedBuffer(pending, Unpooled.wrappedBuffer(bytes.toArray()))
        : Unpooled.wrappedBuffer(bytes.toArray());
    try {
      decoder.decode(in);
      if (reader.error != null) throw reader.error;
      pending = in.isReadable() ? Unpooled.copiedBuffer(in) : Unpooled.EMPTY_BUFFER;
      List<SpdyFrame> frames = List.copyOf(reader.frames);
      return frames;
    } finally {
      reader.frames.clear();
      in.release();
    }
  }

  public ByteString encode(SpdyFrame frame) {
    ByteBuf out = frameBytes(frame);
    try {
      return ByteString.fromArrayUnsafe(ByteBufUtil.getBytes(out));
    } finally {
      out.release();
    }
  }

  private ByteBuf frameBytes(SpdyFrame frame) {
    if (frame instanceof SpdyFrame.Data d) {
      return encoder.encodeDataFrame(alloc, d.streamId(), d.last(), Unpooled.wrappedBuffer(d.data().toArray()));
    } else if (frame instanceof SpdyFrame.SynStream s) {
      return encoder.encodeSynStreamFrame(alloc, s.streamId(), s.associatedStreamId(), (byte) s.priority(), s.last(),
          s.unidirectional(), headerBlock(s.headers()));
    } else if (frame instanceof SpdyFrame.SynReply r) {
      return encoder.encodeSynReplyFrame(alloc, r.streamId(), r.last(), headerBlock(r.headers()));
    } else if (frame instanceof SpdyFrame.RstStream r) {
      return encoder.encodeRstStreamFrame(alloc, r.streamId(), r.statusCode());
    } else if (frame instanceof SpdyFrame.Settings s) {
      DefaultSpdySettingsFrame settings = new DefaultSpdySettingsFrame();
      settings.setClearPreviouslyPersistedSettings(s.clearPrevious());
      s.values().forEach(settings::setValue);
      return encoder.encodeSettingsFrame(alloc, settings);
    } else if (frame instanceof SpdyFrame.Ping p) {
      return encoder.encodePingFrame(alloc, p.id());
    } else if (frame instanceof SpdyFrame.GoAway g) {
      return encoder.encodeGoAwayFrame(alloc, g.lastGoodStreamId(), g.statusCode());
    } else if (frame instanceof SpdyFrame.Headers h) {
      return encoder.encodeHeadersFrame(alloc, h.streamId(), h.last(), headerBlock(h.headers()));
    } else {
      SpdyFrame.WindowUpdate w = (SpdyFrame.WindowUpdate) frame;
      return encoder.encodeWindowUpdateFrame(alloc, w.streamId(), w.deltaWindowSize());
    }
  }

  /** Always a compressed block, even of no headers: Go's SPDY reader expects one in every SYN_REPLY. */
  private ByteBuf headerBlock(HeaderBlock headers) {
    return Unpooled.wrappedBuffer(compressor.compress(headers.values()));
  }

  /** Frees the compression contexts. */
  public void close() {
    compressor.end();
    decompressor.end();
    pending = Unpooled.EMPTY_BUFFER;
  }

  /** Netty's decoder calls back with each frame, header blocks in pieces. */
  private final class Reader implements SpdyFrameDecoderDelegate {
    final List<SpdyFrame> frames = new ArrayList<>();
    SpdyProtocolError error;
    /** The frame whose header block is being read, and its compressed bytes so far. */
    private HeaderFrame current;
    private final ByteArrayOutputStream block = new ByteArrayOutputStream();
    private boolean settingsClear;
    private final Map<Integer, Integer> settings = new LinkedHashMap<>();

    private record HeaderFrame(int type, int streamId, int associatedStreamId, int priority, boolean last,
        boolean unidirectional) {}

    @Override
    public void readDataFrame(int streamId, boolean last, ByteBuf data) {
      try {
        frames.add(new SpdyFrame.Data(streamId, last, ByteString.fromArrayUnsafe(ByteBufUtil.getBytes(data))));
      } finally {
        data.release();
      }
    }

    @Override
    public void readSynStreamFrame(int streamId, int associatedToStreamId, byte priority, boolean last,
        boolean unidirectional) {
      startBlock(new HeaderFrame(1, streamId, associatedToStreamId, priority, last, unidirectional));
    }

    @Override
    public void readSynReplyFrame(int streamId, boolean last) {
      startBlock(new HeaderFrame(2, streamId, 0, 0, last, false));
    }

    @Override
    public void readHeadersFrame(int streamId, boolean last) {
      startBlock(new HeaderFrame(8, streamId, 0, 0, last, false));
    }

    private void startBlock(HeaderFrame frame) {
      current = frame;
      block.reset();
    }

    @Override
    public void readHeaderBlock(ByteBuf headerBlock) {
      try {
        headerBlock.readBytes(block, headerBlock.readableBytes());
      } catch (java.io.IOException impossible) {
        throw new IllegalStateException(impossible);
      } finally {
        headerBlock.release();
      }
    }

    @Override
    public void readHeaderBlockEnd() {
      HeaderFrame f = current;
      current = null;
      if (f == null || error != null) return;
      HeaderBlock headers;
      try {
        headers = decompressor.decompress(block.toByteArray());
      } catch (SpdyProtocolError e) {
        error = e;
        return;
      }
      frames.add(switch (f.type()) {
        case 1 -> new SpdyFrame.SynStream(f.streamId(), f.associatedStreamId(), f.priority(), f.last(),
            f.unidirectional(), headers);
        case 2 -> new SpdyFrame.SynReply(f.streamId(), f.last(), headers);
        default -> new SpdyFrame.Headers(f.streamId(), f.last(), headers);
      });
    }

    @Override
    public void readRstStreamFrame(int streamId, int statusCode) {
      frames.add(new SpdyFrame.RstStream(streamId, statusCode));
    }

    @Override
    public void readSettingsFrame(boolean clearPersisted) {
      settingsClear = clearPersisted;
      settings.clear();
    }

    @Override
    public void readSetting(int id, int value, boolean persistValue, boolean persisted) {
      settings.put(id, value);
    }

    @Override
    public void readSettingsEnd() {
      frames.add(new SpdyFrame.Settings(settingsClear, settings));
    }

    @Override
    public void readPingFrame(int id) {
      frames.add(new SpdyFrame.Ping(id));
    }

    @Override
    public void readGoAwayFrame(int lastGoodStreamId, int statusCode) {
      frames.add(new SpdyFrame.GoAway(lastGoodStreamId, statusCode));
    }

    @Override
    public void readWindowUpdateFrame(int streamId, int deltaWindowSize) {
      frames.add(new SpdyFrame.WindowUpdate(streamId, deltaWindowSize));
    }

    @Override
    public void readFrameError(String message) {
      if (error == null) error = new SpdyProtocolError(message);
    }
  }
}
