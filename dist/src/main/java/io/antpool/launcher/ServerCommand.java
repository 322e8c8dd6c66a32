package io.antpool.launcher;

import io.antpool.server.ServerOptions;
import io.antpool.server.ServerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code antpoolsrv [PORT] [/s] [/v]} — the seed's server command — and its long forms. Options given on the
 * command line override the configuration file.
 */
@Command(name = "server", aliases = "antpoolsrv", mixinStandardHelpOptions = true,
    description = "Start the AntPool server (WebSocket /ws, dashboard /antadmin, /health, /ready, /metrics).")
final class ServerCommand implements Callable<Integer> {

  @Parameters(arity = "0..3", paramLabel = "PORT|/s|/v",
      description = "The seed's form: a port number, /s for TLS, /v for console logs.")
  List<String> seedArgs = new ArrayList<>();

  @Mixin
  ClusterOptions cluster = new ClusterOptions();

  @Option(names = {"-p", "--port"}, description = "Port to listen on (default 8086; 0 picks a free one).")
  Integer port;

  @Option(names = "--host", description = "Address to bind (default 0.0.0.0).")
  String host;

  @Option(names = {"-s", "--ssl"}, description = "Serve wss:// and https:// with the PEM key and"
      + " certificate sslKey and sslCert of the configuration (default privkey.key and cacert.csr).")
  boolean ssl;

  @Option(names = {"-v", "--verbose"}, description = "Log to the console instead of aSrv_log.txt/aSrv_err.txt.")
  boolean verbose;

  @Option(names = {"-c", "--conf"}, paramLabel = "FILE", description = "Configuration file (JSON), e.g. conf/server.json.")
  String conf;

  @Option(names = "--log-dir", paramLabel = "DIR", description = "Folder of the log files (default: current folder).")
  String logDir;

  @Override
  public Integer call() {
    for (String arg : seedArgs) {
      if (arg.equalsIgnoreCase("/v")) {
        verbose = true;
      } else if (arg.equalsIgnoreCase("/s")) {
        ssl = true;
      } else if (arg.matches("\\d+")) {
        port = Integer.parseInt(arg);
      } else {
        System.err.println("antpoolsrv: unknown argument \"" + arg + "\"; usage: antpoolsrv [PORT] [/s] [/v]");
        return 2;
      }
    }
    JsonObject config;
    ServerOptions options;
    try {
      config = conf == null ? new JsonObject() : ConfFiles.read(conf);
      if (port != null) {
        config.put("port", port);
      }
      if (host != null) {
        config.put("host", host);
      }
      if (logDir != null) {
        config.put("logDir", logDir);
      }
      if (verbose) {
        config.put("verbose", true);
      }
      if (ssl) {
        config.put("ssl", true);
      }
      options = ServerOptions.fromJson(config);
    } catch (IllegalArgumentException e) {
      System.err.println("antpoolsrv: " + e.getMessage());
      return 2;
    }
    if (options.isVerbose()) {
      LogSetup.console();
    } else {
      LogSetup.files(options.getLogDir());
    }
    Vertx vertx;
    try {
      vertx = cluster.serverVertx();
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("antpoolsrv: " + e.getMessage());
      return e instanceof IllegalArgumentException ? 2 : 1;
    }
    try {
      vertx.deployVerticle(new ServerVerticle(), new DeploymentOptions().setConfig(config))
          .toCompletionStage().toCompletableFuture().join();
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      System.err.println("antpoolsrv: " + cause.getMessage());
      vertx.close();
      return 1;
    }
    return Blocking.untilShutdown(vertx);
  }
}
