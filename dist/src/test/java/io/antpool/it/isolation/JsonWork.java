package io.antpool.it.isolation;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Jackson work, in a class of its own so that {@link SessionLoad} can count the classes it loads. */
final class JsonWork {
  private JsonWork() {
  }

  static String write(int id) throws Exception {
    Map<String, Object> doc = new TreeMap<>(Map.of("session", id, "items", List.of(1, 2, 3)));
    String json = new ObjectMapper().writeValueAsString(doc);
    @SuppressWarnings("unchecked")
    Map<String, Object> back = new ObjectMapper().readValue(json, Map.class);
    if (!back.get("session").equals(id)) {
      throw new IllegalStateException("round trip lost the id: " + json);
    }
    return json;
  }
}
