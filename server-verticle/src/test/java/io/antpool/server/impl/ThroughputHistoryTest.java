package io.antpool.server.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.antpool.protocol.Result;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ThroughputHistoryTest {
  private static final Result VALUE = Result.value(1, "w");
  private static final Result ERROR = new Result(1, Result.Status.ERROR, "X", "boom", "w");

  @Test
  void eachSampleCountsTheTasksAnsweredSinceThePreviousOne() {
    ServerStats stats = new ServerStats();
    ThroughputHistory history = new ThroughputHistory(stats);
    stats.taskAnswered(null, null, VALUE);
    stats.taskAnswered(null, null, VALUE);
    stats.taskAnswered(null, null, ERROR);
    ThroughputHistory.Sample first = history.sample(1_000, 2, 5);
    assertEquals(new ThroughputHistory.Sample(1_000, 2, 1, 2, 5), first);
    assertEquals(new ThroughputHistory.Sample(2_000, 0, 0, 1, 0), history.sample(2_000, 1, 0));
    JsonObject json = history.toJson();
    assertEquals(new JsonArray().add(2).add(0), json.getJsonArray("completed"));
    assertEquals(new JsonArray().add(1).add(0), json.getJsonArray("failed"));
    assertEquals(new JsonArray().add(2).add(1), json.getJsonArray("busySlots"));
    assertEquals(new JsonArray().add(5).add(0), json.getJsonArray("queueDepth"));
    assertEquals(2_000, json.getLong("end"));
  }

  @Test
  void theRateAveragesTheNewestTenSecondsAndTheHistoryKeepsTenMinutes() {
    ServerStats stats = new ServerStats();
    ThroughputHistory history = new ThroughputHistory(stats);
    assertEquals(0, history.perSecond());
    for (int second = 1; second <= ThroughputHistory.CAPACITY + 5; second++) {
      for (int i = 0; i < (second > ThroughputHistory.CAPACITY - 5 ? 4 : 1); i++) {
        stats.taskAnswered(null, null, VALUE);
      }
      history.sample(second * 1_000L, 0, 0);
    }
    // the newest 10 seconds: 4 tasks each
    assertEquals(4.0, history.perSecond());
    assertEquals(ThroughputHistory.CAPACITY, history.toJson().getJsonArray("completed").size());
  }
}
