package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AntPoolException;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Message;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Withdraw;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
  /** Records what the assembler reports, in order. */
  private static final class Recorder implements MessageAssembler.Sink {
    final List<Object> events = new ArrayList<>();
    final List<Buffer> heads = new ArrayList<>();

    @Override
    public void binary(Buffer message) {
      events.add(message);
    }

    @Override
    public void text(long bytes) {
      events.add("text " + bytes);
    }

    @Override
    public void tooBig(long bytes, Buffer head) {
      events.add("tooBig " + bytes + (head == null ? "" : " head " + head.length()));
      heads.add(head);
    }
  }

  private static byte[] bytes(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  @Test
  void fragmentsAreJoinedInOrderIntoOneMessageThatDecodesAsAFrame() {
    Recorder sink = new Recorder();
    MessageAssembler assembler = new MessageAssembler(1 << 20, sink);
    byte[] payload = bytes(3000, 7);
    Buffer wire = new Frame(new Withdraw(), Buffer.buffer(payload)).encode();
    byte[] all = wire.getBytes();
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(Arrays.copyOfRange(all, 0, 2)), false));
    assembler.onFrame(WebSocketFrame.pingFrame(Buffer.buffer("ignored")));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(all, 2, 1000)), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(all, 1000, all.length)),
        true));
    assertEquals(1, sink.events.size());
    Buffer message = (Buffer) sink.events.get(0);
    assertArrayEquals(all, message.getBytes());
    Frame decoded = Frame.decode(message);
    Message header = decoded.header();
    assertEquals(new Withdraw(), header);
    assertArrayEquals(payload, decoded.payload().getBytes());
    assertArrayEquals(Arrays.copyOfRange(payload, 10, 2500), decoded.payload().getBytes(10, 2500),
        "reads across fragment boundaries");
  }

  @Test
  void oneMessageAfterAnotherIsAssembledAfresh() {
    Recorder sink = new Recorder();
    MessageAssembler assembler = new MessageAssembler(100, sink);
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(bytes(60, 1)), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(bytes(40, 2)), true));
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(bytes(90, 3)), true));
    assertEquals(2, sink.events.size());
    assertArrayEquals(Buffer.buffer(bytes(60, 1)).appendBytes(bytes(40, 2)).getBytes(),
        ((Buffer) sink.events.get(0)).getBytes(), "exactly the limit is allowed");
    assertArrayEquals(bytes(90, 3), ((Buffer) sink.events.get(1)).getBytes(), "the count starts again at 0");
  }

  @Test
  void theFragmentThatPassesTheLimitIsReportedOnceAndEverythingAfterIsIgnored() {
    Recorder sink = new Recorder();
    MessageAssembler assembler = new MessageAssembler(100, sink);
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(bytes(60, 1)), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(bytes(41, 2)), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(bytes(1, 3)), true));
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(bytes(1, 4)), true));
    assertEquals(List.of("tooBig 101 head 101"), sink.events);
    Buffer expected = Buffer.buffer(bytes(60, 1)).appendBytes(bytes(41, 2));
    assertArrayEquals(expected.getBytes(), sink.heads.get(0).getBytes(), "the head is every fragment up to the"
        + " one that passed the limit");
  }

  @Test
  void textMessagesAreCountedNotBufferedAndLimitedToo() {
    Recorder sink = new Recorder();
    MessageAssembler assembler = new MessageAssembler(10, sink);
    assembler.onFrame(WebSocketFrame.textFrame("abcd", false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer("efg"), true));
    assembler.onFrame(WebSocketFrame.textFrame("0123456789x", true));
    assertEquals(List.of("text 7", "tooBig 11"), sink.events);
  }

  @Test
  void aMessageOverTheLimitIsNamedByTheHeaderInItsFirstFragment() {
    Recorder sink = new Recorder();
    MessageAssembler assembler = new MessageAssembler(1000, sink);
    byte[] all = new Frame(new Result(7, Result.Status.VALUE, null, null, "w"), Buffer.buffer(bytes(3000, 5)))
        .encode().getBytes();
    assembler.onFrame(WebSocketFrame.binaryFrame(Buffer.buffer(Arrays.copyOfRange(all, 0, 500)), false));
    assembler.onFrame(WebSocketFrame.continuationFrame(Buffer.buffer(Arrays.copyOfRange(all, 500, 1100)), false));
    assertEquals(1, sink.heads.size());
    Message header = FrameCodec.decodeHeader(sink.heads.get(0));
    assertEquals(7, ((Result) header).taskId());
    OversizedMessage tooBig = new OversizedMessage(1100, 1000, header);
    assertEquals(7L, tooBig.taskId());
    AntPoolException error = tooBig.error("client");
    assertEquals(ErrorCode.TOO_LARGE, error.code());
    assertTrue(error.getMessage().contains("a Result of task 7 of at least 1100 bytes, more than the 1000 bytes a"
        + " client accepts"), error.getMessage());
    assertTrue(error.getMessage().contains("return less data from the task, or lower maxFrameBytes in the server's"
        + " configuration"), error.getMessage());
  }

  @Test
  void aHeadThatEndsInsideTheHeaderHasNoHeaderToRead() {
    byte[] all = new Frame(new Withdraw(), Buffer.buffer(bytes(100, 1))).encode().getBytes();
    ProtocolException e = assertThrows(ProtocolException.class,
        () -> FrameCodec.decodeHeader(Buffer.buffer(Arrays.copyOfRange(all, 0, 10))));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertEquals(new Withdraw(), FrameCodec.decodeHeader(Buffer.buffer(all)));
  }
}
