package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A peer of the original Python protocol (v1): text frames, no subprotocol; records what it receives. */
final class V1Peer {
  final ClientWebSocket ws;
  final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  final CompletableFuture<Short> closed = new CompletableFuture<>();
  private int stamp;

  private V1Peer(ClientWebSocket ws) {
    this.ws = ws;
    ws.textMessageHandler(texts::add);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  static V1Peer connect(WebSocketClient client, int port) throws Exception {
    return connect(client, new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"));
  }

  /** A peer connected with these options (e.g. with headers of its own). */
  static V1Peer connect(WebSocketClient client, WebSocketConnectOptions options) throws Exception {
    V1Peer peer = new V1Peer(client.webSocket());
    peer.ws.connect(options).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return peer;
  }

  /** Sends {@code {"c": command, "r": "1", "s": stamp, "v": v}} with the next stamp; returns the stamp. */
  int send(String command, Object v) {
    stamp++;
    ws.writeTextMessage(new JsonObject().put("c", command).put("r", "1").put("s", stamp).put("v", v).encode());
    return stamp;
  }

  String nextText() throws InterruptedException {
    String text = texts.poll(30, TimeUnit.SECONDS);
    assertNotNull(text, "no message from the server within 30 s");
    return text;
  }

  /** The next message, which must be a JSON reply with command {@code command}. */
  JsonObject next(String command) throws InterruptedException {
    JsonObject m = new JsonObject(nextText());
    assertEquals(command, m.getString("C"), m.encode());
    return m;
  }

  /** Logs in as a task client; returns its cID. */
  long login() throws InterruptedException {
    send("LOGIN", new JsonObject().put("user", "user").put("pwd", "pwd"));
    return next("LOGIN").getJsonObject("v").getLong("cID");
  }

  /** Registers as a resource client with this CPU score; returns its rID. */
  long register(int cpu) throws InterruptedException {
    send("REG", new JsonObject().put("info", new JsonObject().put("sys", "Linux-test").put("tmem", "16000")
        .put("fmem", 8000).put("cpu", cpu)));
    return next("REG").getJsonObject("v").getLong("rID");
  }

  /** Sends a JOB with this Python source; returns its stamp. */
  int job(int rtype, String code) {
    return send("JOB", new JsonObject().put("type", rtype).put("code", code));
  }

  /** Answers a RUN as a resource client does. */
  void rok(JsonObject run, int errcode, String ret) {
    JsonObject v = run.getJsonObject("v");
    ws.writeTextMessage(new JsonObject().put("c", "ROK").put("r", "1").put("s", run.getString("s"))
        .put("v", new JsonObject().put("callID", v.getLong("callID")).put("errcode", errcode).put("ret", ret)
            .put("stime", 0.01).put("btime", v.getValue("btime")).put("rlen", v.getValue("rlen"))).encode());
  }
}
