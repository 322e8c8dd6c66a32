package io.antpool.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.worker.WorkerOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code antpool worker}'s options make the worker configuration: {@code --tag} is repeatable, takes
 * {@code key=value} or a bare {@code key} (empty value), is added to the configuration file's tags and wins on
 * the same key; a tag without a key is refused with the form expected.
 */
class WorkerCommandTest {

  private static JsonObject configOf(String... args) {
    WorkerCommand command = new WorkerCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void repeatedTagsBecomeTheWorkersTags() {
    JsonObject config = configOf("--tag", "region=eu", "--tag", "gpu", "--name", "w1");

    assertEquals(Map.of("region", "eu", "gpu", ""), WorkerOptions.fromJson(config).getTags());
    assertEquals("w1", config.getString("name"));
  }

  @Test
  void commandLineTagsAreAddedToTheFilesAndWinOnTheSameKey() {
    String conf = new JsonObject().put("tags", new JsonObject().put("region", "us").put("ssd", "")).encode();

    JsonObject config = configOf("--conf", conf, "--tag", "region=eu");

    assertEquals(Map.of("region", "eu", "ssd", ""), WorkerOptions.fromJson(config).getTags());
  }

  @Test
  void noTagMeansNoTags() {
    assertEquals(Map.of(), WorkerOptions.fromJson(configOf()).getTags());
  }

  @Test
  void maskFramesTurnsMaskingOnAndItsAbsenceLeavesTheFilesChoice() {
    assertTrue(WorkerOptions.fromJson(configOf("--mask-frames")).isMaskFrames());
    assertFalse(WorkerOptions.fromJson(configOf()).isMaskFrames());
    String conf = new JsonObject().put("maskFrames", true).encode();
    assertTrue(WorkerOptions.fromJson(configOf("--conf", conf)).isMaskFrames());
  }

  @Test
  void aTagWithoutAKeyIsRefusedWithTheFormExpected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> configOf("--tag", "=eu"));

    assertTrue(e.getMessage().contains("write key=value (region=eu) or a bare key (gpu)"), e.getMessage());
  }
}
