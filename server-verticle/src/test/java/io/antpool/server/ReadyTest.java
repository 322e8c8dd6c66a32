package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /ready}: 200 while at least {@code readyMinWorkers} worker slots are connected, else 503, with the
 * reason and the figures; {@code /health} answers 200 meanwhile (the server is alive, only not useful yet).
 */
class ReadyTest {

  private static JsonObject ready(TestServer server, int status) throws Exception {
    HttpJson.Reply reply = server.get("/ready");
    JsonObject body = reply.json();
    assertEquals(status, reply.status(), body.encodePrettily());
    assertEquals(status == 200 ? "READY" : "NOT_READY", body.getString("status"), body.encodePrettily());
    return body;
  }

  /** The worker leaves; the server has handled its close when this side sees the connection closed. */
  private static void leave(RawPeer worker) throws Exception {
    worker.ws.close();
    worker.closed.get(30, TimeUnit.SECONDS);
  }

  @Test
  void readyOnceAWorkerJoinsAndNoLongerWhenItLeaves() throws Exception {
    try (TestServer server = TestServer.start(new JsonObject())) {
      JsonObject none = ready(server, 503);
      assertEquals(0, none.getInteger("slots"));
      assertEquals(1, none.getInteger("readyMinWorkers"));
      assertTrue(none.getString("reason").contains("0 worker slot(s) connected, fewer than readyMinWorkers (1)"),
          none.getString("reason"));
      assertEquals(200, server.get("/health").status(), "alive all the same");

      RawPeer worker = server.worker();
      JsonObject one = ready(server, 200);
      assertEquals(1, one.getInteger("slots"));
      assertEquals(1, one.getInteger("workers"));

      leave(worker);
      assertEquals(0, ready(server, 503).getInteger("slots"));
    }
  }

  @Test
  void readyMinWorkersIsRespected() throws Exception {
    try (TestServer server = TestServer.start(new JsonObject().put("readyMinWorkers", 2))) {
      RawPeer first = server.worker();
      JsonObject one = ready(server, 503);
      assertEquals(1, one.getInteger("slots"));
      assertEquals(2, one.getInteger("readyMinWorkers"));

      server.worker();
      assertEquals(2, ready(server, 200).getInteger("slots"));

      leave(first);
      assertEquals(1, ready(server, 503).getInteger("slots"));
    }
  }

  @Test
  void readyMinWorkersZeroIsReadyWithoutWorkers() throws Exception {
    try (TestServer server = TestServer.start(new JsonObject().put("readyMinWorkers", 0))) {
      JsonObject body = ready(server, 200);
      assertEquals(0, body.getInteger("slots"));
      assertTrue(body.getString("reason").contains("readyMinWorkers is 0"), body.getString("reason"));
    }
  }
}
