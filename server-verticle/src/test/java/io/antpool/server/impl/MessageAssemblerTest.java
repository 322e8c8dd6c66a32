package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Message;
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

    @Override
    public void binary(Buffer message) {
      events.add(message);
    }

    @Override
    public void text(long bytes) {
      events.add("text " + bytes);
    }

    @Override
    public void tooBig(long bytes) {
      events.add("tooBig " + bytes);
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
    assertEquals(List.of("tooBig 101"), sink.events);
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
}
