package io.antpool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link TaskProgress}: figures out of range are refused naming the rule, an unknown total is 0, and messages
 * are kept to one line of at most {@value TaskProgress#MAX_MESSAGE_CHARS} characters.
 */
class TaskProgressTest {

  @Test
  void validFiguresAreKept() {
    TaskProgress p = new TaskProgress(3, 10, "three");

    assertEquals(3, p.done());
    assertEquals(10, p.total());
    assertEquals("three", p.message());
    assertEquals(0.3, p.fraction(), 1e-9);
    assertEquals(1.0, new TaskProgress(10, 10).fraction(), 1e-9);
  }

  @Test
  void anUnknownTotalIsZeroAndAnyDoneGoesWithIt() {
    TaskProgress p = new TaskProgress(1_000_000, 0);

    assertEquals(1_000_000, p.done());
    assertTrue(Double.isNaN(p.fraction()));
    assertNull(p.message());
  }

  @Test
  void figuresOutOfRangeAreRefusedNamingTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TaskProgress(-1, 10)).getMessage()
        .contains("progress done is -1"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TaskProgress(0, -5)).getMessage()
        .contains("0 when it is not known"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new TaskProgress(11, 10)).getMessage()
        .contains("progress done (11) is more than its total (10)"));
    assertNull(TaskProgress.problem(0, 0));
    assertNull(TaskProgress.problem(10, 10));
  }

  @Test
  void aLongMessageIsCutToTheLimit() {
    String longer = "x".repeat(TaskProgress.MAX_MESSAGE_CHARS + 50);

    assertEquals("x".repeat(TaskProgress.MAX_MESSAGE_CHARS), new TaskProgress(0, 0, longer).message());
    String exact = "y".repeat(TaskProgress.MAX_MESSAGE_CHARS);
    assertEquals(exact, new TaskProgress(0, 0, exact).message());
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00"; // one character outside the BMP: two chars
    String message = "a".repeat(TaskProgress.MAX_MESSAGE_CHARS - 1) + emoji;

    String kept = new TaskProgress(0, 0, message).message();

    assertEquals("a".repeat(TaskProgress.MAX_MESSAGE_CHARS - 1), kept);
  }

  @Test
  void controlCharactersBecomeSpacesSoAMessageStaysOnOneLine() {
    assertEquals("line one  line two\tx".replace('\t', ' '),
        new TaskProgress(1, 2, "line one\r\nline two\tx").message());
  }
}
