package io.jkevy.server.repl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a replica and its upstream's replication port, so a test
 * can drop the replication link without stopping either process: {@link #cut()} closes every
 * connection and refuses new ones (accepts and closes them at once) until {@link #restore()}.
 */
final class LinkProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private volatile boolean closed;
    /** Connections passed through to the target so far. */
    final AtomicInteger connections = new AtomicInteger();

    LinkProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "link-proxy-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() { return server.getLocalPort(); }

    /** Closes every connection through the proxy and refuses new ones. */
    void cut() {
        refusing = true;
        for (Socket s : open) quietClose(s);
        open.clear();
    }

    /** Lets connections through again. */
    void restore() { refusing = false; }

    private void acceptLoop() {
        while (!closed) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                quietClose(in);
                continue;
            }
            Socket out = new Socket();
            try {
                out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
                in.setTcpNoDelay(true);
                out.setTcpNoDelay(true);
            } catch (IOException e) {
                quietClose(in);
                quietClose(out);
                continue;
            }
            connections.incrementAndGet();
            open.add(in);
            open.add(out);
            pipe(in, out);
            pipe(out, in);
        }
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                int n;
                while ((n = i.read(buf)) >= 0) {
                    o.write(buf, 0, n);
                    o.flush();
                }
            } catch (IOException ignored) {
                // either side went away
            } finally {
                quietClose(from);
                quietClose(to);
                open.remove(from);
                open.remove(to);
            }
        }, "link-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void quietClose(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        cut();
    }
}
