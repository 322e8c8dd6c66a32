package io.antpool.bench;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Reads the server's {@code GET /antadmin/api/status} (the figures the dashboard shows). */
final class StatusApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private StatusApi() {
  }

  /** The status of the server whose WebSocket address is {@code wsUrl} ({@code ws://127.0.0.1:PORT}). */
  static JsonObject read(String wsUrl) throws IOException, InterruptedException {
    URI uri = URI.create(wsUrl.replaceFirst("^ws", "http") + "/antadmin/api/status");
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body());
    }
    return new JsonObject(response.body());
  }
}
