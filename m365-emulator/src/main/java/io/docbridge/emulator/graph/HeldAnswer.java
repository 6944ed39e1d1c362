package io.docbridge.emulator.graph;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An answer kept in memory and sent only after a delay (the late-answer fault): the work is done at once, as
 * Microsoft 365 would do it, and the client hears of it too late. Only for small JSON answers.
 */
final class HeldAnswer extends HttpServletResponseWrapper {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final ServletOutputStream out = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException("a held answer is written blocking");
        }

        @Override
        public void write(int b) {
            body.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            body.write(b, off, len);
        }
    };

    HeldAnswer(HttpServletResponse response) {
        super(response);
    }

    @Override
    public ServletOutputStream getOutputStream() {
        return out;
    }

    @Override
    public PrintWriter getWriter() {
        return new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    }

    @Override
    public void setContentLength(int length) {
        // set from what was written, when it is sent
    }

    @Override
    public void setContentLengthLong(long length) {
        // set from what was written, when it is sent
    }

    @Override
    public void flushBuffer() {
        // nothing leaves before the delay
    }

    void sendAfter(Duration delay) throws IOException {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        HttpServletResponse real = (HttpServletResponse) getResponse();
        real.setContentLength(body.size());
        body.writeTo(real.getOutputStream());
    }
}
