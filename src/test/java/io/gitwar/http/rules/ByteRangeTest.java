package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // Range header            | file length | expected (whole, 416, or first-last)
        "-                         | 1000 | whole",
        "bytes=0-99                | 1000 | 0-99",
        "bytes=100-199             | 1000 | 100-199",
        "bytes=100-                | 1000 | 100-999",
        "bytes=-100                | 1000 | 900-999",
        "bytes=-5000               | 1000 | 0-999",
        "bytes=990-5000            | 1000 | 990-999",
        "bytes=999-999             | 1000 | 999-999",
        "bytes=1000-               | 1000 | 416",
        "bytes=1000-1001           | 1000 | 416",
        "bytes=-0                  | 1000 | 416",
        "bytes=0-                  | 0    | 416",
        "bytes=-1                  | 0    | 416",
        " Bytes = 5 - 9            | 1000 | 5-9",
        "bytes=9-5                 | 1000 | whole",
        "bytes=0-1,5-6             | 1000 | whole",
        "bytes=abc-                | 1000 | whole",
        "bytes=+5-                 | 1000 | whole",
        "bytes=5                   | 1000 | whole",
        "items=0-5                 | 1000 | whole",
        "bytes=99999999999999999999- | 1000 | 416",
    })
    void parses(String header, long length, String expected) {
        ByteRange r = ByteRange.parse(header, length);
        String actual = r instanceof ByteRange.Part p ? p.first() + "-" + p.last()
                : r instanceof ByteRange.Unsatisfiable ? "416" : "whole";
        assertEquals(expected, actual, header);
    }

    @ParameterizedTest
    @CsvSource({"0, 99, 1000, bytes 0-99/1000, 100", "900, 999, 1000, bytes 900-999/1000, 100"})
    void describesItself(long first, long last, long complete, String contentRange, long length) {
        ByteRange.Part p = new ByteRange.Part(first, last);
        assertEquals(contentRange, p.contentRange(complete));
        assertEquals(length, p.length());
        assertEquals("bytes */1000", ByteRange.Unsatisfiable.contentRange(1000));
    }
}
