package io.antpool.server.impl.auth;

import io.antpool.auth.TokenFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What the server prints on standard output when it starts (never to the log, which must not hold a
 * credential): in {@code token} mode how to join, with the token, as Jupyter prints its URL; in {@code none} mode
 * a warning that anybody who reaches the port can run code on the workers.
 */
public final class JoinBanner {
  private JoinBanner() {
  }

  /** The lines to print for a server reachable at {@code ws://host:port}. */
  public static List<String> lines(Gatekeeper gate, String host, int port) {
    List<String> lines = new ArrayList<>();
    String url = "ws://" + host + ":" + port;
    switch (gate.mode()) {
      case TOKEN -> {
        boolean found = gate.tokenFilePath().toAbsolutePath().equals(TokenFile.defaultPath().toAbsolutePath());
        lines.add("Clients and workers need this server's token (kept in " + gate.tokenFilePath() + ").");
        if (found) {
          lines.add("  On this machine they read it from there by themselves: antpool worker " + url);
        } else {
          lines.add("  It is not in the default place " + TokenFile.defaultPath()
              + ", so give it to local processes too, as below.");
        }
        lines.add("  From other machines, join with:");
        lines.add("    antpool worker " + url + " --token " + gate.token());
        lines.add("    or ANTPOOL_TOKEN=" + gate.token() + " for workers and AntPoolExecutor clients");
      }
      case USERS -> lines.add("Clients and workers log in with a user name and password (auth users).");
      case NONE -> {
        lines.add("WARNING: auth none: anybody who can reach " + url + " can run any code on every worker");
        lines.add("WARNING: and see the dashboard. Use auth token (the default) unless this network is yours alone.");
      }
    }
    return lines;
  }
}
