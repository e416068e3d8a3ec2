package dev.waterfall.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a test can send exactly the headers an attacker would
 * (a foreign {@code Host}, a cross-site {@code Origin}), which Java's HTTP clients refuse to set.
 */
final class RawHttp {

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** A response: status, headers (lower-case names, first value) and body. */
    record Response(int status, Map<String, String> headers, String body) {
    }

    /** Sends one request with {@code headers} (a {@code Host} of 127.0.0.1:PORT unless given) and reads the whole response. */
    Response send(String method, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            write(socket.getOutputStream(), method, path, headers, body);
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            Map<String, String> responseHeaders = headers(in);
            byte[] content;
            String length = responseHeaders.get("content-length");
            if ("chunked".equalsIgnoreCase(responseHeaders.get("transfer-encoding"))) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                byte[] chunk;
                while ((chunk = chunk(in)) != null) {
                    bytes.write(chunk);
                }
                content = bytes.toByteArray();
            } else {
                content = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
            }
            return new Response(Integer.parseInt(statusLine.split(" ")[1]), responseHeaders, new String(content, StandardCharsets.UTF_8));
        }
    }

    /** An open event stream: its status, and its messages' data lines as they come. */
    final class EventStream implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final int status;
        private final StringBuilder pending = new StringBuilder();
        /** Every byte of the stream so far, for scanning. */
        final StringBuilder everything = new StringBuilder();

        EventStream(Map<String, String> headers) throws IOException {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            write(socket.getOutputStream(), "GET", "/api/events", headers, null);
            in = socket.getInputStream();
            status = Integer.parseInt(line(in).split(" ")[1]);
            headers(in);
        }

        /** The data of the next message of type {@code event}, waiting up to the socket's timeout. */
        String next(String event) throws IOException {
            while (true) {
                int end = pending.indexOf("\n\n");
                if (end >= 0) {
                    String message = pending.substring(0, end);
                    pending.delete(0, end + 2);
                    List<String> data = new ArrayList<>();
                    boolean matches = false;
                    for (String messageLine : message.split("\n")) {
                        if (messageLine.equals("event: " + event)) {
                            matches = true;
                        } else if (messageLine.startsWith("data: ")) {
                            data.add(messageLine.substring(6));
                        }
                    }
                    if (matches) {
                        return String.join("\n", data);
                    }
                    continue;
                }
                byte[] chunk = chunk(in);
                if (chunk == null) {
                    throw new IOException("the event stream ended");
                }
                String text = new String(chunk, StandardCharsets.UTF_8);
                pending.append(text);
                everything.append(text);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    EventStream events(Map<String, String> headers) throws IOException {
        return new EventStream(headers);
    }

    private void write(OutputStream out, String method, String path, Map<String, String> headers, String body) throws IOException {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> all = new LinkedHashMap<>();
        all.put("Host", "127.0.0.1:" + port);
        all.putAll(headers);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        for (Map.Entry<String, String> header : all.entrySet()) {
            request.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        if (body != null) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("Connection: close\r\n\r\n");
        out.write(request.toString().getBytes(StandardCharsets.UTF_8));
        out.write(content);
        out.flush();
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while (!(line = line(in)).isEmpty()) {
            int colon = line.indexOf(':');
            headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        return headers;
    }

    /** The next chunk of a chunked body, or null at its end. */
    private static byte[] chunk(InputStream in) throws IOException {
        String size = line(in);
        if (size.isEmpty()) {
            size = line(in);
        }
        int length = Integer.parseInt(size.split(";")[0].strip(), 16);
        if (length == 0) {
            return null;
        }
        byte[] bytes = in.readNBytes(length);
        line(in);
        return bytes;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        if (b == -1 && bytes.size() == 0) {
            throw new IOException("the connection closed");
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
