package io.antpool.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open dashboard page, as far as the server can tell: it reads the live feed ({@code /antadmin/api/live})
 * as fast as the server sends it, on a thread of its own, and counts the bytes and the updates.
 */
final class LiveViewer implements AutoCloseable {
  private static final byte[] UPDATE = "event: update".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong updates = new AtomicLong();
  private final InputStream body;
  private final boolean gzipped;
  private final Thread reader;

  LiveViewer(String wsUrl) throws IOException, InterruptedException {
    URI uri = URI.create(wsUrl.replaceFirst("^ws", "http") + "/antadmin/api/live");
    HttpResponse<InputStream> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode());
    }
    // as a browser: gzip when the server offers it; the bytes counted are those on the wire
    InputStream wire = new java.io.FilterInputStream(response.body()) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }
    };
    gzipped = response.headers().firstValue("Content-Encoding").filter("gzip"::equals).isPresent();
    body = gzipped ? new java.util.zip.GZIPInputStream(wire, 512) : wire;
    reader = new Thread(this::read, "live-viewer");
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    byte[] buffer = new byte[64 * 1024];
    int matched = 0; // how much of UPDATE the bytes read so far end with, across reads
    try {
      int n;
      while ((n = body.read(buffer)) > 0) {
        for (int i = 0; i < n; i++) {
          matched = buffer[i] == UPDATE[matched] ? matched + 1 : (buffer[i] == UPDATE[0] ? 1 : 0);
          if (matched == UPDATE.length) {
            updates.incrementAndGet();
            matched = 0;
          }
        }
      }
    } catch (IOException closed) {
      // the viewer was closed
    }
  }

  /** Whether the server sent the feed gzipped. */
  boolean gzipped() {
    return gzipped;
  }

  long bytes() {
    return bytes.get();
  }

  long updates() {
    return updates.get();
  }

  @Override
  public void close() throws IOException {
    body.close();
  }
}
