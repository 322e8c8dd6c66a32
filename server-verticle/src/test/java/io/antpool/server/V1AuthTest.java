package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.CloseCodes;
import io.antpool.server.auth.PasswordHash;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy v1 (Python) peers carry no token: from the trusted networks they get in as in the original (the other
 * v1 tests); from anywhere else a LOGIN needs a valid user and pwd and a REG is refused with ret 30 and close
 * 4010. A server with no trusted network stands for a peer on another machine.
 */
class V1AuthTest {
  @TempDir
  Path dir;

  private JsonObject untrusted() {
    return new JsonObject().put("tokenFile", dir.resolve("token").toString()).put("trustedNetworks", new JsonArray());
  }

  private static void refusedAndClosed(V1Peer peer, String command) throws Exception {
    JsonObject reply = peer.next(command);
    assertEquals(30, reply.getJsonObject("v").getInteger("ret"), reply.encode());
    assertTrue(reply.getJsonObject("v").getString("err").startsWith("Not certified!"), reply.encode());
    assertEquals(CloseCodes.NOT_AUTHORIZED, peer.closed.get(30, TimeUnit.SECONDS));
  }

  @Test
  void fromOutsideTheTrustedNetworksALoginNeedsTheTokenAsPwd() throws Exception {
    JsonObject options = untrusted();
    try (TestServer server = TestServer.start(options)) {
      var ws = server.vertx.createWebSocketClient();
      V1Peer anonymous = V1Peer.connect(ws, server.port);
      anonymous.send("LOGIN", new JsonObject().put("user", "user").put("pwd", "pwd"));
      refusedAndClosed(anonymous, "LOGIN");

      String token = Files.readString(dir.resolve("token")).strip();
      V1Peer withToken = V1Peer.connect(ws, server.port);
      withToken.send("LOGIN", new JsonObject().put("user", "user").put("pwd", token));
      assertTrue(withToken.next("LOGIN").getJsonObject("v").getLong("cID") > 0);
    }
  }

  @Test
  void fromOutsideTheTrustedNetworksARegIsRefusedEvenWithTheToken() throws Exception {
    try (TestServer server = TestServer.start(untrusted())) {
      V1Peer resource = V1Peer.connect(server.vertx.createWebSocketClient(), server.port);
      resource.send("REG", new JsonObject().put("info", new JsonObject().put("sys", "Linux-test").put("tmem", "16000")
          .put("fmem", 8000).put("cpu", 1)));
      refusedAndClosed(resource, "REG");
      assertEquals(0, server.getJson("/health").getInteger("workers"));
    }
  }

  @Test
  void inUsersModeALoginNeedsAUserWithTheRoleSubmit() throws Exception {
    Path users = dir.resolve("users.json");
    UsersFile.put(users, new UsersFile.User("py", PasswordHash.hash("py-pw".toCharArray()),
        EnumSet.of(UserRole.SUBMIT)));
    UsersFile.put(users, new UsersFile.User("farm", PasswordHash.hash("farm-pw".toCharArray()),
        EnumSet.of(UserRole.WORK)));
    JsonObject options = untrusted().put("auth", "users").put("usersFile", users.toString());
    try (TestServer server = TestServer.start(options)) {
      var ws = server.vertx.createWebSocketClient();
      V1Peer worker = V1Peer.connect(ws, server.port);
      worker.send("LOGIN", new JsonObject().put("user", "farm").put("pwd", "farm-pw"));
      refusedAndClosed(worker, "LOGIN");

      V1Peer py = V1Peer.connect(ws, server.port);
      py.send("LOGIN", new JsonObject().put("user", "py").put("pwd", "py-pw"));
      assertTrue(py.next("LOGIN").getJsonObject("v").getLong("cID") > 0);
    }
  }

  @Test
  void inNoneModeEverythingIsAccepted() throws Exception {
    try (TestServer server = TestServer.start(untrusted().put("auth", "none"))) {
      V1Peer resource = V1Peer.connect(server.vertx.createWebSocketClient(), server.port);
      assertFalse(resource.register(1) <= 0);
    }
  }
}
