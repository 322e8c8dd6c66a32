package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.antpool.protocol.CloseCodes;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Role;
import io.antpool.server.auth.PasswordHash;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import io.antpool.server.impl.auth.Gatekeeper;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Authentication against a real server: every hello without the right credential is refused with a typed
 * error naming the fix and closed with 4010; roles are enforced in users mode; failed logins are rate-limited
 * per address; {@code none} is refused on a public bind; the dashboard needs admin from untrusted addresses.
 * Servers that need a token of their own keep it in a temporary folder, never in the machine's
 * {@code ~/.antpool/token}.
 */
class AuthTest {
  @TempDir
  Path dir;

  private JsonObject ownToken() {
    return new JsonObject().put("tokenFile", dir.resolve("antpool").resolve("token").toString());
  }

  private String tokenOf(JsonObject options) throws Exception {
    return Files.readString(Path.of(options.getString("tokenFile"))).strip();
  }

  /** Says {@code hello}, expects an error of {@code code} and then the close 4010. */
  private static ErrorReply refused(RawPeer peer, Hello hello, ErrorCode code) throws Exception {
    peer.send(Frame.of(hello));
    ErrorReply error = peer.nextError();
    assertEquals(code, error.code(), error.message());
    assertEquals(CloseCodes.NOT_AUTHORIZED, peer.closed.get(30, TimeUnit.SECONDS));
    return error;
  }

