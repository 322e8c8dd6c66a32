package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.BroadcastScope;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Message;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compact header of submit, dispatch and result: every field, null or not, survives the round trip through
 * the wire; the same message sent as JSON by an older peer still reads the same; and bytes that are not a compact
 * header are refused as bad frames naming what is wrong.
 */
class CompactHeaderTest {

  static Stream<Message> hotMessages() {
    return Stream.of(
        new Submit(1, TaskKind.CALLABLE, 0),
        new Submit(Long.MIN_VALUE, TaskKind.RUNNABLE, 2, 7, Map.of("region", "eu", "gpu", "", "ünï", "✓"), true,
            BroadcastScope.HOSTS, Long.MAX_VALUE),
        new Submit(3, null, -1, Integer.MIN_VALUE, Map.of(), false, BroadcastScope.SLOTS, 0),
        new Dispatch(17, "c-64d6130d-8045-4b19-a751-e3c68e56b073", TaskKind.CALLABLE, 0, 1, 0, 0),
        new Dispatch(-1, null, null, 2, Integer.MAX_VALUE, 3, 2_500),
        Result.value(6, "w-1"),
        new Result(5, Result.Status.ERROR, "java.lang.IllegalStateException", "boom: ü ✓ 😀", "w2", null, null,
            123_456_789L),
        new Result(5, Result.Status.LOST, null, null, null, 2, 3),
        new Result(0, null, "", "", "", 0, 0, 0L));
  }

  @ParameterizedTest
  @MethodSource("hotMessages")
  void everyFieldSurvivesTheRoundTrip(Message message) {
    byte[] payload = {9, 8, 7};

    Buffer wire = Frame.of(message, payload).encode();

    assertTrue(CompactHeader.isCompact(wire.getByte(4)), "a task's messages travel with a compact header");
    Frame decoded = Frame.decode(wire);
    assertEquals(message, decoded.header());
    assertArrayEquals(payload, decoded.payload().getBytes());
  }

  /**
   * The header is read from the buffer's own array where it has one, at the frame's offset in it (a frame of a
   * batch is a slice of the batch's message), and from a copy where it has none (a message that came in
   * fragments is a composite of them): both read the same.
   */
  @ParameterizedTest
  @MethodSource("hotMessages")
  void aFrameInsideALargerBufferOrSplitAcrossFragmentsReadsTheSame(Message message) {
    Buffer wire = Frame.of(message, new byte[] {9, 8, 7}).encode();
    Buffer batch = FrameBatch.encode(List.of(Frame.of(new Cancel(1, true)).encode(), wire));
    Buffer fragmented = Buffers.join(wire.slice(0, 7).copy(), wire.slice(7, wire.length()).copy());

    assertEquals(message, Frame.decode(FrameBatch.split(batch).get(1)).header());
    assertEquals(message, Frame.decode(fragmented).header());
  }

  @Test
  void aCutHeaderInsideALargerBufferIsRefusedNamingItsOffsetInTheFrame() {
    byte[] header = CompactHeader.encode(Result.value(6, "w"));
    Buffer frame = Buffer.buffer().appendInt(header.length - 1).appendBytes(header, 0, header.length - 1);
    Buffer inBatch = FrameBatch.split(FrameBatch.encode(List.of(Frame.of(new Cancel(1, true)).encode(),
        frame))).get(1);

    ProtocolException e = assertThrows(ProtocolException.class, () -> Frame.decode(inBatch));

    // the last field, cpuNanos, is a long: its 8 bytes start 8 before the header's end, 4 bytes into the frame
    assertTrue(e.getMessage().contains("8 more bytes needed at offset " + (4 + header.length - 8) + ", 7 left"),
        e.getMessage());
  }

  @ParameterizedTest
  @MethodSource("hotMessages")
  void theSameMessageAsJsonReadsTheSame(Message message) throws Exception {
    byte[] json = FrameCodec.mapper().writeValueAsBytes(message);
    Buffer wire = Buffer.buffer().appendInt(json.length).appendBytes(json);

    assertEquals(message, Frame.decode(wire).header());
  }

