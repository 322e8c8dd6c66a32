package io.antpool;

/**
 * How far a running task has got, as it reports it through {@link TaskContext}: {@code done} units of
 * {@code total}, and an optional short message. Reaches the caller's progress listener and the server's
 * dashboard; see {@link TaskContext} for how often.
 *
 * <p>The rules, checked when one is made (an {@link IllegalArgumentException} names the broken one):
 * {@code done >= 0}; {@code total >= 0}, where 0 means the total is not known; {@code done <= total} when the
 * total is known. Progress need not grow: the latest report wins.
 *
 * <p>The message is for one line of a console or a table cell: {@code null} means none, control characters
 * (line breaks, tabs) become spaces, and a message longer than {@value #MAX_MESSAGE_CHARS} characters is cut to
 * its first {@value #MAX_MESSAGE_CHARS} (one fewer when the cut would split a surrogate pair).
 *
 * @param done units done so far
 * @param total units in all, or 0 when not known
 * @param message what the task is doing, or null
 */
public record TaskProgress(long done, long total, String message) {
  /** The longest message kept; longer ones are cut. */
  public static final int MAX_MESSAGE_CHARS = 200;

  public TaskProgress {
    String problem = problem(done, total);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    message = clip(message);
  }

  /** {@code done} of {@code total}, without a message. */
  public TaskProgress(long done, long total) {
    this(done, total, null);
  }

  /**
   * What is wrong with these figures, or null when they are valid: the text of the
   * {@link IllegalArgumentException} a {@code TaskProgress} of them would throw.
   */
  public static String problem(long done, long total) {
    if (done < 0) {
      return "progress done is " + done + ": it counts units done from 0";
    }
    if (total < 0) {
      return "progress total is " + total + ": give the number of units, or 0 when it is not known";
    }
    if (total > 0 && done > total) {
      return "progress done (" + done + ") is more than its total (" + total + "): report at most the total,"
          + " or 0 as the total when it is not known";
    }
    return null;
  }

  /** {@code done / total}, from 0 to 1; NaN when the total is not known. */
  public double fraction() {
    return total == 0 ? Double.NaN : (double) done / total;
  }

  /** The message as kept: see the class comment. */
  static String clip(String message) {
    if (message == null) {
      return null;
    }
    int length = Math.min(message.length(), MAX_MESSAGE_CHARS);
    if (length < message.length() && Character.isHighSurrogate(message.charAt(length - 1))) {
      length--;
    }
    char[] kept = new char[length];
    for (int i = 0; i < length; i++) {
      char c = message.charAt(i);
      kept[i] = Character.isISOControl(c) ? ' ' : c;
    }
    return new String(kept);
  }
}
