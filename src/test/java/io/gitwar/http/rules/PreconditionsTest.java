package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PreconditionsTest {

    /** The representation every row is evaluated against: 1000 bytes, modified at 08:49:37.5. */
    private static final Preconditions.Validators FILE = new Preconditions.Validators(
            EntityTag.strong("abc"), Instant.parse("1994-11-06T08:49:37.500Z"), 1000);
    private static final String AT = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";
    private static final String AFTER = "Sun, 06 Nov 1994 08:49:38 GMT";

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // method| If-Match  | If-Unmodified-Since | If-None-Match      | If-Modified-Since | Range          | If-Range   | outcome
        "GET     | -         | -                   | -                  | -                 | -              | -          | 200",
        "GET     | -         | -                   | \"abc\"            | -                 | -              | -          | 304",
        "HEAD    | -         | -                   | \"abc\"            | -                 | -              | -          | 304",
        "GET     | -         | -                   | W/\"abc\"          | -                 | -              | -          | 304",
        "GET     | -         | -                   | \"x\", \"abc\"     | -                 | -              | -          | 304",
        "GET     | -         | -                   | *                  | -                 | -              | -          | 304",
        "GET     | -         | -                   | \"x\"              | -                 | -              | -          | 200",
        "GET     | -         | -                   | garbage            | -                 | -              | -          | 200",
        // If-Modified-Since in whole seconds: the file's .5 s does not make it newer than AT
        "GET     | -         | -                   | -                  | " + AT + "        | -              | -          | 304",
        "GET     | -         | -                   | -                  | " + AFTER + "     | -              | -          | 304",
        "GET     | -         | -                   | -                  | " + BEFORE + "    | -              | -          | 200",
        "GET     | -         | -                   | -                  | not a date        | -              | -          | 200",
        // If-None-Match wins over If-Modified-Since
        "GET     | -         | -                   | \"x\"              | " + AFTER + "     | -              | -          | 200",
        // If-Match / If-Unmodified-Since
        "GET     | \"abc\"   | -                   | -                  | -                 | -              | -          | 200",
        "GET     | W/\"abc\" | -                   | -                  | -                 | -              | -          | 412",
        "GET     | \"x\"     | -                   | -                  | -                 | -              | -          | 412",
        "GET     | *         | -                   | -                  | -                 | -              | -          | 200",
        "GET     | -         | " + BEFORE + "      | -                  | -                 | -              | -          | 412",
        "GET     | -         | " + AT + "          | -                  | -                 | -              | -          | 200",
        // ranges
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | -          | 206 100-199",
        "GET     | -         | -                   | -                  | -                 | bytes=500-     | -          | 206 500-999",
        "GET     | -         | -                   | -                  | -                 | bytes=-10      | -          | 206 990-999",
        "GET     | -         | -                   | -                  | -                 | bytes=1000-    | -          | 416",
        "GET     | -         | -                   | -                  | -                 | bytes=0-1,3-4  | -          | 200",
        "HEAD    | -         | -                   | -                  | -                 | bytes=100-199  | -          | 200",
        "GET     | -         | -                   | \"abc\"            | -                 | bytes=100-199  | -          | 304",
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | \"abc\"    | 206 100-199",
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | W/\"abc\"  | 200",
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | \"old\"    | 200",
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | " + AT + " | 206 100-199",
        "GET     | -         | -                   | -                  | -                 | bytes=100-199  | " + BEFORE + " | 200",
        "GET     | -         | -                   | -                  | -                 | bytes=1000-    | \"old\"    | 200",
        "POST    | -         | -                   | \"abc\"            | -                 | -              | -          | 412",
    })
    void evaluatesInRfc9110Order(String method, String ifMatch, String ifUnmodifiedSince, String ifNoneMatch,
            String ifModifiedSince, String range, String ifRange, String expected) {
        Preconditions.Outcome o = Preconditions.evaluate(new Preconditions.Request(method, ifMatch, ifUnmodifiedSince,
                ifNoneMatch, ifModifiedSince, range, ifRange), FILE);
        assertEquals(expected, describe(o));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // generated content: no Last-Modified, no ranges
        "-                           | bytes=0-5 | 200",
        "\"abc\"                     | -         | 304",
    })
    void generatedContentHasNoDatesNorRanges(String ifNoneMatch, String range, String expected) {
        Preconditions.Validators text = new Preconditions.Validators(EntityTag.strong("abc"), null, -1);
        Preconditions.Outcome o = Preconditions.evaluate(new Preconditions.Request("GET", null, null, ifNoneMatch,
                AFTER, range, null), text);
        assertEquals(expected, describe(o));
    }

    private static String describe(Preconditions.Outcome o) {
        if (o instanceof Preconditions.Partial p) {
            return "206 " + p.range().first() + "-" + p.range().last();
        }
        if (o instanceof Preconditions.NotModified) {
            return "304";
        }
        if (o instanceof Preconditions.PreconditionFailed) {
            return "412";
        }
        return o instanceof Preconditions.RangeNotSatisfiable ? "416" : "200";
    }
}
