package io.jkevy.engine.command.client;

import io.jkevy.engine.Session;

/**
 * One CLIENT LIST / CLIENT INFO line, in Redis 7.0's field order with 7.2's lib-name and
 * lib-ver appended. Fields jkevy does not track get the value Redis shows for "none"
 * (0, or -1 for multi/redir); buffer sizes are plausible figures: the query buffer is
 * reported only for the session running the command (it holds that command's bytes), the
 * output memory is what the connection reports as queued.
 */
public final class ClientInfo {
    private ClientInfo() { }

    /** Query buffer capacity Redis typically reports for a client that just read a command. */
    private static final long QBUF_CAPACITY = 20474;
    /** Reply buffer size Redis 7 settles on for a client with small replies. */
    private static final long REPLY_BUFFER = 1024;
    /** Approximate fixed per-client memory (the client structure and its bookkeeping). */
    private static final long CLIENT_BASE_MEM = 1800;

    /**
     * @param s       the session described
     * @param self    the session running the command (its argv is in the query buffer)
     * @param argv    the running command
     * @param nowMillis unix ms of the command, for age and idle
     */
    public static String line(Session s, Session self, byte[][] argv, long nowMillis) {
        long qbuf = 0, qbufFree = 0, argvMem = 0;
        if (s == self) {
            qbuf = respSize(argv);
            qbufFree = Math.max(0, QBUF_CAPACITY - qbuf);
            for (byte[] a : argv) argvMem += a.length;
        }
        long omem = Math.max(0, s.connection().outputBufferBytes());
        long totMem = CLIENT_BASE_MEM + REPLY_BUFFER + qbuf + qbufFree + argvMem + omem;
        StringBuilder sb = new StringBuilder(384);
        sb.append("id=").append(s.id())
          .append(" addr=").append(s.connection().remoteAddress())
          .append(" laddr=").append(s.connection().localAddress())
          .append(" fd=").append(7 + s.id())
          .append(" name=").append(s.name())
          .append(" age=").append(Math.max(0, (nowMillis - s.createdMillis()) / 1000))
          .append(" idle=").append(Math.max(0, (nowMillis - s.lastInteractionMillis()) / 1000))
          .append(" flags=").append(flags(s))
          .append(" db=").append(s.db())
          .append(" sub=").append(s.pubsubState().channelCount())
          .append(" psub=").append(s.pubsubState().patternCount())
          .append(" ssub=").append(s.pubsubState().shardChannelCount())
          .append(" multi=").append(s.tx().queuedCount())
          .append(" qbuf=").append(qbuf)
          .append(" qbuf-free=").append(qbufFree)
          .append(" argv-mem=").append(argvMem)
          .append(" multi-mem=0")
          .append(" rbs=").append(REPLY_BUFFER)
          .append(" rbp=0")
          .append(" obl=0 oll=0")
          .append(" omem=").append(omem)
          .append(" tot-mem=").append(totMem)
          .append(" events=").append(omem > 0 ? "rw" : "r")
          .append(" cmd=").append(s.lastCommand())
          .append(" user=").append(s.user() == null ? "default" : s.user().name())
          .append(" redir=").append(s.pubsubState().redirectField())
          .append(" resp=").append(s.protocol())
          .append(" lib-name=").append(s.libName())
          .append(" lib-ver=").append(s.libVersion());
        return sb.toString();
    }

    /** Redis's flag letters, in its order; "N" when none applies. */
    static String flags(Session s) {
        StringBuilder f = new StringBuilder(4);
        var ps = s.pubsubState();
        if (s.monitor()) f.append('O');
        if (ps.subscribed()) f.append('P');
        if (s.tx().inMulti()) f.append('x');
        if (ps.tracking()) f.append('t');
        if (ps.tracking() && ps.redirectBroken()) f.append('R');
        if (ps.tracking() && ps.bcast()) f.append('B');
        if (s.tx().watchTouched()) f.append('d');
        if (s.closing()) f.append('c');
        if (s.noEvict()) f.append('e');
        if (s.noTouch()) f.append('T');
        return f.isEmpty() ? "N" : f.toString();
    }

    /** Bytes of the command as a RESP multibulk request. */
    static long respSize(byte[][] argv) {
        long n = 1 + digits(argv.length) + 2;
        for (byte[] a : argv) n += 1 + digits(a.length) + 2 + a.length + 2;
        return n;
    }

    private static int digits(long v) { return Long.toString(v).length(); }
}
