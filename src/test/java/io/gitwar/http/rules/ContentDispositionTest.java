package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentDispositionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "data.bin                  | attachment; filename=\"data.bin\"; filename*=UTF-8''data.bin",
        "a b.txt                   | attachment; filename=\"a b.txt\"; filename*=UTF-8''a%20b.txt",
        "q\"uote\\s.txt            | attachment; filename=\"q_uote_s.txt\"; filename*=UTF-8''q%22uote%5Cs.txt",
        "x; filename=evil.exe      | attachment; filename=\"x; filename=evil.exe\"; filename*=UTF-8''x%3B%20filename%3Devil.exe",
        "ünï.txt                   | attachment; filename=\"_n_.txt\"; filename*=UTF-8''%C3%BCn%C3%AF.txt",
        "<img src=x>.txt           | attachment; filename=\"<img src=x>.txt\"; filename*=UTF-8''%3Cimg%20src%3Dx%3E.txt",
    })
    void namesTheFileWithoutBreakingTheHeader(String name, String header) {
        assertEquals(header, ContentDisposition.attachment(name));
    }

    @ParameterizedTest
    @CsvSource({"'a\r\nSet-Cookie: x=1'"})
    void lineBreaksNeverReachTheHeader(String name) {
        String h = ContentDisposition.attachment(name);
        assertEquals(-1, h.indexOf('\r'));
        assertEquals(-1, h.indexOf('\n'));
    }
}
