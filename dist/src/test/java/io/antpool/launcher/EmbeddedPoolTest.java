package io.antpool.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's embedded pool: a server and its worker slots in one Vert.x, built with metrics, so its
 * {@code /metrics} shows Vert.x's figures beside AntPool's, and it is ready as soon as it has started.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EmbeddedPoolTest {
  /** HTTP/1.1: see Pool's client in the end-to-end tests for why not the default upgrade to HTTP/2. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static HttpResponse<String> get(EmbeddedPool pool, String path) throws Exception {
    URI uri = URI.create(pool.url().replace("ws://", "http://") + path);
    return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void itsServerIsReadyWithItsSlotsAndServesVertxMetrics() throws Exception {
    try (EmbeddedPool pool = EmbeddedPool.start(0, 2)) {
      HttpResponse<String> ready = get(pool, "/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      assertTrue(ready.body().contains("\"slots\":2"), ready.body());
      String scrape = get(pool, "/metrics").body();
      assertTrue(scrape.contains("\nantpool_slots 2.0\n"), scrape);
      assertTrue(scrape.contains("\nvertx_eventbus_handlers "), "Vert.x's metrics are served:\n" + scrape);
    }
  }
}
