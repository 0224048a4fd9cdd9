package io.fleetcpu.system.internal;

import io.fleetcpu.system.RequestLimitProperties;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads every request body (POST, PUT, PATCH) whole before anything handles the request, without holding a
 * request thread while the client sends it: the body arrives through servlet non-blocking reads, and the request
 * is handed on (dispatched again, with the body in memory) once it is complete. A body larger than
 * {@code fleetcpu.request.max-body-size} gets 413, as soon as its declared length or the bytes sent pass the limit;
 * a body not complete within {@code fleetcpu.request.body-timeout} gets 408. Either way the connection is closed.
 *
 * <p>A 413 is sent whole at once, and then the rest of the body, up to {@code fleetcpu.request.refused-body-drain},
 * is still read and thrown away before the connection closes. A client that sends its whole body before reading
 * (most do, unless they ask {@code Expect: 100-continue}) would otherwise find the connection reset under its
 * unsent bytes and lose the answer with it. Runs after {@link ApiTokenFilter}, so a request without a credential
 * is refused before its body is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyLimitFilter.class);
    /** The request attribute that carries a body read whole into the request's second dispatch. */
    private static final String BODY = RequestBodyLimitFilter.class.getName() + ".body";

    private final long maxBytes;
    private final long drainBytes;
    private final long timeoutMillis;
    private final Problems problems;

    RequestBodyLimitFilter(RequestLimitProperties limits, Problems problems) {
        this.maxBytes = limits.maxBodySize().toBytes();
        this.drainBytes = limits.refusedBodyDrain().toBytes();
        this.timeoutMillis = limits.bodyTimeout().toMillis();
        this.problems = problems;
    }

    /** The second dispatch, with the body read, must come here to be handed on with it. */
    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC) {
            if (request.getAttribute(BODY) instanceof byte[] body) {
                request.removeAttribute(BODY);
                chain.doFilter(new BodyReadRequest(request, body), response);
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        long declared = request.getContentLengthLong();
        if (!request.isAsyncSupported()) {
            if (declared > maxBytes) {
                refuse(request, response, tooLarge());
            } else {
                chain.doFilter(request, response);
            }
            return;
        }
        if (declared <= maxBytes && (!hasBody(request) || declared == 0)) {
            chain.doFilter(request, response);
            return;
        }
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(timeoutMillis);
        BodyReader reader = new BodyReader(async, request, response, declared);
        if (declared > maxBytes) {
            reader.refuseAndDrain();
        }
        // Reading without blocking also lets the connection close at once when the reading ends early.
        reader.start();
        if (declared > drainBytes) {
            reader.close();
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        String method = request.getMethod();
        return "POST".equals(method) || "PUT".equals(method) || "PATCH".equals(method);
    }

    private ProblemDetail tooLarge() {
        return Problems.of(
                HttpStatus.CONTENT_TOO_LARGE,
                "Request body too large",
                "the request body is larger than the " + maxBytes + " bytes fleetcpu accepts");
    }

    private ProblemDetail tooSlow() {
        return Problems.of(
                HttpStatus.REQUEST_TIMEOUT,
                "Request body too slow",
                "the request body did not arrive whole within " + timeoutMillis + " ms; send it again");
    }

    /** Answers the request and says the connection closes after it; the answer is sent whole at once. */
    private void refuse(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        response.setHeader("Connection", "close");
        problems.write(request, response, problem);
        response.flushBuffer();
    }

    /** Where one body's reading stands. */
    private enum Reading {
        /** Keeping the bytes, to hand them on. */
        KEEPING,
        /** Refused (413) and answered: reading the rest only to throw it away. */
        DRAINING,
        /** Handed on, refused and closed, or failed: nothing more to read. */
        DONE
    }

    /**
     * Collects one body through non-blocking reads, then dispatches the request again, or refuses it and reads
     * the rest of the body away before the connection closes.
     */
    private final class BodyReader implements ReadListener, AsyncListener {

        private final AsyncContext async;
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final ByteArrayOutputStream body;
        private final byte[] chunk = new byte[8192];
        /** Changed by the container's read callbacks and by the deadline, which may come on another thread. */
        private final AtomicReference<Reading> reading = new AtomicReference<>(Reading.KEEPING);
        /** Bytes read and thrown away since the refusal. */
        private long drained;
        /** Set by {@link #start()}, before the container calls any listener method. */
        private @Nullable ServletInputStream in;

        BodyReader(AsyncContext async, HttpServletRequest request, HttpServletResponse response, long declared) {
            this.async = async;
            this.request = request;
            this.response = response;
            // Grows as bytes arrive: a declared length costs nothing until the bytes are sent.
            this.body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 8192), 64 * 1024));
        }

        void start() throws IOException {
            async.addListener(this);
            in = request.getInputStream();
            in.setReadListener(this);
        }

        @Override
        public void onDataAvailable() throws IOException {
            ServletInputStream in = Objects.requireNonNull(this.in, "start() sets it before the container calls back");
            while (reading.get() != Reading.DONE && in.isReady()) {
                int read = in.read(chunk);
                if (read < 0) {
                    return;
                }
                if (reading.get() == Reading.DRAINING) {
                    drained += read;
                    if (drained > drainBytes) {
                        close();
                    }
                    continue;
                }
                body.write(chunk, 0, read);
                if (body.size() > maxBytes) {
                    refuseAndDrain();
                }
            }
        }

        /** Sends the 413 whole now, and reads what the client still sends until it ends or passes the drain. */
        void refuseAndDrain() throws IOException {
            if (reading.compareAndSet(Reading.KEEPING, Reading.DRAINING)) {
                body.reset();
                try {
                    refuse(request, response, tooLarge());
                } catch (IOException | RuntimeException e) {
                    close();
                    throw e;
                }
            }
        }

        @Override
        public void onAllDataRead() {
            if (reading.compareAndSet(Reading.KEEPING, Reading.DONE)) {
                request.setAttribute(BODY, body.toByteArray());
                async.dispatch();
            } else {
                close();
            }
        }

        @Override
        public void onError(Throwable failure) {
            log.debug(
                    "reading a request body of {} {} failed: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    failure.toString());
            close();
        }

        @Override
        public void onTimeout(AsyncEvent event) throws IOException {
            if (reading.compareAndSet(Reading.KEEPING, Reading.DONE)) {
                try {
                    refuse(request, response, tooSlow());
                } finally {
                    async.complete();
                }
            } else {
                close();
            }
        }

        /** Ends the request as it stands; the connection closes (every refusal says so). */
        void close() {
            if (reading.getAndSet(Reading.DONE) != Reading.DONE) {
                async.complete();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {}

        @Override
        public void onError(AsyncEvent event) {
            onError(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    /** The request as its handlers see it: the body comes from memory, and it is the request's own dispatch. */
    private static final class BodyReadRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        BodyReadRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        /** Filters after this one run as on any request (Spring's filters skip a second dispatch). */
        @Override
        public DispatcherType getDispatcherType() {
            return DispatcherType.REQUEST;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public java.io.BufferedReader getReader() throws java.io.UnsupportedEncodingException {
            String encoding = getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(
                    new ByteArrayInputStream(body),
                    encoding == null
                            ? java.nio.charset.StandardCharsets.UTF_8
                            : java.nio.charset.Charset.forName(encoding)));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is in memory: read it directly");
                }
            };
        }
    }
}