  @Test
  void otherMessagesKeepTheirJsonHeader() {
    assertNull(CompactHeader.encode(new Cancel(1, true)));
    Buffer wire = Frame.of(new Cancel(1, true)).encode();
    assertEquals('{', wire.getByte(4));
  }

  @Test
  void everyCutOfACompactHeaderIsRefusedNamingTheShortfall() {
    byte[] header = CompactHeader.encode(new Result(5, Result.Status.ERROR, "E", "m", "w", 1, 2, 3L));
    for (int n = 1; n < header.length; n++) {
      ProtocolException e = refused(header, n);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void bytesLeftOverAfterTheLastFieldAreRefused() {
    byte[] header = CompactHeader.encode(Result.value(6, "w"));
    byte[] longer = java.util.Arrays.copyOf(header, header.length + 2);

    ProtocolException e = refused(longer, longer.length);

    assertTrue(e.getMessage().contains("2 bytes left over"), e.getMessage());
  }

  @Test
  void anOrdinalOutOfRangeIsRefusedNamingTheField() {
    byte[] header = CompactHeader.encode(new Submit(1, TaskKind.CALLABLE, 0));
    header[1 + 8] = 5; // the kind, after the tag and the task id

    ProtocolException e = refused(header, header.length);

    assertTrue(e.getMessage().contains("kind 5 is not one of [CALLABLE, RUNNABLE]"), e.getMessage());
  }

  @Test
  void aBooleanOtherThanZeroOrOneIsRefused() {
    byte[] header = CompactHeader.encode(new Submit(1, TaskKind.CALLABLE, 0));
    header[1 + 8 + 1 + 4 + 4 + 4] = 7; // spread, after tag, taskId, kind, rtype, loader, the tag count

    ProtocolException e = refused(header, header.length);

    assertTrue(e.getMessage().contains("boolean byte 7"), e.getMessage());
  }

  @Test
  void aStringLengthPastTheEndOrNegativeIsRefused() {
    byte[] header = CompactHeader.encode(new Dispatch(1, "abc", TaskKind.CALLABLE, 0, 1, 0, 0));
    Buffer forged = Buffer.buffer(header).setInt(1 + 8, Integer.MAX_VALUE);
    assertTrue(refused(forged.getBytes(), header.length).getMessage().contains("truncated"));

    Buffer negative = Buffer.buffer(header).setInt(1 + 8, -2);
    assertTrue(refused(negative.getBytes(), header.length).getMessage().contains("impossible length -2"));
  }

  @Test
  void aStringThatIsNotUtf8IsRefused() {
    byte[] header = CompactHeader.encode(new Dispatch(1, "abc", TaskKind.CALLABLE, 0, 1, 0, 0));
    header[1 + 8 + 4] = (byte) 0xC3; // a lead byte followed by 'b', which cannot continue it

    ProtocolException e = refused(header, header.length);

    assertTrue(e.getMessage().contains("session is not UTF-8"), e.getMessage());
  }

  @Test
  void aNullTagOfATaskRequirementIsRefused() {
    Buffer header = Buffer.buffer().appendByte(CompactHeader.SUBMIT).appendLong(1).appendByte((byte) 0)
        .appendInt(0).appendInt(0).appendInt(1).appendInt(-1)
        .appendInt(1).appendString("x", StandardCharsets.UTF_8.name())
        .appendByte((byte) 0).appendByte((byte) -1).appendLong(0);

    ProtocolException e = refused(header.getBytes(), header.length());

    assertTrue(e.getMessage().contains("requires key has the impossible length -1"), e.getMessage());
  }

  private static ProtocolException refused(byte[] header, int length) {
    Buffer wire = Buffer.buffer().appendInt(length).appendBytes(header, 0, length);
    ProtocolException e = assertThrows(ProtocolException.class, () -> Frame.decode(wire));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.getMessage().startsWith("bad AntPool frame: compact header: "), e.getMessage());
    return e;
  }
}
