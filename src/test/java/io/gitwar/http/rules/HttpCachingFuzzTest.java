package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.List;

/**
 * Fuzzes the HTTP caching parsers (Range, entity tags, HTTP dates) and the precondition evaluation
 * built on them with arbitrary header values: nothing throws; a partial answer always lies inside the
 * file; a parsed entity tag survives its own header form.
 */
class HttpCachingFuzzTest {

    private static final String[] METHODS = {"GET", "HEAD", "POST"};

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"bytes=", "-", ",", "W/\"", "\"", "*", "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "9223372036854775807"})
    void headersNeverBreakTheAnswer(FuzzedDataProvider data) {
        long length = data.consumeLong(0, 1L << 40);
        String range = data.consumeBoolean() ? null : data.consumeString(60);
        ByteRange parsed = ByteRange.parse(range, length);
        assertNotNull(parsed);
        if (parsed instanceof ByteRange.Part p) {
            assertTrue(0 <= p.first() && p.first() <= p.last() && p.last() < length, p + " of " + length);
        }

        String list = data.consumeString(80);
        List<EntityTag> tags = EntityTag.parseList(list);
        if (tags != null) {
            for (EntityTag t : tags) {
                if (t != EntityTag.ANY) {
                    assertEquals(t, EntityTag.parse(t.header()), t.header());
                }
            }
        }
        HttpDates.parse(data.consumeString(40));

        EntityTag current = new EntityTag("v" + data.consumeInt(0, 3), data.consumeBoolean());
        Instant modified = data.consumeBoolean() ? null : Instant.ofEpochSecond(data.consumeLong(0, 4_000_000_000L));
        Preconditions.Request request = new Preconditions.Request(data.pickValue(METHODS), header(data),
                header(data), header(data), header(data), header(data), data.consumeRemainingAsString());
        Preconditions.Outcome outcome = Preconditions.evaluate(request,
                new Preconditions.Validators(current, modified, length));
        assertNotNull(outcome);
        if (outcome instanceof Preconditions.Partial p) {
            assertTrue(0 <= p.range().first() && p.range().last() < length, p.toString());
        }
    }

    private static String header(FuzzedDataProvider data) {
        return data.consumeBoolean() ? null : data.consumeString(40);
    }
}
