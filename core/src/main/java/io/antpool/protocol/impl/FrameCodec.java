package io.antpool.protocol.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

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

  public static Buffer encode(Frame frame) {
    byte[] header;
    try {
      header = MAPPER.writeValueAsBytes(frame.header());
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.INTERNAL, "cannot encode " + frame.header() + ": " + e, e);
    }
    Buffer payload = frame.payload();
    Buffer out = Buffer.buffer(4 + header.length + payload.length());
    out.appendInt(header.length).appendBytes(header).appendBuffer(payload);
    return out;
  }

  public static Frame decode(Buffer wire) {
    int total = wire.length();
    if (total < 4) {
      throw bad("frame of " + total + " bytes is shorter than its 4-byte header length");
    }
    if (total > Protocol.MAX_FRAME_BYTES) {
      throw bad("frame of " + total + " bytes exceeds the limit of " + Protocol.MAX_FRAME_BYTES);
    }
    int headerLength = wire.getInt(0);
    if (headerLength <= 0 || headerLength > Protocol.MAX_HEADER_BYTES || 4 + headerLength > total) {
      throw bad("header length " + headerLength + " is impossible in a frame of " + total
          + " bytes (limit " + Protocol.MAX_HEADER_BYTES + "); is the peer speaking " + Protocol.SUBPROTOCOL + "?");
    }
    Message header;
    try {
      header = MAPPER.readValue(wire.getBytes(4, 4 + headerLength), Message.class);
    } catch (JsonProcessingException e) {
      throw bad("unreadable JSON header: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw bad("unreadable JSON header: " + e.getMessage());
    }
    if (header == null) {
      throw bad("the JSON header is null; send a message object with a \"type\" property");
    }
    Buffer payload = wire.slice(4 + headerLength, total);
    return new Frame(header, payload);
  }

  private static ProtocolException bad(String what) {
    return new ProtocolException(ErrorCode.BAD_FRAME, "bad AntPool frame: " + what);
  }

  /** Access to the shared mapper for JSON that is not a frame header (status API, configuration). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
