package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch envelope: what goes in comes out, in order; anything else is a BAD_FRAME naming the cause. */
class FrameBatchTest {

  private static Buffer frame(long taskId, int payloadBytes) {
    byte[] payload = new byte[payloadBytes];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (taskId + i);
    }
    return Frame.of(new Submit(taskId, TaskKind.CALLABLE, 0, 0), payload).encode();
  }

  private static ProtocolException refused(Buffer message) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> FrameBatch.split(message));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.getMessage().startsWith("bad AntPool batch: "), e.getMessage());
    return e;
  }

  @Test
  void framesComeOutOfABatchInOrderAndUnchanged() {
    List<Buffer> frames = List.of(frame(1, 0), Frame.of(new Cancel(2, true)).encode(), frame(3, 100),
        Frame.of(Result.value(4, "w"), new byte[] {9, 8, 7}).encode());
    List<Buffer> out = FrameBatch.split(FrameBatch.encode(frames));
    assertEquals(frames.size(), out.size());
    for (int i = 0; i < frames.size(); i++) {
      assertEquals(frames.get(i), out.get(i), "frame " + i);
    }
    assertEquals(3L, ((Submit) Frame.decode(out.get(2)).header()).taskId());
    assertEquals(100, Frame.decode(out.get(2)).payload().length());
  }

  @Test
  void aMessageThatIsNoBatchIsItsOwnOnlyFrame() {
    Buffer single = frame(7, 10);
    List<Buffer> out = FrameBatch.split(single);
    assertEquals(1, out.size());
    assertSame(single, out.get(0));
    // not a frame either: left to the frame decoder, which names what is wrong
    assertEquals(1, FrameBatch.split(Buffer.buffer(new byte[] {1, 2})).size());
  }

  @Test
  void aBatchOfOneIsAccepted() {
    Buffer only = frame(1, 5);
    assertEquals(List.of(only), FrameBatch.split(FrameBatch.encode(List.of(only))));
  }

  @Test
  void onlySmallFramesGoIntoABatchAndABatchIsBounded() {
    assertTrue(FrameBatch.admits(FrameBatch.MAX_ENTRY_BYTES - 1));
    assertTrue(!FrameBatch.admits(FrameBatch.MAX_ENTRY_BYTES));
    assertThrows(IllegalArgumentException.class, () -> FrameBatch.encode(List.of(frame(1, FrameBatch.MAX_ENTRY_BYTES))));
    assertThrows(IllegalArgumentException.class, () -> FrameBatch.encode(List.of()));
    Buffer batch = FrameBatch.encode(List.of(frame(1, 1), frame(2, 1)));
    assertThrows(IllegalArgumentException.class, () -> FrameBatch.encode(List.of(batch)), "no nesting");
    List<Buffer> many = new ArrayList<>();
    Buffer big = frame(1, FrameBatch.MAX_ENTRY_BYTES - 200);
    while (FrameBatch.size(many.size() + 1, (many.size() + 1) * big.length()) <= FrameBatch.MAX_BATCH_BYTES) {
      many.add(big);
    }
    assertEquals(many.size(), FrameBatch.split(FrameBatch.encode(many)).size(), "the largest batch that fits");
    many.add(big);
    assertThrows(IllegalArgumentException.class, () -> FrameBatch.encode(many));
  }

  @Test
  void malformedBatchesAreRefusedWholeNamingTheCause() {
    Buffer good = FrameBatch.encode(List.of(frame(1, 3), frame(2, 4)));

    assertTrue(refused(Buffer.buffer().appendInt(-2).appendInt(1)).getMessage().contains("unknown batch layout -2"));
    assertTrue(refused(Buffer.buffer().appendInt(-1).appendShort((short) 0)).getMessage().contains("shorter"));
    assertTrue(refused(good.copy().setInt(4, 0)).getMessage().contains("cannot hold 0 frames"));
    assertTrue(refused(good.copy().setInt(4, Integer.MAX_VALUE)).getMessage().contains("cannot hold"));
    assertTrue(refused(good.copy().setInt(4, 3)).getMessage().contains("ends before frame 3 of 3"));
    assertTrue(refused(good.copy().setInt(8, 0)).getMessage().contains("frame 1 of 2 has length 0"));
    assertTrue(refused(good.copy().setInt(8, -5)).getMessage().contains("frame 1 of 2 has length -5"));
    assertTrue(refused(good.copy().setInt(8, good.length())).getMessage().contains("impossible"));
    assertTrue(refused(good.getBuffer(0, good.length() - 1)).getMessage().contains("frame 2 of 2 has length"));
    assertTrue(refused(good.copy().appendByte((byte) 0)).getMessage().contains("1 bytes follow the last"));
    Buffer nested = Buffer.buffer().appendInt(-1).appendInt(1).appendInt(good.length()).appendBuffer(good);
    assertTrue(refused(nested).getMessage().contains("batches do not nest"));
    Buffer oversized = Buffer.buffer().appendInt(-1).appendInt(1).appendInt(FrameBatch.MAX_BATCH_BYTES)
        .appendBytes(new byte[FrameBatch.MAX_BATCH_BYTES]);
    assertTrue(refused(oversized).getMessage().contains("exceeds the limit of " + FrameBatch.MAX_BATCH_BYTES));
    Buffer bigEntry = Buffer.buffer().appendInt(-1).appendInt(1).appendInt(FrameBatch.MAX_ENTRY_BYTES)
        .appendBytes(new byte[FrameBatch.MAX_ENTRY_BYTES]);
    assertTrue(refused(bigEntry).getMessage().contains("under " + FrameBatch.MAX_ENTRY_BYTES));
    assertEquals(2, FrameBatch.split(good).size(), "the checks above changed copies only");
  }

  @Test
  void unwrapHandsOnEveryFrameInOrderOrNoneOfAMalformedBatch() {
    List<Buffer> frames = List.of(frame(1, 1), frame(2, 2), frame(3, 3));
    Buffer batch = FrameBatch.encode(frames);
    List<Buffer> handed = new ArrayList<>();
    List<ProtocolException> errors = new ArrayList<>();
    FrameBatch.unwrap(batch, handed::add, errors::add);
    assertEquals(frames, handed);
    assertEquals(List.of(), errors);

    handed.clear();
    FrameBatch.unwrap(batch.getBuffer(0, batch.length() - 1), handed::add, errors::add);
    assertEquals(List.of(), handed, "a batch cut short is refused whole: not even its first frames are handled");
    assertEquals(1, errors.size());
    assertEquals(ErrorCode.BAD_FRAME, errors.get(0).code());
  }

  @Test
  void everyPrefixOfABatchIsRefusedAndNeverEscapesAsAnotherException() {
    Buffer good = FrameBatch.encode(List.of(frame(1, 3), frame(2, 4), frame(3, 0)));
    for (int n = 4; n < good.length(); n++) {
      refused(good.getBuffer(0, n));
    }
  }
}
