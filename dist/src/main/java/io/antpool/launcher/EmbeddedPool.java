package io.antpool.launcher;

import io.antpool.config.NativeTransport;
import io.antpool.server.ServerMetrics;
import io.antpool.server.ServerVerticle;
import io.antpool.worker.WorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * A whole pool in one Vert.x: a {@link ServerVerticle} on loopback and {@code workers} {@link WorkerVerticle}
 * slots on its event bus. Tasks still travel as bytes and run in task class loaders fed from the client, as
 * with remote workers.
 */
public final class EmbeddedPool implements AutoCloseable {
  private final Vertx vertx;
  private final int port;
  private final String workersDeployment;

  private EmbeddedPool(Vertx vertx, int port, String workersDeployment) {
    this.vertx = vertx;
    this.port = port;
    this.workersDeployment = workersDeployment;
  }

  /**
   * Starts the server on {@code port} (0 picks a free one) and the worker slots; returns once all are deployed.
   */
  public static EmbeddedPool start(int port, int workers) {
    Vertx vertx = ServerMetrics.builder(NativeTransport.prefer(new VertxOptions())).build();
    ServerVerticle server = new ServerVerticle();
    String workerDeployment;
    try {
      workerDeployment = vertx.deployVerticle(server, new DeploymentOptions().setConfig(new JsonObject().put("host", "127.0.0.1")
              .put("port", port)))
          .compose(id -> vertx.deployVerticle(WorkerVerticle.class, new DeploymentOptions().setInstances(workers)
              .setConfig(new JsonObject().put("transport", "eventbus"))))
          .toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
    return new EmbeddedPool(vertx, server.actualPort(), workerDeployment);
  }

  /** The URL clients connect to. */
  public String url() {
    return "ws://127.0.0.1:" + port;
  }

  /** Workers leave first, while the server can still take their goodbyes; then everything closes. */
  @Override
  public void close() {
    try {
      vertx.undeploy(workersDeployment).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing Vert.x below stops them anyway
    } finally {
      // from this thread, not from a Vert.x callback: a Vert.x closed from its own event loop never reports back
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }
}
