package io.gitwar.api;

import io.gitwar.failure.GitwarException;
import io.gitwar.http.ErrorResponses;
import io.gitwar.service.ClientMessages;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the API answers a failure: {@code {"error": "<one line>"}} with the status of gitwar's one
 * table of named failures ({@link ErrorResponses#status}); JAX-RS's own refusals (unknown path,
 * wrong method or media type, a body that is not the JSON expected) keep their status; anything
 * else is a fault of the server, logged and answered 500 without details.
 */
@Provider
public class ApiErrors implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ApiErrors.class.getName());

    /** What a failure looks like. */
    public record Error(String error) {
    }

    @Override
    public Response toResponse(Throwable thrown) {
        Throwable failure = named(thrown);
        if (failure instanceof GitwarException e) {
            int status = ErrorResponses.status(e);
            LOG.log(status >= 500 ? Level.WARNING : Level.FINE, () -> "API: " + status + " " + e.getMessage());
            Response.ResponseBuilder r = json(status, e.getMessage());
            if (status == 503 || status == 429) {
                r.header("Retry-After", ErrorResponses.RETRY_AFTER);
            }
            return r.build();
        }
        if (failure instanceof WebApplicationException e && e.getResponse().getStatus() < 500) {
            return json(e.getResponse().getStatus(), e.getMessage() == null ? e.getResponse().getStatusInfo()
                    .getReasonPhrase().toLowerCase() : e.getMessage()).build();
        }
        if (isBadJson(failure)) {
            return json(400, "the body is not the JSON expected: " + firstLine(failure)).build();
        }
        LOG.log(Level.SEVERE, "API request failed", failure);
        return json(500, ClientMessages.INTERNAL).build();
    }

    /** A named failure among {@code t}'s causes (JSON-B wraps what a stream throws), else {@code t}. */
    private static Throwable named(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GitwarException) {
                return c;
            }
        }
        return t;
    }

    private static boolean isBadJson(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof JsonbException || c instanceof jakarta.json.JsonException || c instanceof ProcessingException) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A JSON error response. */
    static Response.ResponseBuilder json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(new Error(message));
    }
}
