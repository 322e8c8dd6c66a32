package io.antpool.bench;

import java.util.concurrent.CountDownLatch;

/**
 * A JVM of {@link SimulatedWorkers}, for {@code bench/run-scale}: connects {@code COUNT} slots to the server in
 * batches, printing {@code simulated workers welcomed: N of COUNT} after each and
 * {@code simulated workers ready: COUNT in MS ms} at the end, then holds them until it is stopped (SIGTERM),
 * when it closes every connection (so the server has seen them all leave when this process ends) and prints
 * {@code simulated workers answered N tasks; M gave up on a silent server} (M: connections closed, and opened
 * again, because the server sent nothing, not even a pong, for a worker's timeout).
 *
 * <p>Usage: {@code SimulatedWorkerJvm WS_URL COUNT FIRST_NUMBER [BATCH]}; the slots are named
 * {@code simulated-FIRST_NUMBER} on, so several such JVMs give one pool distinct names.
 */
public final class SimulatedWorkerJvm {
  private static final long BATCH_TIMEOUT_SECONDS = 120;

  private SimulatedWorkerJvm() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3 || args.length > 4) {
      System.err.println("usage: SimulatedWorkerJvm WS_URL COUNT FIRST_NUMBER [BATCH (500)]");
      System.exit(2);
    }
    String url = args[0];
    int count = Integer.parseInt(args[1]);
    int firstNumber = Integer.parseInt(args[2]);
    int batch = args.length > 3 ? Integer.parseInt(args[3]) : 500;
    SimulatedWorkers workers = SimulatedWorkers.create(firstNumber, count);
    CountDownLatch closed = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      workers.close();
      System.out.println("simulated workers answered " + workers.answered() + " tasks; " + workers.silentServer()
          + " gave up on a silent server");
      closed.countDown();
    }, "simulated-workers-close"));
    long t0 = System.nanoTime();
    // in batches: thousands of handshakes at once would queue in the server's one event loop past its hello
    // timeout on a busy machine, and the progress lines tell where a slow connect spends its time
    for (int done = 0; done < count; ) {
      int n = Math.min(batch, count - done);
      workers.add(url, n, BATCH_TIMEOUT_SECONDS);
      done += n;
      System.out.println("simulated workers welcomed: " + done + " of " + count);
    }
    System.out.println("simulated workers ready: " + count + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    closed.await();
  }
}
