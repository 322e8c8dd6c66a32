package io.antpool.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A reader of the dashboard's Server-Sent Events stream: each event as its name and its JSON data. */
final class LiveStream implements AutoCloseable {
  record Event(String name, JsonObject data) {
  }

  private final HttpClient http;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final StringBuilder pending = new StringBuilder();
  HttpClientResponse response;

  private LiveStream(HttpClient http) {
    this.http = http;
  }

  static LiveStream open(Vertx vertx, int port) throws Exception {
    return open(vertx, port, false);
  }

  /** With {@code gzip}, asks for a compressed stream, as browsers do, and reads it decompressed. */
  static LiveStream open(Vertx vertx, int port, boolean gzip) throws Exception {
    LiveStream stream = new LiveStream(vertx.createHttpClient(new HttpClientOptions()
        .setDecompressionSupported(gzip)));
    // the handler is set as the response arrives, on its event loop, so no chunk goes by unread
    stream.response = stream.http.request(HttpMethod.GET, port, "127.0.0.1", "/antadmin/api/live")
        .compose(req -> req.send())
        .onSuccess(response -> response.handler(chunk -> stream.received(chunk.toString())))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return stream;
  }

  /** Splits the stream into events at blank lines; comments (keep-alives) are dropped. */
  private void received(String text) {
    pending.append(text);
    int end;
    while ((end = pending.indexOf("\n\n")) >= 0) {
      String block = pending.substring(0, end);
      pending.delete(0, end + 2);
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(line.substring(6));
        }
      }
      if (name != null) {
        events.add(new Event(name, new JsonObject(data.toString())));
      }
    }
  }

  /** The next event, which must be named {@code name}. */
  JsonObject next(String name) throws InterruptedException {
    Event e = events.poll(30, TimeUnit.SECONDS);
    assertNotNull(e, "no " + name + " event within 30 s");
    assertEquals(name, e.name());
    return e.data();
  }

  @Override
  public void close() throws Exception {
    http.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
