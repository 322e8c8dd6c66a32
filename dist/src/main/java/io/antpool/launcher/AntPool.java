package io.antpool.launcher;

import io.antpool.protocol.Protocol;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code antpool} — one entry point for everything in {@code antpool.jar}: {@code server} (antpoolsrv),
 * {@code worker} (antpoolclient), {@code user} (users of auth users), {@code demo}, and {@code run} (the Vert.x
 * launcher, as {@code vertx run}).
 */
@Command(name = "antpool", mixinStandardHelpOptions = true, versionProvider = AntPool.Version.class,
    description = "Run Java work on many computers through a plain ExecutorService.",
    subcommands = {ServerCommand.class, WorkerCommand.class, UserCommand.class, DemoCommand.class,
        CommandLine.HelpCommand.class})
public final class AntPool implements Runnable {

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("run")) {
      VertxRun.main(args);
      return;
    }
    int code = new CommandLine(new AntPool()).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
    System.out.println();
    System.out.println("  run          Deploy a verticle through the Vert.x launcher: run ServerVerticle -conf server.json");
  }

  /** Prints the AntPool version. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"AntPool for Java " + Protocol.ANTPOOL_VERSION};
    }
  }
}
