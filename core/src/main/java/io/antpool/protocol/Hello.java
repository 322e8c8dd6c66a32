package io.antpool.protocol;

import java.util.List;

/**
 * First frame a peer sends after the WebSocket opens (and an in-process worker sends on the event bus). The
 * server answers {@link Welcome} or an {@link ErrorReply} followed by a close.
 *
 * @param role what the peer will do
 * @param protocolVersion must be {@link Protocol#VERSION}
 * @param peer facts about the peer
 * @param token the credential: the server's token, or with {@code user} that user's password; null for a
 *     server that requires none. Never logged: {@link #toString()} leaves it out.
 * @param resume for a client coming back after its connection dropped: the session it had and the tasks it
 *     still awaits; null for a new session (and always for workers)
 * @param user the user name on a server in {@code users} mode; null with a token
 */
public record Hello(Role role, int protocolVersion, PeerInfo peer, String token, Resume resume, String user)
    implements Message {

  /** A hello that starts a new session. */
  public Hello(Role role, int protocolVersion, PeerInfo peer, String token) {
    this(role, protocolVersion, peer, token, null, null);
  }

  /** This hello, asking to resume {@code resume}'s session. */
  public Hello resuming(Resume resume) {
    return new Hello(role, protocolVersion, peer, token, resume, user);
  }

  /** This hello with a credential: {@code user} (null with a token) and the token or password. */
  public Hello withCredential(String user, String token) {
    return new Hello(role, protocolVersion, peer, token, resume, user);
  }

  /** Without the token: a hello may be logged, its credential never. */
  @Override
  public String toString() {
    return "Hello[role=" + role + ", protocolVersion=" + protocolVersion + ", peer=" + peer + ", user=" + user
        + ", token=" + (token == null ? "none" : "(hidden)") + ", resume=" + resume + "]";
  }

  /**
   * What a client asks to resume.
   *
   * @param sessionId the session id its last {@link Welcome} gave
   * @param awaiting the ids of the tasks it submitted and still awaits a result for (a broadcast counts as one)
   */
  public record Resume(String sessionId, List<Long> awaiting) {
    public Resume {
      awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
    }
  }
}
