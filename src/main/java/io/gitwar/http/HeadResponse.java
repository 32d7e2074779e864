package io.gitwar.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The response to a HEAD request: handlers answer it as a GET (same status, headers and
 * Content-Length) and the body they write is dropped.
 */
final class HeadResponse extends HttpServletResponseWrapper {

    private final ServletOutputStream sink = new ServletOutputStream() {
        @Override
        public void write(int b) {
            // HEAD: no body
        }

        @Override
        public void write(byte[] b, int off, int len) {
            // HEAD: no body
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("blocking I/O only");
        }
    };

    HeadResponse(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return sink;
    }

    @Override
    public PrintWriter getWriter() {
        return new PrintWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8));
    }
}
