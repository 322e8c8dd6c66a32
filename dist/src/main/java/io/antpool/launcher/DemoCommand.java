package io.antpool.launcher;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code antpool demo}: starts an embedded pool (server and one worker slot per core in one Vert.x) unless
 * {@code --url} names a running server, then runs the seed's demo1 from {@code antpool-demo.jar}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the seed's demo1 (the sum 1+2+...+n split into tasks) three ways.")
final class DemoCommand implements Callable<Integer> {
  private static final String DEMO_CLASS = "io.antpool.demo.Demo1";

  @Option(names = "--url", description = "Use a running server instead of an embedded pool.")
  String url;

  @Option(names = "--workers", description = "Worker slots of the embedded pool (default: one per core).")
  int workers = Runtime.getRuntime().availableProcessors();

  @Option(names = "--n", description = "Sum 1..n (default 4000000000).")
  long n = 4_000_000_000L;

  @Option(names = "--tasks", description = "Number of tasks the sum is split into (default 16).")
  int tasks = 16;

  @Override
  public Integer call() throws Exception {
    Method main;
    try {
      main = Class.forName(DEMO_CLASS).getMethod("main", String[].class);
    } catch (ClassNotFoundException e) {
      System.err.println("antpool demo: the demo classes are not on the class path; run it as ./antpool demo,"
          + " which adds demo/target/antpool-demo.jar");
      return 2;
    }
    EmbeddedPool pool = null;
    String target = url;
    if (target == null) {
      pool = EmbeddedPool.start(0, workers);
      target = pool.url();
      System.out.println("Embedded AntPool: server " + target + " with " + workers + " worker slot(s); dashboard "
          + target.replaceFirst("^ws", "http") + "/antadmin/ while the demo runs");
    }
    List<String> args = new ArrayList<>(List.of(target, Long.toString(n), Integer.toString(tasks)));
    try {
      main.invoke(null, (Object) args.toArray(String[]::new));
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    } finally {
      if (pool != null) {
        pool.close();
      }
    }
    return 0;
  }
}
