package io.gitwar.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gitwar.http.pages.Html.Safe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HtmlTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // text                                   | escaped
        "<script>alert(1)</script>                | &lt;script&gt;alert(1)&lt;/script&gt;",
        "<img src=x onerror=alert(1)>.txt         | &lt;img src=x onerror=alert(1)&gt;.txt",
        "a & b                                    | a &amp; b",
        "&amp;                                    | &amp;amp;",
        "\" onmouseover=\"alert(1)                | &quot; onmouseover=&quot;alert(1)",
        "' onfocus='alert(1)                      | &#39; onfocus=&#39;alert(1)",
        "javascript:alert(1)                      | javascript:alert(1)",
        "plain text, ünïcödé ✓                    | plain text, ünïcödé ✓",
    })
    void escapesEverythingThatCouldEndTextOrAnAttribute(String text, String escaped) {
        assertEquals(escaped, Html.escape(text));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "<script>x</script>    | <a href=\"&lt;script&gt;x&lt;/script&gt;\">&lt;script&gt;x&lt;/script&gt;</a>",
        "\"><b>                | <a href=\"&quot;&gt;&lt;b&gt;\">&quot;&gt;&lt;b&gt;</a>",
        "100% & more %s        | <a href=\"100% &amp; more %s\">100% &amp; more %s</a>",
    })
    void templatesEscapeEveryValueInContentAndAttributes(String value, String expected) {
        assertEquals(expected, Html.html("<a href=\"%s\">%s</a>", value, value).html());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"<b>bold</b>", "<i>&amp;</i>"})
    void safeMarkupIsInsertedAsIs(String markup) {
        assertEquals("<p>" + markup + "</p>", Html.html("<p>%s</p>", new Safe(markup)).html());
    }
}
