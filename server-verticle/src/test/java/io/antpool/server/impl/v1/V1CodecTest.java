package io.antpool.server.impl.v1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The v1 text frames, as the Python clients of shared/protocol-v1-legacy.md send and parse them. */
class V1CodecTest {

  @Test
  void bareHeartbeatTexts() throws Exception {
    assertInstanceOf(V1Message.Ping.class, V1Codec.decode("PING"));
    assertInstanceOf(V1Message.Pong.class, V1Codec.decode("PONG"));
  }

  @Test
  void login() throws Exception {
    V1Message.Login m = (V1Message.Login) V1Codec.decode(
        "{\"c\":\"LOGIN\",\"r\":\"1\",\"s\":1,\"v\":{\"user\":\"ann\",\"pwd\":\"secret\"}}");
    assertEquals(new V1Message.Login("1", "ann", "secret"), m);
    assertFalse(m.toString().contains("secret"), "a password never reaches a log: " + m);
  }

  @Test
  void jobWithANumberOrAStringStamp() throws Exception {
    assertEquals(new V1Message.Job("7", 1, "def f(): pass"), V1Codec.decode(
        "{\"c\":\"JOB\",\"r\":\"1\",\"s\":7,\"v\":{\"type\":1,\"code\":\"def f(): pass\"}}"));
    assertEquals(new V1Message.Job("x-7", 0, "r1t_va1=1"), V1Codec.decode(
        "{\"c\":\"JOB\",\"r\":\"1\",\"s\":\"x-7\",\"v\":{\"type\":0,\"code\":\"r1t_va1=1\"}}"));
  }

  @Test
  void regWithMemoryAsNumbersOrTexts() throws Exception {
    assertEquals(new V1Message.Reg("1", new V1PeerInfo("Linux-6.1-x86_64", 15870, 9001, 5321)), V1Codec.decode(
        "{\"c\":\"REG\",\"r\":\"1\",\"s\":1,\"v\":{\"info\":{\"sys\":\"Linux-6.1-x86_64\",\"tmem\":\"15870.4\","
            + "\"fmem\":9001,\"cpu\":5321}}}"));
  }

  @Test
  void rokEchoesWhatTheRunCarried() throws Exception {
    V1Message.Rok m = (V1Message.Rok) V1Codec.decode("{\"c\":\"ROK\",\"r\":\"1\",\"s\":\"3\",\"v\":{\"callID\":42,"
        + "\"errcode\":0,\"ret\":\"b'gARLAi4='\",\"stime\":0.25,\"btime\":1795000000.5,\"rlen\":120}}");
    assertEquals(42, m.callId());
    assertEquals(0, m.errcode());
    assertEquals("b'gARLAi4='", m.ret());
    assertEquals(0.25, m.stime());
    assertEquals(1795000000.5, m.btime());
    assertEquals(120, m.rlen());
  }

  @Test
  void removeAndUnknownCommandsTruncatedAsTheOriginalDoes() throws Exception {
    assertEquals(new V1Message.Remove("1"), V1Codec.decode("{\"c\":\"REMOVE\",\"r\":\"1\",\"s\":1,\"v\":{}}"));
    assertEquals(new V1Message.Unknown("SHUTDOWN", "2"),
        V1Codec.decode("{\"c\":\"SHUTDOWNNOW\",\"r\":\"1\",\"s\":2,\"v\":[]}"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "not json at all|||one JSON object",
      "[1, 2]|||one JSON object",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5}|JOB|5|has no \"v\"",
      "{\"r\":\"1\",\"s\":5,\"v\":{}}||5|has no \"c\"",
      "{\"c\":7,\"r\":\"1\",\"s\":5,\"v\":{}}||5|\"c\" must be a command string",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":[1],\"v\":{}}|JOB||\"s\" must be a number or a string",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5,\"v\":\"code\"}|JOB|5|\"v\" must be an object or a list",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5,\"v\":{\"type\":0}}|JOB|5|needs \"code\" as a string",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5,\"v\":{\"type\":3,\"code\":\"x\"}}|JOB|5|\"type\" is 3",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5,\"v\":{\"type\":\"0\",\"code\":\"x\"}}|JOB|5|needs \"type\" as a whole number",
      "{\"c\":\"JOB\",\"r\":\"1\",\"s\":5,\"v\":[]}|JOB|5|carries an object in \"v\", not a list",
      "{\"c\":\"REG\",\"r\":\"1\",\"s\":1,\"v\":{}}|REG|1|REG carries {\"info\"",
      "{\"c\":\"REG\",\"r\":\"1\",\"s\":1,\"v\":{\"info\":{\"sys\":\"x\",\"tmem\":\"lots\",\"fmem\":1,\"cpu\":1}}}"
          + "|REG|1|needs \"tmem\" as a number",
      "{\"c\":\"ROK\",\"r\":\"1\",\"s\":1,\"v\":{\"callID\":1,\"errcode\":0}}|ROK|1|needs \"ret\" as a string",
  })
  void malformedMessagesNameTheProblemAndWhatCouldBeRead(String text, String command, String stamp,
      String problem) {
    V1FormatException e = assertThrows(V1FormatException.class, () -> V1Codec.decode(text));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(command, e.command());
    assertEquals(stamp, e.stamp());
  }

  @Test
  void repliesHaveTheShapesThePythonClientsParse() {
    assertEquals(new JsonObject("{\"C\":\"LOGIN\",\"s\":\"1\",\"v\":{\"ret\":0,\"cID\":12}}"),
        new JsonObject(V1Codec.login("1", 12)));
    assertEquals(new JsonObject("{\"C\":\"LOGIN\",\"s\":\"1\",\"v\":{\"ret\":1,\"cID\":0}}"),
        new JsonObject(V1Codec.login("1", 0)));
    assertEquals(new JsonObject("{\"C\":\"REG\",\"s\":\"1\",\"v\":{\"ret\":0,\"rID\":3}}"),
        new JsonObject(V1Codec.reg("1", 3)));
    assertEquals(new JsonObject("{\"C\":\"JOB\",\"s\":\"7\",\"v\":{\"ret\":0,\"retval\":\"b'gAQu'\"}}"),
        new JsonObject(V1Codec.jobResult("7", 0, "b'gAQu'")));
    assertEquals(new JsonObject("{\"C\":\"RUN\",\"s\":\"3\",\"v\":{\"callID\":42,\"type\":1,\"code\":\"x=1\","
        + "\"btime\":1795000000.5,\"rlen\":3}}"), new JsonObject(V1Codec.run(3, 42, 1, "x=1", 1795000000.5, 3)));
    assertEquals(new JsonObject("{\"C\":\"ROK\",\"s\":\"42\",\"v\":{\"ret\":0}}"),
        new JsonObject(V1Codec.rokAck(42)));
    JsonObject refused = new JsonObject(V1Codec.error("JOB", "9", 30, "Not certified!"));
    assertEquals("9", refused.getString("s"), "the stamp is always sent as a string");
    assertEquals(30, refused.getJsonObject("v").getInteger("ret"));
    assertEquals("Not certified!", refused.getJsonObject("v").getString("retval"),
        "the executor reads retval: its future completes with the reason");
    assertEquals("ERR", new JsonObject(V1Codec.error(null, null, 20, "x")).getString("C"));
  }
}
