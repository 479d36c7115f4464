package io.jkevy.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A plain socket for protocol edge cases: send exact bytes, read until a condition. */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    void send(String s) throws IOException { send(s.getBytes(StandardCharsets.ISO_8859_1)); }

    void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Reads until {@code n} bytes have arrived in total (or EOF); returns everything so far. */
    String readBytes(int n) throws IOException {
        byte[] buf = new byte[65536];
        while (received.size() < n) {
            int r = in.read(buf);
            if (r < 0) break;
            received.write(buf, 0, r);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until the text received ends with {@code suffix} (or EOF). */
    String readUntil(String suffix) throws IOException {
        byte[] buf = new byte[65536];
        while (!received.toString(StandardCharsets.ISO_8859_1).endsWith(suffix)) {
            int r = in.read(buf);
            if (r < 0) break;
            received.write(buf, 0, r);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** True when the server closed the connection within the timeout (reading what remains). */
    boolean closedByPeer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[4096];
        try {
            while (true) {
                int r = in.read(buf);
                if (r < 0) return true;
                received.write(buf, 0, r);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;   // reset
        }
    }

    String received() { return received.toString(StandardCharsets.ISO_8859_1); }

    @Override
    public void close() throws IOException { socket.close(); }
}
