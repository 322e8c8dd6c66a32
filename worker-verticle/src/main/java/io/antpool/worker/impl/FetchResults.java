package io.antpool.worker.impl;

import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.FetchReply;
import io.antpool.protocol.Frame;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a {@link FetchReply} and turns it into a {@link SessionResources.Fetched} or an {@link IOException}. */
final class FetchResults {
  private FetchResults() {
  }

  static SessionResources.Fetched await(CompletableFuture<Frame> reply, long timeoutMillis, String path, Runnable onGiveUp)
      throws IOException {
    Frame frame;
    try {
      frame = reply.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      onGiveUp.run();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while fetching " + path);
    } catch (TimeoutException e) {
      onGiveUp.run();
      throw new IOException("no answer for " + path + " within " + timeoutMillis + " ms");
    } catch (ExecutionException e) {
      throw new IOException("fetching " + path + " failed: " + e.getCause().getMessage(), e.getCause());
    }
    return bytesOf(frame, path);
  }

  static SessionResources.Fetched bytesOf(Frame frame, String path) throws IOException {
    if (frame.header() instanceof FetchReply r) {
      if (r.error() != null) {
        throw new IOException(r.error());
      }
      if (!r.found()) {
        return SessionResources.Fetched.NOT_FOUND;
      }
      if (r.sha256() == null) {
        throw new IOException("the client answered for " + path + " without a SHA-256 digest");
      }
      boolean omitted = r.bytesOmitted(frame.payload());
      return new SessionResources.Fetched(omitted ? null : frame.payload().getBytes(), r.sha256(), omitted);
    }
    if (frame.header() instanceof ErrorReply e) {
      throw new IOException("the server refused the fetch of " + path + ": " + e.message());
    }
    throw new IOException("unexpected answer to the fetch of " + path + ": " + frame.header());
  }
}
