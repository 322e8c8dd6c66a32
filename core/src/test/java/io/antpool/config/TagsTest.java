package io.antpool.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Tags}: parsing {@code key=value} and bare keys, and the matching rule a requirement follows. */
class TagsTest {

  @Test
  void aTagIsKeyEqualsValueOrABareKeyWithTheEmptyValue() {
    assertEquals(Map.entry("region", "eu"), Tags.parse(" region = eu "));
    assertEquals(Map.entry("gpu", ""), Tags.parse("gpu"));
    assertEquals(Map.entry("url", "a=b"), Tags.parse("url=a=b"), "only the first '=' separates");
    assertEquals(Map.of("region", "us", "gpu", ""), Tags.parseAll(List.of("region=eu", "gpu", "region=us")));
  }

  @Test
  void aTagWithoutKeyIsRefusedWithAnExample() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tags.parse("=eu"));
    assertTrue(e.getMessage().contains("region=eu"), e.getMessage());
  }

  @Test
  void aRequirementIsMetByExactlyTheSameValueForEveryKey() {
    Map<String, String> worker = Map.of("region", "eu", "gpu", "");

    assertTrue(Tags.matches(Map.of(), worker), "no requirement: any worker");
    assertTrue(Tags.matches(Map.of("region", "eu"), worker));
    assertTrue(Tags.matches(Map.of("region", "eu", "gpu", ""), worker));
    assertFalse(Tags.matches(Map.of("region", "us"), worker));
    assertFalse(Tags.matches(Map.of("region", "EU"), worker), "values are case-sensitive");
    assertFalse(Tags.matches(Map.of("gpu", "a100"), worker), "a bare tag is not a wildcard");
    assertFalse(Tags.matches(Map.of("region", ""), worker), "a bare requirement needs a bare tag");
    assertFalse(Tags.matches(Map.of("ssd", ""), worker));
  }

  @Test
  void formatWritesTagsAsOnTheCommandLine() {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    tags.put("region", "eu");
    tags.put("gpu", "");
    assertEquals("region=eu, gpu", Tags.format(tags));
  }
}
