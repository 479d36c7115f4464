/**
 * The jkevy server process: command line and TOML configuration, the Netty client listener,
 * the periodic tick, and the lifecycle (start line, SHUTDOWN, SIGTERM).
 *
 * <p>The client pipeline is one stage per concern: {@link io.jkevy.server.ClientHandler}
 * accumulates bytes, parses requests with the RESP parser, runs each one on the event-loop
 * thread through the engine (no hand-off on the hot path) and flushes the replies of a whole
 * read batch at once; back-pressure turns reading off while the socket's outbound buffer is
 * above its high watermark.
 *
 * <p>Does not: implement commands (the engine does) or hold data.
 */
package io.jkevy.server;
