package io.gitwar.http.rules;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Conditional and range requests (RFC 9110 §13.2.2), as a pure function of the request's headers and
 * the representation's validators. The order is the RFC's: If-Match, If-Unmodified-Since,
 * If-None-Match, If-Modified-Since, then Range guarded by If-Range.
 */
public final class Preconditions {

    private Preconditions() {
    }

    /** The request headers that matter here (null when absent). */
    public record Request(String method, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, String range, String ifRange) {
    }

    /**
     * What the response carries.
     *
     * @param etag the current strong or weak tag (required)
     * @param lastModified when it last changed, or null for generated content without such a date
     * @param length its length in bytes, or -1 when ranges are not offered
     */
    public record Validators(EntityTag etag, Instant lastModified, long length) {
    }

    /** The answer to send. */
    public sealed interface Outcome {
    }

    /** 200 with the whole representation. */
    public record Full() implements Outcome {
    }

    /** 304, headers only. */
    public record NotModified() implements Outcome {
    }

    /** 412, a write precondition failed. */
    public record PreconditionFailed() implements Outcome {
    }

    /** 206 with one range. */
    public record Partial(ByteRange.Part range) implements Outcome {
    }

    /** 416 with {@code Content-Range: bytes *}{@code /length}. */
    public record RangeNotSatisfiable() implements Outcome {
    }

    public static Outcome evaluate(Request r, Validators v) {
        boolean getOrHead = "GET".equals(r.method()) || "HEAD".equals(r.method());
        Instant modified = v.lastModified() == null ? null : HttpDates.seconds(v.lastModified());

        List<EntityTag> ifMatch = EntityTag.parseList(r.ifMatch());
        if (ifMatch != null) {
            if (!matchesAny(ifMatch, v.etag(), true)) {
                return new PreconditionFailed();
            }
        } else if (modified != null) {
            Optional<Instant> ius = HttpDates.parse(r.ifUnmodifiedSince());
            if (ius.isPresent() && modified.isAfter(ius.get())) {
                return new PreconditionFailed();
            }
        }

        List<EntityTag> ifNoneMatch = EntityTag.parseList(r.ifNoneMatch());
        if (ifNoneMatch != null) {
            if (matchesAny(ifNoneMatch, v.etag(), false)) {
                return getOrHead ? new NotModified() : new PreconditionFailed();
            }
        } else if (getOrHead && modified != null) {
            Optional<Instant> ims = HttpDates.parse(r.ifModifiedSince());
            if (ims.isPresent() && !modified.isAfter(ims.get())) {
                return new NotModified();
            }
        }

        if (!"GET".equals(r.method()) || r.range() == null || v.length() < 0 || !ifRangeHolds(r.ifRange(), v, modified)) {
            return new Full();
        }
        ByteRange range = ByteRange.parse(r.range(), v.length());
        if (range instanceof ByteRange.Part part) {
            return new Partial(part);
        }
        return range instanceof ByteRange.Unsatisfiable ? new RangeNotSatisfiable() : new Full();
    }

    private static boolean matchesAny(List<EntityTag> tags, EntityTag current, boolean strong) {
        for (EntityTag t : tags) {
            if (t == EntityTag.ANY || (strong ? t.strongMatch(current) : t.weakMatch(current))) {
                return true;
            }
        }
        return false;
    }

    /**
     * If-Range: the range applies only if the client's copy is the current one, by strong entity tag
     * or by an exactly equal Last-Modified date; otherwise the client gets the whole new file.
     */
    private static boolean ifRangeHolds(String ifRange, Validators v, Instant modified) {
        if (ifRange == null) {
            return true;
        }
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            EntityTag tag = EntityTag.parse(value);
            return tag != null && tag.strongMatch(v.etag());
        }
        Optional<Instant> date = HttpDates.parse(value);
        return date.isPresent() && modified != null && date.get().equals(modified);
    }
}
