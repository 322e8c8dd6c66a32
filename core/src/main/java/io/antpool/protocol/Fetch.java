package io.antpool.protocol;

/**
 * A worker asks for a class file or resource from a client's class path; the server forwards it to the client
 * session and routes the {@link FetchReply} back.
 *
 * @param requestId chosen by the sender, echoed in the reply
 * @param session the client session whose class path is searched
 * @param path a resource path, e.g. {@code com/example/Task.class}
 * @param loader the client class loader to search, as numbered in {@link Submit}
 * @param known SHA-256 digests (lower-case hex) of versions of this resource the worker already holds; when the
 *     client's version is one of them it answers with the digest only and no bytes travel
 */
public record Fetch(long requestId, String session, String path, int loader, java.util.List<String> known)
    implements Message {

  public Fetch {
    known = known == null ? java.util.List.of() : java.util.List.copyOf(known);
  }

  /** A fetch from the client's first loader, with nothing cached. */
  public Fetch(long requestId, String session, String path) {
    this(requestId, session, path, 0, java.util.List.of());
  }
}
