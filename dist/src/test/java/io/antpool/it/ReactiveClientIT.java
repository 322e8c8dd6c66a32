package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.antpool.client.AntPoolClient;
import io.antpool.client.AntPoolOptions;
import io.antpool.demo.Ranges;
import io.antpool.demo.SumVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reactive {@link AntPoolClient} from inside Vert.x: {@code call} and {@code map} return Vert.x futures,
 * and the demo's {@link SumVerticle} composes the results of its tasks with {@code Future.all}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ReactiveClientIT {
  private static SharedPool shared;
  private static Vertx vertx;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(2);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopPool() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    if (shared != null) {
      shared.close();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void theDemoVerticleComposesItsTasksWithFutureAll() throws Exception {
    long n = 10_000_000L;
    CompletableFuture<Long> published = new CompletableFuture<>();
    vertx.eventBus().<Long>consumer(SumVerticle.ADDRESS, m -> published.complete(m.body()));

    String id = await(vertx.deployVerticle(new SumVerticle(), new DeploymentOptions().setConfig(new JsonObject()
        .put("url", Pool.url(shared.server)).put("n", n).put("tasks", 8))));

    assertEquals(Ranges.expectedSum(n), published.get(60, TimeUnit.SECONDS));
    await(vertx.undeploy(id));
  }

  @Test
  void mapKeepsTheOrderOfTheItemsAndFailsWithTheItemsException() throws Exception {
    AntPoolClient client = AntPoolClient.create(vertx, new AntPoolOptions().setUrl(Pool.url(shared.server)));
    try {
      List<Integer> items = IntStream.range(0, 50).boxed().toList();
      assertEquals(items.stream().map(x -> x + 1).toList(), await(client.map((Integer x) -> x + 1, items, 7)));
      assertEquals(42, await(client.call(() -> 42)));

      ExecutionException e = assertThrows(ExecutionException.class, () -> await(client.map((Integer x) -> {
        if (x == 3) {
          throw new IllegalArgumentException("three");
        }
        return x;
      }, items, 10)));
      assertInstanceOf(IllegalArgumentException.class, e.getCause());
      assertEquals("three", e.getCause().getMessage());
    } finally {
      await(client.close());
    }
  }
}
