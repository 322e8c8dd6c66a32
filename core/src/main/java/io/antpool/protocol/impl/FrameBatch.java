package io.antpool.protocol.impl;

import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ProtocolException;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Several small {@code antpool.v2} frames in one WebSocket message, so that a burst of messages to one peer costs
 * one write, one flush and one wake-up of the reader instead of one each (see {@link BatchWriter}). Layout:
 *
 * <pre>
 *   int32 big-endian  -1: the batch marker, layout 1 (a frame starts with its header length, never negative)
 *   int32 big-endian  N: the number of frames, at least 1
 *   N times:
 *     int32 big-endian  L: the length of the frame, 0 &lt; L &lt; {@link #MAX_ENTRY_BYTES}
 *     L bytes           the frame exactly as it would travel alone ({@link FrameCodec}); never itself a batch
 * </pre>
 *
 * The whole batch is at most {@link #MAX_BATCH_BYTES}, far below any peer's message limit, and it ends with its
 * last frame. A receiver hands the frames of a batch on one by one, in order, exactly as if each had come as a
 * message of its own; a message that does not start with the marker is one frame, as before batches existed.
 * Another layout would take another negative marker (-2, ...), which a receiver of this one refuses by name.
 *
 * <p>Stateless; safe from any thread.
 */
public final class FrameBatch {
  /** The first int of a batch of layout 1. */
  static final int MARKER = -1;
  /** Marker and count. */
  static final int PREFIX_BYTES = 8;
  /** The length before each frame. */
  static final int ENTRY_PREFIX_BYTES = 4;
  /** A frame of this size or more always travels alone: a large payload gains nothing from company. */
  public static final int MAX_ENTRY_BYTES = 64 * 1024;
  /** The largest batch, prefixes included. */
  public static final int MAX_BATCH_BYTES = 256 * 1024;

  private FrameBatch() {
  }

  /** Whether a frame of {@code frameBytes} may go into a batch. */
  public static boolean admits(int frameBytes) {
    return frameBytes < MAX_ENTRY_BYTES;
  }

  /** The bytes a batch of frames totalling {@code frameBytes} bytes over {@code frames} frames takes. */
  public static int size(int frames, int frameBytes) {
    return PREFIX_BYTES + frames * ENTRY_PREFIX_BYTES + frameBytes;
  }

  /**
   * The batch of {@code frames}, in order, in one contiguous buffer (what a WebSocket client sends is masked, which
   * is fastest from one array: see {@link Fragments}).
   *
   * @throws IllegalArgumentException when there is no frame, a frame is too large for a batch or is a batch, or
   *     the batch would exceed {@link #MAX_BATCH_BYTES}: a bug in the sender, which must check {@link #admits}
   *     and {@link #size} first
   */
  public static Buffer encode(List<Buffer> frames) {
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("a batch holds at least one frame");
    }
    int bytes = 0;
    for (Buffer frame : frames) {
      if (!admits(frame.length()) || frame.length() < 4 || frame.getInt(0) < 0) {
        throw new IllegalArgumentException("a frame of " + frame.length() + " bytes cannot go into a batch");
      }
      bytes += frame.length();
    }
    int total = size(frames.size(), bytes);
    if (total > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException("a batch of " + total + " bytes exceeds " + MAX_BATCH_BYTES);
    }
    Buffer out = Buffer.buffer(total);
    out.appendInt(MARKER).appendInt(frames.size());
    for (Buffer frame : frames) {
      out.appendInt(frame.length()).appendBuffer(frame);
    }
    return out;
  }

  /**
   * The frames {@code message} carries, in order: those of a batch (views of its bytes, not copies), or the
   * message itself when it is not a batch. The whole batch is checked before anything is returned, so a
   * malformed one is refused whole and none of its frames is handled; each frame is still decoded (and may be
   * refused) on its own.
   *
   * @throws ProtocolException ({@link ErrorCode#BAD_FRAME}) naming what is wrong with a malformed batch
   */
  public static List<Buffer> split(Buffer message) {
    int total = message.length();
    if (total < 4 || message.getInt(0) >= 0) {
      return List.of(message);
    }
    int marker = message.getInt(0);
    if (marker != MARKER) {
      throw bad("unknown batch layout " + marker + " (this peer reads layout " + MARKER + "); run the same"
          + " AntPool version on both sides");
    }
    if (total > MAX_BATCH_BYTES) {
      throw bad("a batch of " + total + " bytes exceeds the limit of " + MAX_BATCH_BYTES);
    }
    if (total < PREFIX_BYTES) {
      throw bad("a batch of " + total + " bytes is shorter than its " + PREFIX_BYTES + "-byte prefix");
    }
    int count = message.getInt(4);
    // each frame takes at least its length prefix: a forged count allocates nothing
    if (count < 1 || count > (total - PREFIX_BYTES) / ENTRY_PREFIX_BYTES) {
      throw bad("a batch of " + total + " bytes cannot hold " + count + " frames");
    }
    List<Buffer> frames = new ArrayList<>(count);
    int at = PREFIX_BYTES;
    for (int i = 0; i < count; i++) {
      if (at + ENTRY_PREFIX_BYTES > total) {
        throw bad("the batch ends before frame " + (i + 1) + " of " + count);
      }
      int length = message.getInt(at);
      at += ENTRY_PREFIX_BYTES;
      if (length <= 0 || !admits(length) || length > total - at) {
        throw bad("frame " + (i + 1) + " of " + count + " has length " + length + ", impossible with "
            + (total - at) + " bytes left (a frame in a batch is under " + MAX_ENTRY_BYTES + " bytes)");
      }
      if (length >= 4 && message.getInt(at) < 0) {
        throw bad("frame " + (i + 1) + " of " + count + " is itself a batch; batches do not nest");
      }
      frames.add(message.slice(at, at + length));
      at += length;
    }
    if (at != total) {
      throw bad((total - at) + " bytes follow the last of the batch's " + count + " frames");
    }
    return frames;
  }

  /**
   * The receivers' unwrap step: hands each frame of {@code message} ({@link #split}) to {@code frames}, in order,
   * or a malformed batch's error to {@code malformed}, in which case no frame of it is handed on.
   */
  public static void unwrap(Buffer message, Consumer<Buffer> frames, Consumer<ProtocolException> malformed) {
    List<Buffer> split;
    try {
      split = split(message);
    } catch (ProtocolException e) {
      malformed.accept(e);
      return;
    }
    for (Buffer frame : split) {
      frames.accept(frame);
    }
  }

  private static ProtocolException bad(String what) {
    return new ProtocolException(ErrorCode.BAD_FRAME, "bad AntPool batch: " + what);
  }
}
