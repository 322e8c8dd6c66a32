package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.AuthenticationException;
import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.client.AntPoolOptions;
import io.antpool.protocol.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication between real processes: a server with a token file of its own (in a temporary folder, so the
 * machine's {@code ~/.antpool/token}, which the other tests rely on, is left alone) prints how to join with its
 * token; a worker and a client that pass it work; a worker without it exits with code 3 and says why; a client
 * with a wrong token fails at once with {@link AuthenticationException} instead of retrying.
 */
class AuthIT {
  @TempDir
  Path dir;

  @Test
  void onlyPeersWithTheServersTokenJoinAndTheOthersAreToldClearlyAndAtOnce() throws Exception {
    Path conf = dir.resolve("server.json");
    Path tokenFile = dir.resolve("antpool").resolve("token");
    Files.writeString(conf, "{\"tokenFile\": \"" + tokenFile + "\"}");
    try (ChildJvm server = Pool.server(conf)) {
      String token = Files.readString(tokenFile).strip();
      String url = Pool.url(server);
      server.awaitLine(Pattern.compile("antpool worker " + Pattern.quote(url) + " --token " + Pattern.quote(token)),
          Pool.START);

      // no --token: it finds the machine's own token file (another server's token) or none
      try (ChildJvm refused = Pool.workerFor(url, 1)) {
        assertEquals(3, refused.awaitExit(Duration.ofSeconds(60)), refused.output());
        assertTrue(refused.output().contains("refused this worker: AUTH_"), refused.output());
      }

      try (ChildJvm worker = Pool.worker(server, 1, "--token", token);
          AntPoolExecutor wrong = new AntPoolExecutor(new AntPoolOptions().setUrl(url).setToken("not-the-token"));
          AntPoolExecutor right = new AntPoolExecutor(new AntPoolOptions().setUrl(url).setToken(token))) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> wrong.submit((SerializableCallable<Integer>) () -> 1).get(30, TimeUnit.SECONDS));
        AuthenticationException refusal = assertInstanceOf(AuthenticationException.class, e.getCause());
        assertEquals(ErrorCode.AUTH_FAILED, refusal.code());
        assertFalse(refusal.getMessage().contains("not-the-token"), refusal.getMessage());
        ExecutionException again = assertThrows(ExecutionException.class,
            () -> wrong.submit((SerializableCallable<Integer>) () -> 2).get(5, TimeUnit.SECONDS));
        assertInstanceOf(AuthenticationException.class, again.getCause(), "a refused client does not retry");

        assertEquals(42, right.submit((SerializableCallable<Integer>) () -> 42).get(60, TimeUnit.SECONDS));
      }
      assertFalse(server.output().contains("not-the-token"), "no credential in the server's log");
    }
  }
}
