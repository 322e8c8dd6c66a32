package io.antpool.launcher;

import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vertx run VERTICLE [options]} on the Vert.x 5 application launcher ({@link VertxApplication}), with
 * AntPool's additions: short verticle names ({@code ServerVerticle}, {@code WorkerVerticle}), {@code -conf}
 * files found under {@code conf/}, a missing configuration file reported as an error, and, for the server, a Vert.x
 * with the metrics it serves at {@code /metrics} ({@link ServerMetricsHooks}).
 */
public final class VertxRun {
  static final Map<String, String> SHORT_NAMES = Map.of(
      "ServerVerticle", "io.antpool.server.ServerVerticle",
      "WorkerVerticle", "io.antpool.worker.WorkerVerticle");

  private VertxRun() {
  }

  public static void main(String[] args) {
    List<String> launcherArgs;
    try {
      launcherArgs = translate(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("vertx run: " + e.getMessage());
      System.exit(2);
      return;
    }
    VertxApplicationHooks hooks = launcherArgs.contains(SHORT_NAMES.get("ServerVerticle"))
        ? new ServerMetricsHooks() : VertxApplicationHooks.DEFAULT;
    int code = new VertxApplication(launcherArgs.toArray(String[]::new), hooks).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Turns {@code run VERTICLE [options]} into the launcher's arguments.
   *
   * @throws IllegalArgumentException for a missing verticle or configuration file, with the fix
   */
  static List<String> translate(List<String> args) {
    List<String> in = new ArrayList<>(args);
    if (!in.isEmpty() && in.get(0).equals("run")) {
      in.remove(0);
    }
    List<String> out = new ArrayList<>();
    boolean verticleSeen = false;
    for (int i = 0; i < in.size(); i++) {
      String arg = in.get(i);
      if (arg.equals("-conf") || arg.equals("--conf")) {
        if (i + 1 >= in.size()) {
          throw new IllegalArgumentException(arg + " needs a file name or inline JSON");
        }
        out.add("-conf");
        out.add(confValue(in.get(++i)));
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        out.add("-conf");
        out.add(confValue(arg.substring(arg.indexOf('=') + 1)));
      } else if (!verticleSeen && !arg.startsWith("-") && !isOptionValue(in, i)) {
        verticleSeen = true;
        out.add(SHORT_NAMES.getOrDefault(arg, arg));
      } else {
        out.add(arg);
      }
    }
    if (!verticleSeen) {
      throw new IllegalArgumentException("name the verticle to run, e.g. vertx run ServerVerticle -conf server.json"
          + " or vertx run WorkerVerticle -instances 4");
    }
    return out;
  }

  /** Whether {@code in[i]} is the value of the option before it (options that take a separate value). */
  private static boolean isOptionValue(List<String> in, int i) {
    if (i == 0) {
      return false;
    }
    String previous = in.get(i - 1);
    return List.of("-instances", "--instances", "-options", "--options", "-cluster-host", "--cluster-host",
        "-cluster-port", "--cluster-port", "-cluster-public-host", "--cluster-public-host",
        "-cluster-public-port", "--cluster-public-port", "-deployment-options", "--deployment-options")
        .contains(previous);
  }

  private static String confValue(String value) {
    if (value.trim().startsWith("{")) {
      ConfFiles.read(value); // validate now, with a clear message
      return value;
    }
    return ConfFiles.resolve(value).toString();
  }
}
