package io.gitwar.http.pages;

import io.gitwar.http.pages.Html.Safe;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * READMEs in Markdown, as CommonMark: raw HTML in the file is escaped (shown as text, never markup)
 * and link and image URLs other than http, https, mailto and data images are dropped (no
 * {@code javascript:}). Thread-safe (CommonMark's parser and renderer are).
 */
final class Markdown {

    private static final Parser PARSER = Parser.builder().build();
    private static final HtmlRenderer RENDERER = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true).build();

    private Markdown() {
    }

    static Safe render(String markdown) {
        return new Safe(RENDERER.render(PARSER.parse(markdown)));
    }
}
