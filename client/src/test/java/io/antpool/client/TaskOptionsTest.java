package io.antpool.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Routing options: the executor's required tags and spread ({@link AntPoolOptions}) combine with a task's
 * ({@link TaskOptions}): tags of both, the task's value winning for a shared key; spread if either spreads;
 * the copy constructor keeps both.
 */
class TaskOptionsTest {

  @Test
  void aTasksTagsAreAddedToTheExecutorsAndWinOnTheSameKey() {
    AntPoolOptions executor = new AntPoolOptions().requireTags("region=eu", "ssd");

    TaskOptions merged = TaskOptions.requireTags("region=us", "gpu").over(executor);

    assertEquals(Map.of("region", "us", "ssd", "", "gpu", ""), merged.requiredTags());
    assertFalse(merged.spread());
  }

  @Test
  void spreadIsOnIfEitherAsksForIt() {
    assertTrue(TaskOptions.NONE.over(new AntPoolOptions().setSpread(true)).spread());
    assertTrue(TaskOptions.NONE.withSpread(true).over(new AntPoolOptions()).spread());
    assertFalse(TaskOptions.NONE.over(new AntPoolOptions()).spread());
  }

  @Test
  void defaultsRequireNothingAndTheCopyKeepsRouting() {
    assertEquals(Map.of(), new AntPoolOptions().getRequiredTags());
    assertFalse(new AntPoolOptions().isSpread());

    AntPoolOptions copy = new AntPoolOptions(new AntPoolOptions().requireTags("gpu").setSpread(true));

    assertEquals(Map.of("gpu", ""), copy.getRequiredTags());
    assertTrue(copy.isSpread());
    assertTrue(copy.toString().contains("requiredTags=[gpu], spread"), copy.toString());
  }

  @Test
  void aTasksOwnTimeoutWinsOverTheExecutorsAndZeroMeansTheExecutors() {
    AntPoolOptions executor = new AntPoolOptions().setTaskTimeoutMillis(5_000);

    assertEquals(250, TaskOptions.NONE.withTimeout(java.time.Duration.ofMillis(250)).over(executor)
        .timeoutMillis());
    assertEquals(5_000, TaskOptions.NONE.over(executor).timeoutMillis());
    assertEquals(0, TaskOptions.NONE.over(new AntPoolOptions()).timeoutMillis(), "no timeout at all");
    assertEquals("timeoutMillis must be 0 (the executor's) or positive, got -1", org.junit.jupiter.api.Assertions
        .assertThrows(IllegalArgumentException.class, () -> new TaskOptions(java.util.Map.of(), false, -1))
        .getMessage());
  }
}