  private static Hello hello(Role role, String user, String secret) {
    return new Hello(role, Protocol.VERSION, RawPeer.PEER, null).withCredential(user, secret);
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aHelloWithoutATokenIsRefusedSayingWhereTheTokenIs(Role role) throws Exception {
    try (TestServer server = TestServer.start(ownToken())) {
      ErrorReply error = refused(server.connect(), hello(role, null, null), ErrorCode.AUTH_REQUIRED);
      assertTrue(error.message().contains("ANTPOOL_TOKEN") && error.message().contains("--token"), error.message());
    }
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void aWrongTokenIsRefusedAndNeverQuoted(Role role) throws Exception {
    try (TestServer server = TestServer.start(ownToken())) {
      ErrorReply error = refused(server.connect(), hello(role, null, "not-the-token"), ErrorCode.AUTH_FAILED);
      assertFalse(error.message().contains("not-the-token"), error.message());
    }
  }

  @Test
  void theServerMakesAPrivateTokenFileAndWelcomesItsTokenInEveryRole() throws Exception {
    JsonObject options = ownToken();
    try (TestServer server = TestServer.start(options)) {
      Path file = Path.of(options.getString("tokenFile"));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
      String token = tokenOf(options);
      assertTrue(token.matches("[A-Za-z0-9_-]{43}"), "32 random bytes, URL-safe base64: " + token.length());
      assertNotNull(server.connect().hello(hello(Role.CLIENT, null, token)).sessionId());
      assertNotNull(server.connect().hello(hello(Role.WORKER, null, token)).sessionId());
    }
    try (TestServer again = TestServer.start(options)) {
      assertEquals(tokenOf(options), tokenOf(options), "a second start reuses the file");
      assertNotNull(again.connect().hello(hello(Role.CLIENT, null, tokenOf(options))).sessionId());
    }
  }

  @Test
  void afterFiveFailuresFromAnUntrustedAddressEvenTheRightTokenIsRefusedAndLoggedOnce() throws Exception {
    // no trusted network: the test's loopback connections stand for connections from another machine
    JsonObject options = ownToken().put("trustedNetworks", new JsonArray());
    try (TestServer server = TestServer.start(options);
        LogCapture log = LogCapture.of(Gatekeeper.class.getName(), Level.INFO)) {
      for (int i = 0; i < 5; i++) {
        refused(server.connect(), hello(Role.CLIENT, null, "guess-" + i), ErrorCode.AUTH_FAILED);
      }
      ErrorReply blocked = refused(server.connect(), hello(Role.CLIENT, null, tokenOf(options)),
          ErrorCode.TOO_MANY_FAILURES);
      assertTrue(blocked.message().contains("wait"), blocked.message());
      refused(server.connect(), hello(Role.WORKER, null, tokenOf(options)), ErrorCode.TOO_MANY_FAILURES);

      String first = log.next();
      assertTrue(first.contains("failed login from 127.0.0.1"), first);
      String now = log.next();
      assertTrue(now.contains("5 failed logins from 127.0.0.1"), now);
      assertFalse(String.join("\n", first, now).contains("guess-"), "no credential in the log");
    }
  }

  private JsonObject usersMode() {
    Path file = dir.resolve("users.json");
    UsersFile.put(file, new UsersFile.User("alice", PasswordHash.hash("alice-pw".toCharArray()),
        EnumSet.of(UserRole.SUBMIT)));
    UsersFile.put(file, new UsersFile.User("farm", PasswordHash.hash("farm-pw".toCharArray()),
        EnumSet.of(UserRole.WORK)));
    UsersFile.put(file, new UsersFile.User("root", PasswordHash.hash("root-pw".toCharArray()),
        EnumSet.of(UserRole.ADMIN)));
    return new JsonObject().put("auth", "users").put("usersFile", file.toString());
  }

  @Test
  void failuresFromATrustedAddressDoNotLockItOut() throws Exception {
    JsonObject options = ownToken();
    try (TestServer server = TestServer.start(options)) {
      for (int i = 0; i < 6; i++) {
        refused(server.connect(), hello(Role.CLIENT, null, "guess-" + i), ErrorCode.AUTH_FAILED);
      }
      assertNotNull(server.connect().hello(hello(Role.CLIENT, null, tokenOf(options))).sessionId());
    }
  }

  @Test
  void inUsersModeEachUserConnectsOnlyInTheRoleItHasAndWrongPasswordsAreRefused() throws Exception {
    JsonObject options = usersMode();
    String stored = Files.readString(Path.of(options.getString("usersFile")));
    assertFalse(stored.contains("alice-pw"), "never a password in the users file");
    assertTrue(stored.contains("pbkdf2-sha256$210000$"), stored);
    try (TestServer server = TestServer.start(options)) {
      assertNotNull(server.connect().hello(hello(Role.CLIENT, "alice", "alice-pw")).sessionId());
      assertNotNull(server.connect().hello(hello(Role.WORKER, "farm", "farm-pw")).sessionId());

      ErrorReply submitterAsWorker = refused(server.connect(), hello(Role.WORKER, "alice", "alice-pw"),
          ErrorCode.ROLE_FORBIDDEN);
      assertTrue(submitterAsWorker.message().contains("work"), submitterAsWorker.message());
      refused(server.connect(), hello(Role.CLIENT, "farm", "farm-pw"), ErrorCode.ROLE_FORBIDDEN);
      refused(server.connect(), hello(Role.CLIENT, "alice", "farm-pw"), ErrorCode.AUTH_FAILED);
      refused(server.connect(), hello(Role.CLIENT, "nobody", "x"), ErrorCode.AUTH_FAILED);
      refused(server.connect(), hello(Role.CLIENT, "alice", null), ErrorCode.AUTH_REQUIRED);
    }
  }

  @Test
  void passwordHashesAreSaltedSlowAndVerified() {
    String a = PasswordHash.hash("s3cret".toCharArray());
    String b = PasswordHash.hash("s3cret".toCharArray());
    assertFalse(a.equals(b), "a fresh salt each time");
    assertTrue(PasswordHash.verify("s3cret".toCharArray(), a));
    assertFalse(PasswordHash.verify("s3cret!".toCharArray(), a));
    assertEquals(PasswordHash.ITERATIONS, Integer.parseInt(a.split("\\$")[1]));
    assertTrue(PasswordHash.ITERATIONS >= 210_000);
    IllegalArgumentException weak = assertThrows(IllegalArgumentException.class,
        () -> PasswordHash.verify("x".toCharArray(), "pbkdf2-sha256$1000$" + a.split("\\$")[2] + "$"
            + a.split("\\$")[3]));
    assertTrue(weak.getMessage().contains("antpool user add"), weak.getMessage());
  }

  @Test
  void noneIsRefusedOnAPublicBindUnlessSaidExplicitlyAndThenWarns() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JsonObject none = new JsonObject().put("auth", "none").put("host", "0.0.0.0").put("port", 0);
      ExecutionException refusedStart = assertThrows(ExecutionException.class, () -> vertx.deployVerticle(
          new ServerVerticle(), new DeploymentOptions().setConfig(none)).toCompletionStage().toCompletableFuture()
          .get(30, TimeUnit.SECONDS));
      assertTrue(refusedStart.getCause().getMessage().contains("allowUnauthenticatedPublicBind"),
          refusedStart.getCause().getMessage());

      try (LogCapture log = LogCapture.of(Gatekeeper.class.getName(), Level.WARN)) {
        ServerVerticle server = new ServerVerticle();
        vertx.deployVerticle(server, new DeploymentOptions().setConfig(none.copy()
            .put("allowUnauthenticatedPublicBind", true))).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
        assertTrue(log.next().contains("auth none: anybody"));
        RawPeer peer = RawPeer.connect(vertx.createWebSocketClient(), server.actualPort(), true);
        assertNotNull(peer.hello(hello(Role.CLIENT, null, null)).sessionId(), "none lets anybody in");
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void noneOnLoopbackStartsWithoutTheSecondOption() throws Exception {
    try (TestServer server = TestServer.start(new JsonObject().put("auth", "none"))) {
      assertNotNull(server.connect().hello(hello(Role.WORKER, null, null)).sessionId());
    }
  }

  /** GET {@code path} on 127.0.0.1 with an optional HTTP Basic login. */
  private static Reply get(TestServer server, String path, String user, String password) throws Exception {
    HttpClient http = server.vertx.createHttpClient();
    try {
      return http.request(HttpMethod.GET, server.port, "127.0.0.1", path).compose(req -> {
        if (user != null) {
          req.putHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
              .getBytes(StandardCharsets.UTF_8)));
        }
        return req.send().compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(),
            resp.getHeader("WWW-Authenticate"), body)));
      }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }

