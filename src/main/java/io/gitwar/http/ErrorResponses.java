package io.gitwar.http;

import io.gitwar.failure.BadRequest;
import io.gitwar.failure.ClientFailure;
import io.gitwar.failure.Conflict;
import io.gitwar.failure.GitwarException;
import io.gitwar.failure.InsufficientStorage;
import io.gitwar.failure.InvalidRepositoryName;
import io.gitwar.failure.LimitExceeded;
import io.gitwar.failure.NotFound;
import io.gitwar.failure.RepositoryBusy;
import io.gitwar.failure.RepositoryDamaged;
import io.gitwar.failure.RepositoryNotFound;
import io.gitwar.failure.RequestTimeout;
import io.gitwar.failure.ServiceDisabled;
import io.gitwar.failure.TooManyRequests;
import io.gitwar.failure.Unprocessable;
import io.gitwar.failure.UnsupportedMediaType;
import io.gitwar.service.ClientMessages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become HTTP responses: a status and a one-line plain-text reason.
 * Clients never see stack traces or internals; unexpected failures are logged here with the
 * request, and answered 500.
 */
public final class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    /** RFC 4918's "Insufficient Storage"; the servlet API has no constant for it. */
    private static final int SC_INSUFFICIENT_STORAGE = 507;

    /** RFC 9110's "Unprocessable Content"; the servlet API has no constant for it. */
    private static final int SC_UNPROCESSABLE = 422;

    /** RFC 6585; the servlet API has no constant for it. */
    static final int SC_TOO_MANY_REQUESTS = 429;

    /** What a client is asked to wait before it tries again after a 429 or 503 (seconds). */
    public static final String RETRY_AFTER = "5";

    /** The status of each named failure: the whole sealed family (a test checks it is complete). */
    static final Map<Class<? extends GitwarException>, Integer> STATUS = Map.ofEntries(
            Map.entry(InvalidRepositoryName.class, HttpServletResponse.SC_BAD_REQUEST),
            Map.entry(BadRequest.class, HttpServletResponse.SC_BAD_REQUEST),
            Map.entry(ClientFailure.class, HttpServletResponse.SC_BAD_REQUEST),
            Map.entry(RepositoryNotFound.class, HttpServletResponse.SC_NOT_FOUND),
            Map.entry(NotFound.class, HttpServletResponse.SC_NOT_FOUND),
            Map.entry(Conflict.class, HttpServletResponse.SC_CONFLICT),
            Map.entry(Unprocessable.class, SC_UNPROCESSABLE),
            Map.entry(ServiceDisabled.class, HttpServletResponse.SC_FORBIDDEN),
            Map.entry(RequestTimeout.class, HttpServletResponse.SC_REQUEST_TIMEOUT),
            Map.entry(LimitExceeded.class, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE),
            Map.entry(UnsupportedMediaType.class, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE),
            Map.entry(RepositoryBusy.class, HttpServletResponse.SC_SERVICE_UNAVAILABLE),
            Map.entry(TooManyRequests.class, SC_TOO_MANY_REQUESTS),
            Map.entry(RepositoryDamaged.class, HttpServletResponse.SC_INTERNAL_SERVER_ERROR),
            Map.entry(InsufficientStorage.class, SC_INSUFFICIENT_STORAGE));

    /** The status a named failure maps to (also for gitwar's own API, which renders it as JSON). */
    public static int status(GitwarException e) {
        return STATUS.getOrDefault(e.getClass(), HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
    }

    /** Answers {@code failure}, or only logs it when the response has already begun. */
    static void render(Throwable failure, HttpServletRequest request, HttpServletResponse response) {
        render(failure, request, response, false);
    }

    /** Answers {@code failure} to a browser that asked for a page: the same status and reason, as HTML. */
    static void renderPage(Throwable failure, HttpServletRequest request, HttpServletResponse response) {
        render(failure, request, response, true);
    }

    private static void render(Throwable failure, HttpServletRequest request, HttpServletResponse response,
            boolean page) {
        int status;
        String message;
        if (failure instanceof GitwarException e) {
            status = status(e);
            message = e.getMessage();
            // one line with the repository (in the path) and the request; no stack: the reason is known.
            // A damaged repository was logged once, with why, when it was found: not on every request.
            LOG.log(e instanceof RepositoryNotFound || e instanceof RepositoryDamaged ? Level.FINE
                    : status >= 500 ? Level.WARNING : Level.INFO,
                    () -> describe(request) + ": " + status + " " + e.getMessage());
        } else {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
            message = ClientMessages.INTERNAL;
            LOG.log(Level.SEVERE, describe(request) + " failed", failure);
        }
        if (page) {
            PageHandlers.sendError(request, response, status, message);
            return;
        }
        // a body the handler did not read to its end must not be taken for the next request
        String connection = "POST".equals(request.getMethod()) ? "close" : null;
        if (status == HttpServletResponse.SC_SERVICE_UNAVAILABLE || status == SC_TOO_MANY_REQUESTS) {
            send(response, status, message, "Retry-After", RETRY_AFTER, "Connection", connection);
        } else {
            send(response, status, message, "Connection", connection);
        }
    }

    /**
     * Answers {@code status} with a plain-text {@code message} and the given header name/value pairs
     * (a null value sets no header), unless the response has begun.
     */
    static void send(HttpServletResponse response, int status, String message, String... headers) {
        if (response.isCommitted()) {
            return; // the client got part of a response; the connection's end tells it the rest failed
        }
        try {
            response.reset();
            response.setStatus(status);
            response.setContentType("text/plain; charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            for (int i = 0; i + 1 < headers.length; i += 2) {
                if (headers[i + 1] != null) {
                    response.setHeader(headers[i], headers[i + 1]);
                }
            }
            byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException e) {
            LOG.log(Level.FINE, "could not send error " + status, e);
        }
    }

    private static String describe(HttpServletRequest r) {
        String q = r.getQueryString();
        return r.getMethod() + " " + r.getRequestURI() + (q == null ? "" : "?" + q);
    }
}
