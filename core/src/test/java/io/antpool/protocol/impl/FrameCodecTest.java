package io.antpool.protocol.impl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.antpool.protocol.Cancel;
import io.antpool.protocol.Withdraw;
import io.antpool.protocol.Withdrawn;
import io.antpool.protocol.Dispatch;
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
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.antpool.protocol.Welcome;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The wire form of {@link Frame} ({@link FrameCodec}): every message type survives encode/decode with its
 * payload bytes intact, the layout is a big-endian header length, a JSON header with a stable {@code type}
 * name, then the raw payload; every malformed frame is refused with {@link ErrorCode#BAD_FRAME} and a message
 * that says what is wrong; unknown JSON properties are ignored so newer peers may add fields.
 */
class FrameCodecTest {
  private static final PeerInfo PEER = new PeerInfo("host-a/42#1", "host-a", "10.0.0.7", "Linux 6.1 amd64", 8,
      4L << 30, 1L << 30, 123.5, 42, "0.1.0-SNAPSHOT");

  /** One instance of every message type with its wire type name, with null and non-null optional fields. */
  static Stream<Arguments> messages() {
    return Stream.of(
        Arguments.of("hello", new Hello(Role.WORKER, Protocol.VERSION, PEER, "s3cret")),
        Arguments.of("hello", new Hello(Role.CLIENT, Protocol.VERSION, PEER, null)),
        Arguments.of("hello", new Hello(Role.WORKER, Protocol.VERSION,
            PEER.withTags(java.util.Map.of("region", "eu", "gpu", "")), null)),
        Arguments.of("submit", new Submit(3, TaskKind.CALLABLE, 0, 1, java.util.Map.of("region", "eu"), true,
            io.antpool.protocol.BroadcastScope.HOSTS)),
        Arguments.of("result", new Result(5, Result.Status.LOST, "io.antpool.WorkerLostException", "gone", "w1",
            2, 3)),
        Arguments.of("welcome", new Welcome("c-1234", Protocol.VERSION, "0.1.0")),
        Arguments.of("submit", new Submit(Long.MAX_VALUE, TaskKind.RUNNABLE, 2)),
        Arguments.of("submit", new Submit(4, TaskKind.CALLABLE, 0, 1, 2_500)),
        Arguments.of("dispatch", new Dispatch(17, "c-abc", TaskKind.CALLABLE, 0, 3)),
        Arguments.of("dispatch", new Dispatch(18, "c-abc", TaskKind.RUNNABLE, 1, 1, 2, 2_500)),
        Arguments.of("result", new Result(5, Result.Status.ERROR, "java.lang.IllegalStateException", "boom",
            "w1")),
        Arguments.of("result", Result.value(6, "w2")),
        Arguments.of("progress", new Progress(5, 3, 10, "step 3: reading a.csv")),
        Arguments.of("progress", new Progress(Long.MAX_VALUE, 7, 0, null)),
        Arguments.of("cancel", new Cancel(Long.MAX_VALUE, true)),
        Arguments.of("cancel", new Cancel(7, false)),
        Arguments.of("withdraw", new Withdraw()),
        Arguments.of("drain", new io.antpool.protocol.Drain()),
        Arguments.of("withdrawn", new Withdrawn(List.of(3L, 1L, 2L))),
        Arguments.of("withdrawn", new Withdrawn(List.of())),
        Arguments.of("fetch", new Fetch(9, "c-abc", "com/example/Task.class")),
        Arguments.of("fetchReply", new FetchReply(9, true, null)),
        Arguments.of("fetchReply", new FetchReply(10, false, "client gone")),
        Arguments.of("error", new ErrorReply(ErrorCode.DUPLICATE_TASK, "task id 3 is already in flight", 3L)),
        Arguments.of("error", new ErrorReply(ErrorCode.BAD_HELLO, "no hello", null)));
  }

  @ParameterizedTest(name = "{1} without payload")
  @MethodSource("messages")
  void roundTripsEveryMessageWithoutPayload(String typeName, Message message) {
    Frame decoded = Frame.decode(Frame.of(message).encode());

    assertEquals(message, decoded.header());
    assertEquals(0, decoded.payload().length());
  }

  @ParameterizedTest(name = "{1} with payload")
  @MethodSource("messages")
  void roundTripsEveryMessageWithPayload(String typeName, Message message) {
    byte[] payload = new byte[256];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i; // every byte value, including 0 and the ones invalid in UTF-8
    }

    Frame decoded = Frame.decode(Frame.of(message, payload).encode());

    assertEquals(message, decoded.header());
    assertArrayEquals(payload, decoded.payload().getBytes());
  }

  @ParameterizedTest(name = "{1} is typed \"{0}\" on the wire")
  @MethodSource("messages")
  void layoutIsLengthThenHeaderThenPayload(String typeName, Message message) throws Exception {
    byte[] payload = {1, 2, 3};

    Buffer wire = Frame.of(message, payload).encode();

    int headerLength = wire.getInt(0);
    assertEquals(4 + headerLength + payload.length, wire.length());
    Map<String, Byte> compactTags = Map.of("submit", CompactHeader.SUBMIT, "dispatch", CompactHeader.DISPATCH,
        "result", CompactHeader.RESULT);
    if (compactTags.containsKey(typeName)) {
      assertEquals(compactTags.get(typeName), wire.getByte(4), "the messages of every task have a compact header");
    } else {
      JsonNode header = FrameCodec.mapper().readTree(wire.getBytes(4, 4 + headerLength));
      assertEquals(typeName, header.get("type").asText(), "the type name is part of the wire contract");
    }
    assertArrayEquals(payload, wire.getBytes(4 + headerLength, wire.length()));
  }

  @Test
  void progressHasStableFieldNames() throws Exception {
    Buffer wire = Frame.of(new Progress(12, 3, 10, "three")).encode();

    JsonNode header = FrameCodec.mapper().readTree(wire.getBytes(4, 4 + wire.getInt(0)));
    assertEquals("progress", header.get("type").asText());
    assertEquals(12, header.get("taskId").asLong());
    assertEquals(3, header.get("done").asLong());
    assertEquals(10, header.get("total").asLong());
    assertEquals("three", header.get("message").asText());
  }

  @Test
  void progressWithFiguresOutOfRangeStillDecodesSoTheReceiverCanNameTheTask() {
    // the receiver checks the figures (TaskProgress.problem) and answers BAD_FRAME with the task id
    Progress odd = new Progress(4, 11, 10, null);

    Progress decoded = (Progress) Frame.decode(Frame.of(odd).encode()).header();

    assertEquals(odd, decoded);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, decoded::value);
    assertTrue(e.getMessage().contains("more than its total"), e.getMessage());
  }

  @Test
  void preservesAOneMegabytePayloadExactly() {
    byte[] payload = new byte[1024 * 1024];
    new Random(20240531L).nextBytes(payload);
    Dispatch dispatch = new Dispatch(1, "c-1", TaskKind.CALLABLE, 1, 1);

    Frame decoded = Frame.decode(Frame.of(dispatch, payload).encode());

    assertEquals(dispatch, decoded.header());
    assertArrayEquals(payload, decoded.payload().getBytes());
  }

  /**
   * From {@link FrameCodec#JOIN_PAYLOAD_BYTES} on, encode joins the header to the payload instead of copying it:
   * the bytes on the wire must be the same, and so must what the event bus (a copy) and a forwarding server (a
   * slice of a decoded frame, encoded again) make of them; and the contiguous form is the same bytes.
   */
  @ParameterizedTest(name = "payload of {0} bytes")
  @ValueSource(ints = {FrameCodec.JOIN_PAYLOAD_BYTES - 1, FrameCodec.JOIN_PAYLOAD_BYTES, 3 * 1024 * 1024 + 5})
  void aPayloadJoinedRatherThanCopiedHasTheSameWireForm(int size) {
    byte[] payload = new byte[size];
    new Random(size).nextBytes(payload);
    Result result = new Result(9, Result.Status.VALUE, null, null, "w");

    Buffer wire = Frame.of(result, payload).encode();

    byte[] header = wire.getBytes(4, 4 + wire.getInt(0));
    Buffer expected = Buffer.buffer().appendInt(header.length).appendBytes(header).appendBytes(payload);
    assertEquals(expected, wire);
    assertEquals(expected, wire.copy(), "the event bus delivers a copy");
    Frame forwarded = Frame.decode(Frame.decode(wire).encode());
    assertEquals(result, forwarded.header());
    assertArrayEquals(payload, forwarded.payload().getBytes());
  }

  @Test
  void framesShorterThanTheLengthFieldAreRefused() {
    for (int size = 0; size < 4; size++) {
      ProtocolException e = assertBadFrame(Buffer.buffer(new byte[size]));
      assertTrue(e.getMessage().contains(size + " bytes is shorter than its 4-byte header length"), e.getMessage());
    }
  }

  @Test
  void impossibleHeaderLengthsAreRefused() {
    byte[] json = "{\"type\":\"welcome\"}".getBytes(StandardCharsets.UTF_8);
    int[] lengths = {0, -1, Integer.MIN_VALUE, json.length + 1, Protocol.MAX_HEADER_BYTES + 1};
    for (int length : lengths) {
      Buffer wire = Buffer.buffer().appendInt(length).appendBytes(json);
      ProtocolException e = assertBadFrame(wire);
      assertTrue(e.getMessage().contains("header length " + length + " is impossible in a frame of "
          + wire.length() + " bytes"), e.getMessage());
    }
  }

  @Test
  void aHeaderThatIsNotJsonIsRefused() {
    ProtocolException e = assertBadFrame(frameWithHeader("this is not json"));

    assertTrue(e.getMessage().contains("unreadable JSON header"), e.getMessage());
  }

  @Test
  void anUnknownMessageTypeIsRefusedNamingTheType() {
    ProtocolException e = assertBadFrame(frameWithHeader("{\"type\":\"teleport\",\"taskId\":1}"));

    assertTrue(e.getMessage().contains("unreadable JSON header"), e.getMessage());
    assertTrue(e.getMessage().contains("teleport"), e.getMessage());
  }

  @Test
  void aHeaderWithoutTypeIsRefusedNamingTheProperty() {
    ProtocolException e = assertBadFrame(frameWithHeader("{\"taskId\":1}"));

    assertTrue(e.getMessage().contains("unreadable JSON header"), e.getMessage());
    assertTrue(e.getMessage().contains("'type'"), e.getMessage());
  }

  @Test
  void aJsonNullHeaderIsRefused() {
    ProtocolException e = assertBadFrame(frameWithHeader("null"));

    assertTrue(e.getMessage().contains("the JSON header is null"), e.getMessage());
  }

  @Test
  void aCancelIsReadFromTheHeaderDocumentedInTheProtocol() {
    String json = "{\"type\":\"cancel\",\"taskId\":12,\"interrupt\":true}";

    Frame decoded = Frame.decode(frameWithHeader(json));

    assertEquals(new Cancel(12, true), decoded.header());
    assertEquals(0, decoded.payload().length());
  }

  @Test
  void unknownPropertiesAreIgnoredForForwardCompatibility() {
    String json = "{\"type\":\"fetch\",\"requestId\":7,\"session\":\"c-9\",\"path\":\"a/B.class\","
        + "\"priority\":5,\"trace\":{\"id\":\"x\",\"spans\":[1,2]}}";

    Frame decoded = Frame.decode(frameWithHeader(json).appendBytes(new byte[] {42}));

    assertEquals(new Fetch(7, "c-9", "a/B.class"), decoded.header());
    assertArrayEquals(new byte[] {42}, decoded.payload().getBytes());
  }

  @Test
  void messagesOfPeersOlderThanRoutingReadAsNoTagsNoRequirementNoBroadcast() {
    String hello = "{\"type\":\"hello\",\"role\":\"WORKER\",\"protocolVersion\":2,\"peer\":{\"name\":\"w\","
        + "\"host\":\"h\",\"ip\":\"10.0.0.1\",\"os\":\"os\",\"cores\":2,\"totalMemory\":1,\"freeMemory\":1,"
        + "\"cpuScore\":1.5,\"pid\":7,\"version\":\"0.1\"},\"token\":null}";
    String submit = "{\"type\":\"submit\",\"taskId\":17,\"kind\":\"CALLABLE\",\"rtype\":0}";
    String result = "{\"type\":\"result\",\"taskId\":4,\"status\":\"VALUE\",\"worker\":\"w\"}";

    Hello h = (Hello) Frame.decode(frameWithHeader(hello)).header();
    assertEquals(java.util.Map.of(), h.peer().tags());
    assertEquals(new Submit(17, TaskKind.CALLABLE, 0), Frame.decode(frameWithHeader(submit)).header());
    assertEquals(Result.value(4, "w"), Frame.decode(frameWithHeader(result)).header());
  }

  @Test
  void aFrameNeedsAHeaderAndDefaultsToAnEmptyPayload() {
    assertThrows(IllegalArgumentException.class, () -> new Frame(null, Buffer.buffer()));
    assertEquals(0, new Frame(Result.value(1, "w"), null).payload().length());
  }

  private static Buffer frameWithHeader(String json) {
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    return Buffer.buffer().appendInt(header.length).appendBytes(header);
  }

  private static ProtocolException assertBadFrame(Buffer wire) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> Frame.decode(wire));
    assertEquals(ErrorCode.BAD_FRAME, e.code());
    assertTrue(e.getMessage().startsWith("bad AntPool frame: "), e.getMessage());
    return e;
  }
}
