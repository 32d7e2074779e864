package io.gitwar.http.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MarkdownTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // destination          | directory | repository path
        "docs/setup.md          | ''        | docs/setup.md",
        "./a.md                 | ''        | a.md",
        "../b.md                | docs      | b.md",
        "sub/                   | docs      | docs/sub",
        "a%20b.md               | ''        | a b.md",
        "c.md#part              | ''        | c.md",
        "../../x                | docs      | -",
        "..                     | ''        | -",
        "https://example.com/x  | ''        | -",
        "javascript:alert(1)    | ''        | -",
        "//evil.example/x       | ''        | -",
        "/abs                   | ''        | -",
        "#top                   | ''        | -",
        "mailto:a@b             | ''        | -",
    })
    void relativeLinksNameRepositoryPaths(String destination, String directory, String path) {
        assertEquals(path, Markdown.repositoryPath(destination, directory));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[x](javascript:alert(1))                | href=\"\">x</a>",
        "<script>alert(1)</script>               | &lt;script&gt;alert(1)&lt;/script&gt;",
        "[x](docs/a&b.md)                        | href=\"/git/a.git/~/blob/main/docs/a%26b.md\">x</a>",
        "<b onclick=\"alert(1)\">x</b>           | &lt;b onclick=&quot;alert(1)&quot;&gt;x&lt;/b&gt;",
    })
    void rendersSafely(String markdown, String expected) {
        Links links = new Links("/git");
        String html = Markdown.render(markdown, p -> links.blob("a", "main", p), "").html();
        assertTrue(html.contains(expected), html);
        assertEquals(List.of(), InertHtml.activeParts(html), html);
    }
}
