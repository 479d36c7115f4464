/**
 * RESP wire format for jkevy.
 *
 * <p>Owns: turning request bytes into command argument vectors under hard limits
 * ({@link io.jkevy.resp.RespRequestParser}, {@link io.jkevy.resp.RespLimits}), encoding
 * replies for RESP2 and RESP3 ({@link io.jkevy.resp.RespWriter}), and the client-side
 * reply model and decoder ({@link io.jkevy.resp.RespValue}, {@link io.jkevy.resp.RespReplyParser})
 * used by tests and replication.
 *
 * <p>Does not own: sockets, channel handlers or buffer cumulation (the caller keeps unread
 * bytes and releases every {@code ByteBuf}), command lookup or semantics, authentication
 * (including any tighter limit for unauthenticated clients), and client bookkeeping such as
 * the negotiated protocol version beyond what the writer is told via {@code protocol(int)}.
 *
 * <p>Nothing here is thread-safe except {@link io.jkevy.resp.RespLimits}: one parser and one
 * writer belong to one connection at a time.
 */
package io.jkevy.resp;
