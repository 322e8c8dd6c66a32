package io.antpool.bench;

import io.antpool.config.NativeTransport;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The raw Vert.x WebSocket echo between two JVMs ({@code bench/run-echo}): the floor any task round trip through
 * AntPool stands on (a task crosses such a hop twice, client to server and server to worker). An
 * {@link EchoServer} JVM echoes 100-byte binary messages; this JVM measures the round trip p50 and p99 of one
 * message at a time, and messages per second with 1, 64 and 1,024 in flight.
 */
public final class EchoBench {
  private static final Pattern READY = Pattern.compile("echo listening on (\\d+), transport (.+)");
  private static final int FRAME = 100;

  private EchoBench() {
  }

  /** Runs {@code action} on an event loop of {@code vertx}, where the socket's writes belong. */
  private static void vertxRun(Vertx vertx, Runnable action) {
    vertx.runOnContext(v -> action.run());
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 1 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 5;
    if (args.length > 0 && !args[0].equals("--seconds")) {
      System.out.println("usage: bench/run-echo [--seconds N (5 per window)]");
      System.exit(args[0].equals("--help") ? 0 : 2);
    }
    String classPath = FoundationBench.locateAntPoolJar() + File.pathSeparator
        + Path.of(EchoBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = Files.createTempDirectory("antpool-echo-");
    Vertx vertx = NativeTransport.vertx();
    try (ChildJvm server = ChildJvm.startMain("echo", classPath, EchoServer.class.getName(), dir, List.of(), READY,
        false)) {
      Matcher ready = server.awaitReady(Duration.ofSeconds(60));
      int port = Integer.parseInt(ready.group(1));
      System.out.println("transport: echo server " + ready.group(2) + ", this JVM " + NativeTransport.describe(vertx));
      // held in a variable to the end: Vert.x closes a client it finds unreachable, and its connections with it
      WebSocketClient client = vertx.createWebSocketClient();
      ClientWebSocket ws = client.webSocket();
      Buffer frame = Buffer.buffer(new byte[FRAME]);
      AtomicLong received = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      AtomicBoolean refill = new AtomicBoolean();
      CompletableFuture<?>[] next = {new CompletableFuture<>()};
      // throughput: every echo sends the next message from the socket's own event loop, as a Vert.x peer does
      ws.binaryMessageHandler(b -> {
        received.incrementAndGet();
        if (refill.get()) {
          sent.incrementAndGet();
          ws.writeBinaryMessage(frame);
        }
        next[0].complete(null);
      });
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/")).await();

      long[] rtt = new long[20_000];
      for (int i = -5_000; i < rtt.length; i++) { // the first 5,000 warm up
        next[0] = new CompletableFuture<>();
        long t0 = System.nanoTime();
        ws.writeBinaryMessage(frame);
        next[0].get(10, TimeUnit.SECONDS);
        if (i >= 0) {
          rtt[i] = System.nanoTime() - t0;
        }
      }
      Arrays.sort(rtt);
      System.out.printf("raw WebSocket echo, %d-byte messages, between two JVMs on loopback (server pid %d)%n",
          FRAME, server.pid());
      System.out.printf("round trip, one at a time (%,d): p50 %.1f us, p99 %.1f us%n", rtt.length,
          rtt[rtt.length / 2] / 1e3, rtt[rtt.length * 99 / 100] / 1e3);

      for (int window : new int[] {1, 64, 1_024}) {
        long before = received.get();
        refill.set(true);
        long t0 = System.nanoTime();
        vertxRun(vertx, () -> {
          for (int i = 0; i < window; i++) {
            sent.incrementAndGet();
            ws.writeBinaryMessage(frame);
          }
        });
        TimeUnit.SECONDS.sleep(seconds);
        long got = received.get() - before;
        double elapsed = (System.nanoTime() - t0) / 1e9;
        refill.set(false);
        System.out.printf("throughput, %,5d in flight: %,12.0f messages/s%n", window, got / elapsed);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < sent.get() && System.nanoTime() < deadline) { // drain before the next window
          Thread.onSpinWait();
        }
      }
      ws.close().await();
      client.close().await();
    } finally {
      vertx.close().await();
    }
  }
}
