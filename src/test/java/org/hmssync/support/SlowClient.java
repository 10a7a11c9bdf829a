package org.hmssync.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client that sends part of an HTTP request to the hub on 127.0.0.1 and then nothing more, as a
 * stalled or hostile peer does. Reads tell what the hub did with it: answered, closed, or neither.
 */
public final class SlowClient implements AutoCloseable {

    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private boolean closedByHub;

    private SlowClient(Socket socket) {
        this.socket = socket;
    }

    /** The headers of a POST announcing a 1000-byte body, then 10 bytes of it. */
    public static SlowClient partialBody(int port, String path) throws IOException {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n";
        return send(port, head + "{\"id\":\"sl");
    }

    /** A request line and one header, without the blank line that ends the headers. */
    public static SlowClient partialHeaders(int port) throws IOException {
        return send(port, "POST /events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
    }

    private static SlowClient send(int port, String text) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        SlowClient client = new SlowClient(socket);
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        } catch (SocketException e) {
            // the hub may close a connection over its cap before the request is written
            client.closedByHub = true;
        }
        return client;
    }

    /**
     * Reads until the hub closes the connection and returns what it sent; fails if the connection
     * is still open after {@code within}.
     */
    public String readUntilClosed(Duration within) throws IOException {
        if (!read(within)) {
            throw new AssertionError("the hub still holds the connection after " + within + "; it sent: " + text());
        }
        return text();
    }

    /** Whether the hub has closed the connection, looking for at most {@code within}. */
    public boolean closedByHub(Duration within) throws IOException {
        return read(within);
    }

    private boolean read(Duration within) throws IOException {
        if (closedByHub) {
            return true;
        }
        socket.setSoTimeout((int) Math.max(1, within.toMillis()));
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            // a reset: closed with the request unread
        }
        closedByHub = true;
        return true;
    }

    private String text() {
        return received.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