  private record Reply(int status, String challenge, Buffer body) {
  }

  @Test
  void fromAnUntrustedAddressTheDashboardAndMetricsNeedAdminWhileHealthStaysOpen() throws Exception {
    // no trusted network: the test's loopback requests stand for requests from another machine
    JsonObject options = ownToken().put("trustedNetworks", new JsonArray());
    try (TestServer server = TestServer.start(options)) {
      for (String path : new String[] {"/antadmin/", "/antadmin/api/status", "/metrics"}) {
        Reply anonymous = get(server, path, null, null);
        assertEquals(401, anonymous.status(), path);
        assertTrue(anonymous.challenge().startsWith("Basic realm=\"AntPool\""), anonymous.challenge());
        assertEquals(401, get(server, path, "admin", "wrong").status(), path);
      }
      assertEquals(200, get(server, "/antadmin/api/status", "anyone", tokenOf(options)).status());
      assertEquals(200, get(server, "/metrics", "anyone", tokenOf(options)).status());
      assertEquals(200, get(server, "/health", null, null).status());
    }
  }

  @Test
  void inUsersModeOnlyAnAdminUserOpensTheDashboardFromAnUntrustedAddress() throws Exception {
    JsonObject options = usersMode().put("trustedNetworks", new JsonArray());
    try (TestServer server = TestServer.start(options)) {
      assertEquals(403, get(server, "/antadmin/api/status", "alice", "alice-pw").status());
      assertEquals(200, get(server, "/antadmin/api/status", "root", "root-pw").status());
    }
  }

  @Test
  void fromATrustedAddressTheDashboardIsOpen() throws Exception {
    try (TestServer server = TestServer.start(ownToken())) {
      assertEquals(200, get(server, "/antadmin/api/status", null, null).status());
    }
  }
}
