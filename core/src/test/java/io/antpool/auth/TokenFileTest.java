package io.antpool.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file: private, made once even by servers starting together; and where peers look for a token. */
class TokenFileTest {
  @TempDir
  Path dir;

  @Test
  void serversStartingTogetherEndUpWithOneTokenInAPrivateFile() throws Exception {
    Path file = dir.resolve("home").resolve(".antpool").resolve("token");
    int servers = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(servers);
    try {
      List<Future<String>> tokens = IntStream.range(0, servers).mapToObj(i -> pool.submit(() -> {
        go.await();
        return TokenFile.readOrCreate(file);
      })).toList();
      go.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> t : tokens) {
        distinct.add(t.get(30, TimeUnit.SECONDS));
      }
      assertEquals(Set.of(TokenFile.read(file).orElseThrow()), distinct);
    } finally {
      pool.shutdownNow();
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    try (var left = Files.list(file.getParent())) {
      assertEquals(List.of(file), left.toList(), "no temporary file left behind");
    }
  }

  @Test
  void anExistingFileIsReused() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "kept-token\n");
    assertEquals("kept-token", TokenFile.readOrCreate(file));
  }

  @Test
  void tokensAre32RandomBytesInUrlSafeBase64() {
    String a = TokenFile.newToken();
    assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
    assertTrue(!a.equals(TokenFile.newToken()));
  }

  @Test
  void anExplicitTokenWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "from-file\n");
    Map<String, String> env = Map.of(TokenSource.ENV, "from-env");

    assertEquals("explicit", TokenSource.resolve("explicit", env, file));
    assertEquals("from-env", TokenSource.resolve(null, env, file));
    assertEquals("from-file", TokenSource.resolve(null, Map.of(), file));
    assertNull(TokenSource.resolve(null, Map.of(), dir.resolve("absent")));
  }
}
