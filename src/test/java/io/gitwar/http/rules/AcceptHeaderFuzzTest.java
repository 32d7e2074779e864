package io.gitwar.http.rules;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Locale;

/** Fuzzes the Accept decision: nothing throws, and only a header naming text/html gets a page. */
class AcceptHeaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    @DictionaryEntries({"text/html", "*/*", ";q=", ",", "0.", "1.000"})
    void onlyHeadersNamingHtmlGetPages(FuzzedDataProvider data) {
        String accept = data.consumeRemainingAsString();
        if (AcceptHeader.wantsHtml(accept) && !accept.toLowerCase(Locale.ROOT).contains("text/html")) {
            throw new AssertionError("a page for " + accept);
        }
    }
}
