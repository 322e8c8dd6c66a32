package io.antpool.server;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/** GETs a JSON document (or any answer) from a test server on loopback. */
final class HttpJson {
  private HttpJson() {
  }

  /** An HTTP answer: its status, its content type and its body. */
  record Reply(int status, String contentType, Buffer body) {
    JsonObject json() {
      return body.toJsonObject();
    }
  }

  static JsonObject get(Vertx vertx, int port, String path) throws Exception {
    return request(vertx, port, path).json();
  }

  static Reply request(Vertx vertx, int port, String path) throws Exception {
    HttpClient http = vertx.createHttpClient();
    try {
      return http.request(HttpMethod.GET, port, "127.0.0.1", path)
          .compose(req -> req.send().compose(resp -> resp.body().map(body -> new Reply(resp.statusCode(),
              resp.getHeader("content-type"), body))))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } finally {
      http.close();
    }
  }
}
