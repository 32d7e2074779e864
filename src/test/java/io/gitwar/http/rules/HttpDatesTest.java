package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDatesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // header                          | instant (- = ignored)
        "Sun, 06 Nov 1994 08:49:37 GMT     | 1994-11-06T08:49:37Z",
        "Sunday, 06-Nov-94 08:49:37 GMT    | 1994-11-06T08:49:37Z",
        "Sun Nov  6 08:49:37 1994          | 1994-11-06T08:49:37Z",
        "Thu, 01 Jan 1970 00:00:00 GMT     | 1970-01-01T00:00:00Z",
        "Mon, 06 Nov 1994 08:49:37 GMT     | -",
        "06 Nov 1994 08:49:37 GMT          | -",
        "1994-11-06T08:49:37Z              | -",
        "1415926535                        | -",
        "-                                 | -",
    })
    void parses(String header, String expected) {
        assertEquals(expected == null ? null : Instant.parse(expected), HttpDates.parse(header).orElse(null), header);
    }

    @ParameterizedTest
    @CsvSource({
        // JGit's dumb servlet once sent seconds where milliseconds belonged (1970 dates): not here
        "2026-11-23T23:17:05.987Z, 'Mon, 23 Nov 2026 23:17:05 GMT'",
        "1994-11-06T08:49:37Z, 'Sun, 06 Nov 1994 08:49:37 GMT'",
    })
    void formatsImfFixdateInWholeSeconds(String instant, String header) {
        assertEquals(header, HttpDates.format(Instant.parse(instant)));
        assertEquals(Instant.parse(instant), HttpDates.parse(header).orElseThrow().plusNanos(Instant.parse(instant).getNano()));
    }
}
