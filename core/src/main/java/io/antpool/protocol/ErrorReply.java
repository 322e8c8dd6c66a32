package io.antpool.protocol;

/**
 * A typed error from the receiver of a bad message. When {@code taskId} is not null the error concerns that
 * task only (it is failed); otherwise it concerns the connection.
 *
 * @param code what went wrong
 * @param message what went wrong and what to do about it
 * @param taskId the task concerned, or null
 */
public record ErrorReply(ErrorCode code, String message, Long taskId) implements Message {
}
