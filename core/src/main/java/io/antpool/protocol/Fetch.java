package io.antpool.protocol;

/**
 * A worker asks for a class file or resource from a client's class path; the server forwards it to the client
 * session and routes the {@link FetchReply} back.
 *
 * @param requestId chosen by the sender, echoed in the reply
 * @param session the client session whose class path is searched
 * @param path a resource path, e.g. {@code com/example/Task.class}
 */
public record Fetch(long requestId, String session, String path) implements Message {
}
