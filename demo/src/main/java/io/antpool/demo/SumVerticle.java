package io.antpool.demo;

import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;

/**
 * The sum of {@link Demo1} from inside Vert.x: a verticle that splits the sum into tasks, sends each with the
 * reactive {@link AntPoolClient}, and composes the results with {@link Future#all}, never blocking its event
 * loop. Its deployment completes once the sum is in; it also publishes the sum on {@value #ADDRESS}.
 *
 * <p>Configuration: {@code url} (default {@code ws://127.0.0.1:8086}), {@code n} (default 1,000,000,000),
 * {@code tasks} (default 16).
 */
public class SumVerticle extends VerticleBase {
  /** Where the verticle publishes the sum, a {@code Long}. */
  public static final String ADDRESS = "antpool.demo.sum";
  private AntPoolClient pool;

  @Override
  public Future<?> start() {
    String url = config().getString("url", "ws://127.0.0.1:8086");
    long n = config().getLong("n", 1_000_000_000L);
    int tasks = config().getInteger("tasks", 16);
    pool = AntPoolClient.create(vertx, new AntPoolOptions().setUrl(url).setName("sum-verticle"));
    List<Future<Long>> parts = new ArrayList<>();
    for (long[] r : Ranges.split(n, tasks)) {
      long from = r[0];
      long to = r[1];
      parts.add(pool.call(() -> Ranges.sum(from, to)));
    }
    return Future.all(parts).map(all -> {
      long sum = 0;
      for (Future<Long> part : parts) {
        sum += part.result();
      }
      return sum;
    }).onSuccess(sum -> {
      System.out.printf("reactive: sum of 1..%,d = %,d %s%n", n, sum,
          sum == Ranges.expectedSum(n) ? "correct" : "WRONG, expected " + Ranges.expectedSum(n));
      vertx.eventBus().publish(ADDRESS, sum);
    });
  }

  @Override
  public Future<?> stop() {
    return pool == null ? Future.succeededFuture() : pool.close();
  }
}
