package io.antpool.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that can fail the ways networks do. Once {@link #freeze}d it stops moving bytes either
 * way but keeps every connection open, which is what a peer looks like when its machine loses power or its
 * network goes away (the other side sees no close, only silence). {@link #cut} closes the connections it relays,
 * as a dropped Wi-Fi or a restarted router would; while {@link #refuse}d, it closes new ones at once.
 */
final class FreezingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean frozen;
  private volatile boolean refusing;
  /** Opened when the proxy closes: until then a frozen pump holds its bytes. */
  private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

  FreezingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::acceptLoop, "freezing-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  void freeze() {
    frozen = true;
  }

  /** Closes every connection relayed so far, both sides; new ones are relayed as before (unless refused). */
  void cut() throws IOException {
    for (Socket s : sockets) {
      s.close();
      sockets.remove(s);
    }
  }

  /** While {@code refusing}, a new connection is closed as soon as it is accepted. */
  void refuse(boolean refusing) {
    this.refusing = refusing;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket in = listener.accept();
        if (refusing) {
          in.close();
          continue;
        }
        Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        sockets.add(in);
        sockets.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          if (frozen) {
            closed.await(); // silence, with the connection left open, until the proxy closes
            return;
          }
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException | InterruptedException e) {
        // a side closed, or the proxy did
      }
    }, "freezing-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
