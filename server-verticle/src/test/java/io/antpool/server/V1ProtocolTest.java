package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.Dispatch;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Result;
import io.antpool.protocol.Submit;
import io.antpool.protocol.TaskKind;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The original Python protocol (v1) against a real server, with Java peers speaking it as the Python clients do
 * (shared/protocol-v1-legacy.md): task clients, resource clients, and what the server does better than the
 * original where they cannot tell (queueing instead of code 40, rerun instead of code 99).
 */
class V1ProtocolTest {
  private TestServer server;
  private WebSocketClient ws;

  @BeforeEach
  void start() throws Exception {
    server = TestServer.start(new JsonObject().put("maxAttempts", 2)); // PING every 60 s: never during a test
    ws = server.vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  private V1Peer connect() throws Exception {
    return V1Peer.connect(ws, server.port);
  }

  @Test
  void aJobWaitsForAResourceClientThenItsValueComesBackUnderItsStamp() throws Exception {
    V1Peer client = connect();
    assertTrue(client.login() > 0);
    int stamp = client.job(0, "r1t_va1 = 6 * 7");
    V1Peer resource = connect(); // joins after the job was sent: the job waited instead of failing with 40
    assertTrue(resource.register(5000) > 0);
    JsonObject run = resource.next("RUN");
    assertEquals("r1t_va1 = 6 * 7", run.getJsonObject("v").getString("code"));
    assertEquals(0, run.getJsonObject("v").getInteger("type"));
    resource.rok(run, 0, "b'gARLKi4='");
    JsonObject ack = resource.next("ROK");
    assertEquals(run.getJsonObject("v").getLong("callID").toString(), ack.getString("s"));
    JsonObject result = client.next("JOB");
    assertEquals(String.valueOf(stamp), result.getString("s"));
    assertEquals(new JsonObject().put("ret", 0).put("retval", "b'gARLKi4='"), result.getJsonObject("v"));
  }

  @Test
  void aRaisingTaskAnswersRetOneWithTheExceptionText() throws Exception {
    V1Peer resource = connect();
    resource.register(100);
    V1Peer client = connect();
    client.login();
    int stamp = client.job(2, "raise ValueError('x')");
    resource.rok(resource.next("RUN"), 1, "b'gASVBQAAAAAAAACMAXiULg=='");
    JsonObject result = client.next("JOB");
    assertEquals(String.valueOf(stamp), result.getString("s"));
    assertEquals(1, result.getJsonObject("v").getInteger("ret"));
    assertEquals("b'gASVBQAAAAAAAACMAXiULg=='", result.getJsonObject("v").getString("retval"));
  }

  @Test
  void aTaskWhoseResourceClientGoesAwayRunsAgainElsewhereThenFailsWith99() throws Exception {
    V1Peer client = connect();
    client.login();
    V1Peer first = connect();
    first.register(9000); // the fastest: gets the job first
    int stamp = client.job(0, "r1t_va1 = 1");
    first.next("RUN");
    V1Peer second = connect();
    second.register(10);
    first.ws.close();
    JsonObject rerun = second.next("RUN"); // rerun instead of failing with 99
    second.ws.close(); // and lost again: maxAttempts is 2
    JsonObject result = client.next("JOB");
    assertEquals(String.valueOf(stamp), result.getString("s"));
    assertEquals(99, result.getJsonObject("v").getInteger("ret"));
    assertTrue(result.getJsonObject("v").getString("retval").startsWith("Run error, resource client error!"),
        result.encode());
    assertEquals(rerun.getJsonObject("v").getString("code"), "r1t_va1 = 1");
  }

  @Test
  void theFastestFreeResourceClientRunsTheJob() throws Exception {
    V1Peer slow = connect();
    slow.register(10);
    V1Peer fast = connect();
    fast.register(9000);
    V1Peer client = connect();
    client.login();
    client.job(0, "r1t_va1 = 1");
    fast.rok(fast.next("RUN"), 0, "b'gARLAS4='");
    assertEquals(0, client.next("JOB").getJsonObject("v").getInteger("ret"));
    assertTrue(slow.texts.isEmpty() || !slow.texts.peek().contains("RUN"), "the slower one got nothing");
  }

  @Test
  void javaTasksRunOnlyOnJavaWorkersAndPythonTasksOnlyOnResourceClients() throws Exception {
    V1Peer resource = connect();
    resource.register(1_000_000); // by far the fastest slot: still never gets a Java task
    RawPeer javaWorker = server.connect();
    javaWorker.helloAsWorker();
    RawPeer javaClient = server.connect();
    javaClient.helloAsClient();
    javaClient.send(Frame.of(new Submit(1,
        TaskKind.CALLABLE, 0), new byte[] {1}));
    Dispatch javaTask = javaWorker.next(Dispatch.class);
    V1Peer pythonClient = connect();
    pythonClient.login();
    pythonClient.job(0, "r1t_va1 = 2");
    JsonObject run = resource.next("RUN"); // the Java worker is busy, but a Python task waits for its own kind
    assertEquals("r1t_va1 = 2", run.getJsonObject("v").getString("code"));
    javaWorker.send(Frame.of(new Result(javaTask.taskId(),
        Result.Status.VALUE, null, null, null), new byte[] {2}));
    assertEquals(Result.Status.VALUE,
        javaClient.next(Result.class).status());
    pythonClient.job(0, "r1t_va1 = 3"); // the resource client is busy; the free Java worker must not take it
    javaClient.send(Frame.of(new Submit(2,
        TaskKind.CALLABLE, 0), new byte[] {1}));
    Frame second = javaWorker.next();
    assertTrue(second.header() instanceof Dispatch, second.toString());
    assertEquals(1, second.payload().length(), "the Java worker's second task is the Java client's");
    resource.rok(run, 0, "b'gARLAi4='");
    resource.next("ROK");
    assertEquals("r1t_va1 = 3", resource.next("RUN").getJsonObject("v").getString("code"));
    assertTrue(javaWorker.frames.isEmpty(), "the Java worker got no Python task: " + javaWorker.frames);
  }

  @Test
  void anIdleResourceClientIsPingedAndClosedOnceItStopsAnswering() throws Exception {
    server.close();
    server = TestServer.start(new JsonObject().put("legacyPingMillis", 300));
    ws = server.vertx.createWebSocketClient();
    V1Peer resource = connect();
    resource.register(100);
    assertEquals("PING", resource.nextText());
    resource.ws.writeTextMessage("PONG");
    assertEquals("PING", resource.nextText());
    // no PONG this time: closed at the next round
    assertEquals((short) 4000, resource.closed.get(30, TimeUnit.SECONDS));
  }

  @Test
  void commandsBeforeLoginAndMalformedOnesAreRefusedInAShapeTheClientReads() throws Exception {
    V1Peer peer = connect();
    int stamp = peer.job(0, "r1t_va1 = 1");
    JsonObject refused = peer.next("JOB");
    assertEquals(String.valueOf(stamp), refused.getString("s"));
    assertEquals(30, refused.getJsonObject("v").getInteger("ret"));
    peer.login();
    peer.ws.writeTextMessage("{\"c\":\"JOB\",\"r\":\"1\",\"s\":9,\"v\":{\"type\":7,\"code\":\"x\"}}");
    JsonObject bad = peer.next("JOB");
    assertEquals("9", bad.getString("s"));
    assertEquals(20, bad.getJsonObject("v").getInteger("ret"));
    assertTrue(bad.getJsonObject("v").getString("retval").contains("\"type\" is 7"), bad.encode());
    peer.send("FROB", new JsonObject());
    assertEquals(20, peer.next("FROB").getJsonObject("v").getInteger("ret"));
  }

  @Test
  void v1PeersAppearInTheStatusReport() throws Exception {
    V1Peer resource = connect();
    resource.register(4321);
    V1Peer client = connect();
    client.login();
    JsonObject status = server.getJson("/antadmin/api/status");
    JsonObject worker = status.getJsonArray("workers").getJsonObject(0);
    assertEquals("python", worker.getString("kind"));
    assertEquals("Linux-test", worker.getString("os"));
    assertEquals(4321.0, worker.getDouble("cpuScore"));
    assertEquals(16000L << 20, worker.getLong("totalMemory"));
    assertTrue(status.getJsonArray("clients").getJsonObject(0).getString("name").startsWith("python-client-"));
  }
}
