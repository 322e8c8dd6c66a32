package io.antpool.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The JSON header of a {@link Frame}: one small immutable record per message type, told apart on the wire by
 * the {@code type} property. See {@code docs/protocol.md} for the exchange each belongs to.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Hello.class, name = "hello"),
  @JsonSubTypes.Type(value = Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = Submit.class, name = "submit"),
  @JsonSubTypes.Type(value = Dispatch.class, name = "dispatch"),
  @JsonSubTypes.Type(value = Result.class, name = "result"),
  @JsonSubTypes.Type(value = Progress.class, name = "progress"),
  @JsonSubTypes.Type(value = Cancel.class, name = "cancel"),
  @JsonSubTypes.Type(value = Withdraw.class, name = "withdraw"),
  @JsonSubTypes.Type(value = Drain.class, name = "drain"),
  @JsonSubTypes.Type(value = Withdrawn.class, name = "withdrawn"),
  @JsonSubTypes.Type(value = Fetch.class, name = "fetch"),
  @JsonSubTypes.Type(value = FetchReply.class, name = "fetchReply"),
  @JsonSubTypes.Type(value = ErrorReply.class, name = "error"),
  @JsonSubTypes.Type(value = SessionEnded.class, name = "sessionEnded"),
  @JsonSubTypes.Type(value = Recall.class, name = "recall"),
  @JsonSubTypes.Type(value = Recalled.class, name = "recalled"),
})
public sealed interface Message
    permits Hello, Welcome, Submit, Dispatch, Result, Progress, Cancel, Withdraw, Withdrawn, Drain, Fetch, FetchReply,
    ErrorReply, SessionEnded, Recall, Recalled {
}
