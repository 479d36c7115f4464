/**
 * Commands: the command table, dispatch, and every command, run against the store with the
 * journal append in the same critical section. No sockets: a {@link io.jkevy.engine.Session}
 * stands for a connection and replies go to a {@link io.jkevy.resp.RespWriter}; the server
 * module (or the embedded store) owns the network and threads and plugs in a
 * {@link io.jkevy.engine.Host} for process-level actions (shutdown, killing a connection).
 *
 * <p>Layout: {@code io.jkevy.engine.command} holds the table and the command groups, one
 * class per Redis command group; {@code io.jkevy.engine.config} the runtime configuration
 * registry (CONFIG GET/SET, the TOML file and CLI flags all set the same entries).
 */
package io.jkevy.engine;
