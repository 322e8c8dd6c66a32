package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Decoding is total: whatever the bytes (every truncation of a valid frame, random flips and splices, forged
 * lengths, hostile JSON), {@link FrameCodec#decode} returns a frame or throws {@link ProtocolException} with
 * {@link ErrorCode#BAD_FRAME}, and never allocates by a length it has not checked against the bytes present.
 */
class FrameCodecRobustnessTest {
  private static final long SEED = Long.getLong("antpool.codec.seed", 20250105L);
  /** Bytes that change a JSON header's structure rather than its text. */
  private static final byte[] JSON_BYTES = "{}[]\":,\\-e9 n0".getBytes(StandardCharsets.US_ASCII);

  private static List<Buffer> validFrames() {
    byte[] payload = {1, 2, 3, 4, 5, 6, 7, 8};
    return FrameCodecTest.messages().map(a -> (Message) a.get()[1])
        .map(m -> Frame.of(m, payload).encode()).toList();
  }

  /** Decodes {@code wire}; fails the test when anything but a BAD_FRAME ProtocolException comes out. */
  private static void decodeOrRefuse(Buffer wire, String what) {
    try {
      Frame.decode(wire);
    } catch (ProtocolException e) {
      assertEquals(ErrorCode.BAD_FRAME, e.code(), what);
      assertTrue(e.getMessage().startsWith("bad AntPool frame: "), e.getMessage());
    } catch (Throwable t) {
      fail(what + " (seed " + SEED + ") escaped decoding as " + t, t);
    }
  }

  @Test
  void everyPrefixOfEveryValidFrameDecodesOrIsRefused() {
    for (Buffer wire : validFrames()) {
      int headerEnd = 4 + wire.getInt(0);
      for (int n = 0; n < wire.length(); n++) {
        Buffer prefix = wire.getBuffer(0, n);
        if (n < headerEnd) {
          try {
            Frame.decode(prefix);
            fail("a frame cut inside its header (" + n + " of " + headerEnd + " bytes) was accepted");
          } catch (ProtocolException e) {
            assertEquals(ErrorCode.BAD_FRAME, e.code());
          }
        } else {
          decodeOrRefuse(prefix, "prefix of " + n + " bytes"); // a shorter payload is still a frame
        }
      }
    }
  }

  @Test
  void randomByteFlipsInsertsAndSplicesNeverEscapeAsAnythingButBadFrame() {
    Random random = new Random(SEED);
    List<Buffer> frames = validFrames();
    for (int i = 0; i < 60_000; i++) {
      byte[] bytes = frames.get(random.nextInt(frames.size())).getBytes();
      switch (random.nextInt(4)) {
        case 0 -> { // flip bits, mostly in the header where the structure is
          for (int k = 1 + random.nextInt(4); k > 0; k--) {
            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> bytes[4 + random.nextInt(bytes.length - 4)] = JSON_BYTES[random.nextInt(JSON_BYTES.length)];
        case 2 -> { // splice the head of one frame onto the tail of another
          byte[] other = frames.get(random.nextInt(frames.size())).getBytes();
          int cut = random.nextInt(bytes.length);
          int from = random.nextInt(other.length);
          byte[] spliced = new byte[cut + other.length - from];
          System.arraycopy(bytes, 0, spliced, 0, cut);
          System.arraycopy(other, from, spliced, cut, other.length - from);
          bytes = spliced;
        }
        default -> random.nextBytes(bytes); // pure noise of a plausible size
      }
      decodeOrRefuse(Buffer.buffer(bytes), "mutation " + i);
    }
  }

  @Test
  void forgedHeaderLengthsAreRefusedWithoutAllocatingThem() {
    byte[] json = "{\"type\":\"drain\"}".getBytes(StandardCharsets.UTF_8);
    int[] forged = {Integer.MAX_VALUE, Integer.MAX_VALUE - 3, Protocol.MAX_FRAME_BYTES, Protocol.MAX_HEADER_BYTES,
        Protocol.MAX_HEADER_BYTES + 1, json.length + 1, -4, Integer.MIN_VALUE};
    Runtime rt = Runtime.getRuntime();
    for (int length : forged) {
      long before = rt.totalMemory() - rt.freeMemory();
      for (int i = 0; i < 1_000; i++) {
        decodeOrRefuse(Buffer.buffer().appendInt(length).appendBytes(json), "header length " + length);
      }
      long grown = rt.totalMemory() - rt.freeMemory() - before;
      assertTrue(grown < 64L * 1024 * 1024, "1,000 frames forging header length " + length + " grew the heap by "
          + grown + " bytes: the forged length was allocated");
    }
  }

  @Test
  void hostileJsonHeadersAreBadFrames() {
    String deep = "[".repeat(30_000) + "]".repeat(30_000);
    List<String> headers = List.of(
        deep,
        "{\"type\":\"hello\",\"peer\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001),
        "{\"type\":\"submit\",\"taskId\":1,\"kind\":\"CALLABLE\",\"requires\":{\"region\":null}}",
        "{\"type\":\"hello\",\"role\":\"KING\",\"protocolVersion\":2}",
        "{\"type\":\"hello\",\"protocolVersion\":\"two\"}",
        "{\"type\":\"submit\",\"taskId\":1e999999}",
        "{\"type\":\"submit\",\"taskId\":" + "9".repeat(2_000) + "}",
        "{\"type\":\"withdrawn\",\"neverStarted\":[1,null,\"x\"]}",
        "{\"type\":\"result\",\"taskId\":1,\"status\":\"MAYBE\"}",
        "{\"type\":[\"submit\"]}",
        "{\"type\":\"submit\",\"type\":\"cancel\",\"taskId\":1",
        "\"submit\"",
        "42",
        "\uFEFF{\"type\":\"drain\"}",
        "{\"type\":\"drain\"}\u0000\u0000");
    for (String header : headers) {
      byte[] json = header.getBytes(StandardCharsets.UTF_8);
      decodeOrRefuse(Buffer.buffer().appendInt(json.length).appendBytes(json), header.length() > 60
          ? header.substring(0, 60) + "..." : header);
    }
  }

  @Test
  void invalidUtf8InTheHeaderIsABadFrame() {
    byte[] json = {'{', '"', 't', 'y', 'p', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    decodeOrRefuse(Buffer.buffer().appendInt(json.length).appendBytes(json), "invalid UTF-8");
  }
}
