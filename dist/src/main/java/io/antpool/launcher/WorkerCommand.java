package io.antpool.launcher;

import io.antpool.config.Tags;
import io.antpool.worker.WorkerOptions;
import io.antpool.worker.WorkerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code antpoolclient [ws://HOST:PORT] [--instances N]} — a worker JVM with N execution slots. */
@Command(name = "worker", aliases = "antpoolclient", mixinStandardHelpOptions = true,
    description = "Join an AntPool server as a worker with N execution slots (one per core you lend).")
final class WorkerCommand implements Callable<Integer> {

  @Parameters(arity = "0..1", paramLabel = "ws://HOST:PORT", description = "The server (default"
      + " ws://127.0.0.1:8086; wss://HOST:PORT for a server started with /s).")
  String server;

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = {"-n", "--instances"}, description = "Execution slots in this JVM (default 1).")
  int instances = 1;

  @Option(names = "--name", description = "Name shown on the dashboard (default host/pid#slot).")
  String name;

  @Option(names = "--tag", paramLabel = "KEY[=VALUE]", description = "A routing tag of this worker, repeatable:"
      + " --tag region=eu --tag gpu. Tasks that require tags run only on workers that carry them. Added to the"
      + " configuration file's tags (a key given here wins).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--ca-file", paramLabel = "PEM", description = "For a wss:// server: trust the certificate(s)"
      + " in this PEM file (the server's own, or its CA's) instead of the JVM's default trust store.")
  String caFile;

  @Option(names = "--insecure", description = "INSECURE, for tests with throw-away certificates only: accept any"
      + " certificate from a wss:// server (a warning is logged at every connect).")
  boolean insecure;

  @Option(names = "--mask-frames", description = "Mask the WebSocket frames this worker sends from the start, as"
      + " RFC 6455 asks of a client (maskFrames). Off by default: the AntPool server accepts unmasked frames, and"
      + " masking costs a pass over every byte of a result. For a proxy that refuses unmasked frames; without it"
      + " the worker masks after its first attempt is refused.")
  boolean maskFrames;

  @Option(names = "--token", paramLabel = "TOKEN", description = "The server's token (auth token). Default:"
      + " $ANTPOOL_TOKEN, else the token file the server wrote on this machine (~/.antpool/token).")
  String token;

  @Option(names = "--user", paramLabel = "NAME", description = "User name on a server in auth users mode (a user"
      + " with role work); the password comes from $ANTPOOL_PASSWORD, or \"password\" in the configuration file.")
  String user;

  @Option(names = {"-c", "--conf"}, paramLabel = "FILE", description = "Configuration file (JSON), e.g. conf/worker.json.")
  String conf;

  /**
   * The worker configuration these options make: the file's, then the command line's on top.
   *
   * @throws IllegalArgumentException naming the option that is wrong and what is expected
   */
  JsonObject config() {
    JsonObject config = conf == null ? new JsonObject() : ConfFiles.read(conf);
    if (server != null) {
      config.put("server", server);
    }
    if (name != null) {
      config.put("name", name);
    }
    if (caFile != null) {
      config.put("trustCertFile", caFile);
    }
    if (insecure) {
      config.put("trustAll", true);
    }
    if (maskFrames) {
      config.put("maskFrames", true);
    }
    if (token != null) {
      config.put("token", token);
    }
    if (user != null) {
      config.put("user", user);
      String password = System.getenv("ANTPOOL_PASSWORD");
      if (password != null) {
        config.put("password", password);
      }
    }
    if (!tags.isEmpty()) {
      JsonObject merged = config.getValue("tags") instanceof JsonObject fromFile ? fromFile.copy() : new JsonObject();
      Tags.parseAll(tags).forEach(merged::put);
      config.put("tags", merged);
    }
    WorkerOptions.fromJson(config);
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be at least 1, got " + instances);
    }
    return config;
  }

  @Override
  public Integer call() {
    JsonObject config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      System.err.println("antpoolclient: " + e.getMessage());
      return 2;
    }
    Vertx vertx;
    try {
      vertx = cluster.vertx();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("antpoolclient: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    }
    CompletableFuture<String> refused = new CompletableFuture<>();
    vertx.eventBus().<String>localConsumer(WorkerVerticle.REFUSED_ADDRESS, m -> refused.complete("antpoolclient: "
        + m.body()));
    try {
      vertx.deployVerticle(WorkerVerticle.class, new DeploymentOptions().setConfig(config).setInstances(instances))
          .toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("antpoolclient: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    return Blocking.untilShutdown(vertx, refused);
  }
}
