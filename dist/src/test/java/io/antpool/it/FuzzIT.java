package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.protocol.Protocol;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * At least 100,000 mutated frames ({@link FrameMutator}: v2 binary frames and legacy v1 JSON text frames, on
 * connections with and without the {@code antpool.v2} subprotocol) against a real server JVM with a 128 MiB
 * heap, in batches of 1,000 over 4 concurrent connections that reconnect as the server closes them. After every
 * batch {@code GET /health} must answer and the heap left after the last collection must stay well under the
 * cap; at the end a real worker and client run a task through the same server.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dantpool.fuzz.seed=SEED} (and {@code
 * -Dantpool.fuzz.frames=N} for a shorter or longer run). Each connection's frames come from a {@link Random}
 * seeded by (seed, batch, connection), so a seed replays the same frames whatever the thread timing.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FuzzIT {
  private static final int FRAMES = Integer.getInteger("antpool.fuzz.frames", 100_000);
  private static final int BATCH = 1_000;
  private static final int CONNECTIONS = 4;
  /** The live heap may not exceed this share of -Xmx: unbounded buffering would pass it long before an OOM. */
  private static final double HEAP_SHARE = 0.75;

  @TempDir
  Path dir;

  private final AtomicLong framesSent = new AtomicLong();
  private final AtomicLong connections = new AtomicLong();

  @Test
  void theServerSurvivesMutatedFramesWithBoundedHeapAndStillRunsTasks() throws Exception {
    long seed = Long.getLong("antpool.fuzz.seed", new SecureRandom().nextLong());
    System.out.println("FuzzIT seed " + seed + " (rerun with -Dantpool.fuzz.seed=" + seed + "), " + FRAMES
        + " frames");
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, "{\"helloTimeoutMillis\": 2000, \"writeStallTimeoutMillis\": 3000}");
    long maxUsed = 0;
    long maxAfterGc = 0;
    long heapMax;
    ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
    try (ChildJvm server = Pool.server(conf, List.of("-Xmx128m"))) {
      int port = Pool.port(server);
      heapMax = health(server).getJsonObject("heap").getLong("maxBytes");
      for (int batch = 0; batch * BATCH < FRAMES; batch++) {
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
          Random random = new Random(seed ^ (batch * 1_000_003L + c * 7_919L));
          running.add(senders.submit(() -> {
            sendBatch(port, random, BATCH / CONNECTIONS);
            return null;
          }));
        }
        for (Future<?> f : running) {
          f.get(60, TimeUnit.SECONDS);
        }
        JsonObject heap = health(server).getJsonObject("heap"); // after every batch, or the test fails here
        maxUsed = Math.max(maxUsed, heap.getLong("usedBytes"));
        maxAfterGc = Math.max(maxAfterGc, heap.getLong("afterGcBytes"));
        assertTrue(maxAfterGc < HEAP_SHARE * heapMax, "after batch " + batch + " (seed " + seed + ") the heap"
            + " left after collection is " + maxAfterGc + " of " + heapMax + " bytes: the server holds on to input");
      }
      JsonObject badInput = Pool.status(server).getJsonObject("badInput");
      System.out.printf("FuzzIT seed %d: %,d frames on %,d connections; the server sent %,d error replies and"
              + " closed %,d connections; heap max used %,d, max after GC %,d, of %,d bytes%n", seed,
          framesSent.get(), connections.get(), badInput.getLong("errors"), badInput.getLong("closes"), maxUsed,
          maxAfterGc, heapMax);
      assertTrue(framesSent.get() >= FRAMES, "sent " + framesSent.get());
      assertTrue(badInput.getLong("errors") >= FRAMES / 10, "the server answered only " + badInput.getLong(
          "errors") + " frames with an error: most of the fuzz never reached it");

      try (ChildJvm worker = Pool.worker(server, 1); AntPoolExecutor pool = new AntPoolExecutor(Pool.url(server))) {
        SerializableCallable<String> task = () -> "still " + (6 * 7);
        assertEquals("still 42", pool.submit(task).get(60, TimeUnit.SECONDS));
        assertTrue(worker.isAlive(), "the worker is up");
      }
      assertTrue(server.isAlive(), "the server is up");
    } finally {
      senders.shutdownNow();
    }
  }

  private static JsonObject health(ChildJvm server) throws IOException, InterruptedException {
    HttpResponse<String> response = Pool.get(server, "/health");
    assertEquals(200, response.statusCode(), response.body());
    JsonObject health = new JsonObject(response.body());
    assertEquals("UP", health.getString("status"));
    return health;
  }

  /**
   * Sends {@code quota} frames over as many connections as it takes: 7 in 10 ask for {@code antpool.v2} (most
   * say a valid hello first, so the frames after it reach the session's message handling), the rest do not
   * (the server closes those at once). Each connection carries up to 250 frames, ends with a close frame, and
   * is read throughout by a thread that discards what the server sends, so the fuzzer never stalls the server.
   */
  private void sendBatch(int port, Random random, int quota) throws Exception {
    FrameMutator mutator = new FrameMutator(random);
    int sent = 0;
    while (sent < quota) {
      boolean v2 = random.nextInt(10) < 7;
      int frames = Math.min(quota - sent, 1 + random.nextInt(250));
      connections.incrementAndGet();
      try (RawWebSocket ws = RawWebSocket.open(port, v2 ? Protocol.SUBPROTOCOL : null, 0)) {
        Thread reader = new Thread(() -> {
          try {
            ws.drainToClose();
          } catch (IOException e) {
            // gone
          }
        }, "fuzz-reader");
        reader.setDaemon(true);
        reader.start();
        int done = 0;
        try {
          if (v2 && random.nextInt(10) < 9) {
            ws.sendBinary(mutator.hello());
          }
          while (done < frames) {
            int kind = random.nextInt(100);
            if (kind < 75) {
              ws.sendBinary(mutator.binary());
            } else if (kind < 98) {
              ws.sendText(mutator.legacyText());
            } else {
              sendBrokenWebSocketFraming(ws, random, mutator);
              done++;
              break; // nothing after this can be read as WebSocket frames
            }
            done++;
          }
          ws.sendFrame(RawWebSocket.CLOSE, true, new byte[] {0x03, (byte) 0xe8}); // 1000: done
        } catch (IOException e) {
          // the server hung up: go on with a new connection
        }
        reader.join(10_000);
        sent += done;
        framesSent.addAndGet(done);
      }
    }
  }

  /** WebSocket-level abuse, after which the connection is unusable: fragments, a reserved bit or forged frame. */
  private static void sendBrokenWebSocketFraming(RawWebSocket ws, Random random, FrameMutator mutator)
      throws IOException {
    switch (random.nextInt(4)) {
      case 0 -> { // a fragmented message whose last fragment never comes
        ws.sendFrame(RawWebSocket.BINARY, false, mutator.binary());
        ws.sendFrame(0, false, mutator.binary());
      }
      // RSV1 set with no extension agreed: a protocol error (an unmasked frame is not: workers send those)
      case 1 -> ws.sendRaw(new byte[] {(byte) 0xc2, (byte) 0x80, 0, 0, 0, 0});
      case 2 -> ws.sendRaw(new byte[] {(byte) 0x82, (byte) 0xff, 0x3f, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0});
      default -> ws.sendRaw(new byte[] {(byte) 0x83, (byte) 0x80, 0, 0, 0, 0}); // reserved opcode 3
    }
  }
}
