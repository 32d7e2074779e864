package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcceptHeaderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // Accept                                                                   | a page?
        "-                                                                          | false",
        "''                                                                         | false",
        // git's and JGit's clients
        "*/*                                                                        | false",
        "application/x-git-upload-pack-result                                       | false",
        "application/x-git-receive-pack-result, */*                                 | false",
        "text/*                                                                     | false",
        "text/plain                                                                 | false",
        "application/xhtml+xml                                                      | false",
        // browsers navigating (Chromium, Firefox)
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8 | true",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8            | true",
        "text/html                                                                  | true",
        "TEXT/HTML                                                                  | true",
        "  text/html ; charset=utf-8                                                | true",
        "text/html;q=1                                                              | true",
        "text/html;q=0.001                                                          | true",
        "text/html; level=1; q=0.5                                                  | true",
        // refused or doubtful
        "text/html;q=0                                                              | false",
        "text/html;q=0.000                                                          | false",
        "text/html;Q=0                                                              | false",
        "text/html;q=2                                                              | false",
        "text/html;q=abc                                                            | false",
        "text/html;q=0.0001                                                         | false",
        "text/htmlx                                                                 | false",
        "xtext/html                                                                 | false",
        "text/html;q=0, */*                                                         | false",
        "text/html;q=0, text/html                                                   | true",
    })
    void namesHtmlOnlyExplicitly(String accept, boolean html) {
        assertEquals(html, AcceptHeader.wantsHtml(accept), accept);
    }
}
