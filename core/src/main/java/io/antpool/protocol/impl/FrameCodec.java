package io.antpool.protocol.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Drain;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Message;
import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Recall;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.SessionEnded;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.Withdrawn;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/** Wire encoding of {@link Frame}s; see its javadoc for the layout. */
public final class FrameCodec {
  /**
   * Unknown properties are ignored so that a newer peer may add fields to a message without breaking an older
   * one; unknown message types still fail, with a clear error.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private FrameCodec() {
  }

  /**
   * Payloads from this size on are not copied by {@link #encode}: the frame is the header's bytes joined to the
   * payload ({@link Buffers#join}). Below it, one contiguous copy is cheaper than a composite's bookkeeping.
   */
  static final int JOIN_PAYLOAD_BYTES = 16 * 1024;

  /**
   * The frame's wire form. A large payload is shared, not copied (a result of 32 MiB was copied once more here on
   * the server, which forwards it, and on every sender): the payload must not change while the encoded buffer is
   * in use. {@link BatchWriter} sends such a joined buffer in frames cut along its arrays ({@link Fragments}), so
   * it is not made contiguous on the way either.
   */
  public static Buffer encode(Frame frame) {
    byte[] header = header(frame);
    Buffer payload = frame.payload();
    if (payload.length() >= JOIN_PAYLOAD_BYTES) {
      return Buffers.join(Buffer.buffer(4 + header.length).appendInt(header.length).appendBytes(header), payload);
    }
    return contiguous(header, payload);
  }

  private static byte[] header(Frame frame) {
    byte[] compact = CompactHeader.encode(frame.header());
    if (compact != null) {
      return compact;
    }
    try {
      return MAPPER.writeValueAsBytes(frame.header());
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.INTERNAL, "cannot encode " + frame.header() + ": " + e, e);
    }
  }

  private static Buffer contiguous(byte[] header, Buffer payload) {
    Buffer out = Buffer.buffer(4 + header.length + payload.length());
    out.appendInt(header.length).appendBytes(header).appendBuffer(payload);
    return out;
  }

  /**
   * Decodes one frame; the header is read only within its declared length, which is checked against the
   * bytes actually present and {@link Protocol#MAX_HEADER_BYTES} first, so a forged length allocates nothing.
   *
   * @throws ProtocolException ({@link ErrorCode#BAD_FRAME}) for any bytes that are not a frame: the only
   *     exception decoding throws
   */
  public static Frame decode(Buffer wire) {
    int total = wire.length();
    if (total > Protocol.MAX_FRAME_BYTES) {
      throw bad("frame of " + total + " bytes exceeds the limit of " + Protocol.MAX_FRAME_BYTES);
    }
    Message header = decodeHeader(wire);
    Buffer payload = wire.slice(4 + wire.getInt(0), total);
    return new Frame(header, payload);
  }

  /**
   * Decodes the header of a frame of which {@code head} holds the first bytes, at least its header (the rest of
   * the frame need not be there: a message refused for its size is named by its header). Checked as in
   * {@link #decode}.
   *
   * @throws ProtocolException ({@link ErrorCode#BAD_FRAME}) when the bytes hold no whole, readable header
   */
  public static Message decodeHeader(Buffer head) {
    int total = head.length();
    if (total < 4) {
      throw bad("frame of " + total + " bytes is shorter than its 4-byte header length");
    }
    int headerLength = head.getInt(0);
    if (headerLength <= 0 || headerLength > Protocol.MAX_HEADER_BYTES || 4 + headerLength > total) {
      throw bad("header length " + headerLength + " is impossible in a frame of " + total
          + " bytes (limit " + Protocol.MAX_HEADER_BYTES + "); is the peer speaking " + Protocol.SUBPROTOCOL + "?");
    }
    Message header;
    if (CompactHeader.isCompact(head.getByte(4))) {
      try {
        return CompactHeader.decode(head, 4, headerLength);
      } catch (ProtocolException e) {
        throw e;
      } catch (RuntimeException e) {
        // a record's constructor refusing a field: still bad input (see below)
        throw bad("unreadable compact header: " + e);
      }
    }
    try {
      header = MAPPER.readValue(head.getBytes(4, 4 + headerLength), Message.class);
    } catch (JsonProcessingException e) {
      throw bad("unreadable JSON header: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw bad("unreadable JSON header: " + e.getMessage());
    } catch (RuntimeException e) {
      // Contract: nothing but ProtocolException leaves decode, whatever the bytes. Jackson reports bad input as
      // IOExceptions, but a record constructor or a future Jackson may throw an unchecked one: still bad input.
      throw bad("unreadable JSON header: " + e);
    }
    if (header == null) {
      throw bad("the JSON header is null; send a message object with a \"type\" property");
    }
    return header;
  }

  private static ProtocolException bad(String what) {
    return new ProtocolException(ErrorCode.BAD_FRAME, "bad AntPool frame: " + what);
  }

  /**
   * Encodes and decodes one frame of every message type, so that Jackson's first-use work for each (about a
   * millisecond or more apiece on a cold JVM) happens at start, not on a peer's first task.
   */
  public static void warmUp() {
    warmUp(1);
  }

  /**
   * As {@link #warmUp()}, {@code rounds} times: enough rounds (a few hundred) and the JIT compiles the codec's
   * path for every message type, including the class-fetch messages, which a pool sends only when a session
   * meets classes it has not seen: without this they would run interpreted for a JVM's first hundreds of
   * fetches.
   */
  public static void warmUp(int rounds) {
    PeerInfo peer = new PeerInfo("warm-up", "localhost", "127.0.0.1", "os", 1, 1, 1, 1, 1, "v");
    List<Message> all = List.of(
        new Hello(Role.WORKER, Protocol.VERSION, peer, null),
        new Welcome("s", Protocol.VERSION, "v"),
        new Submit(1, TaskKind.CALLABLE, 0, 0),
        new Dispatch(1, "s", TaskKind.CALLABLE, 0, 1, 0),
        new Result(1, Result.Status.VALUE, null, null, "w"),
        new Progress(1, 1, 2, "m"),
        new Cancel(1, true),
        new Withdraw(),
        new Drain(),
        new Withdrawn(List.of(1L)),
        new Fetch(1, "s", "a/B.class", 0, List.of("00")),
        new FetchReply(1, true, null, "00"),
        new ErrorReply(ErrorCode.INTERNAL, "m", 1L),
        new SessionEnded("s"),
        new Recall(1),
        new Recalled(1, true));
    Buffer classSized = Buffer.buffer(new byte[2048]);
    for (int i = 0; i < rounds; i++) {
      for (Message m : all) {
        decode(encode(new Frame(m, classSized)));
      }
    }
  }

  /** Access to the shared mapper for JSON that is not a frame header (status API, configuration). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
