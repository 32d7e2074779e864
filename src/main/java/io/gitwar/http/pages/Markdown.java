package io.gitwar.http.pages;

import io.gitwar.http.pages.Html.Safe;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.function.UnaryOperator;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * READMEs in Markdown, as CommonMark: raw HTML in the file is escaped (shown as text, never markup)
 * and link and image URLs other than http, https, mailto and data images are dropped (no
 * {@code javascript:}). Relative links ({@code docs/setup.md}) lead to that file's page in the
 * repository. Thread-safe (CommonMark's parser and renderer are).
 */
final class Markdown {

    private static final Parser PARSER = Parser.builder().build();

    private Markdown() {
    }

    /**
     * @param fileLink the page of a repository path (relative to the root), for relative links
     * @param directory the directory the Markdown file is in, relative to the root ({@code ""} for the root)
     */
    static Safe render(String markdown, UnaryOperator<String> fileLink, String directory) {
        HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true).sanitizeUrls(true)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    if (node instanceof Link link) {
                        String path = repositoryPath(link.getDestination(), directory);
                        if (path != null) {
                            attributes.put("href", fileLink.apply(path)); // escaped by the renderer
                        }
                    }
                }).build();
        return new Safe(renderer.render(PARSER.parse(markdown)));
    }

    /**
     * The repository path a relative link names ({@code ../b.md} from {@code docs} is {@code b.md}),
     * or null for anything else: a URL with a scheme, an absolute path, a fragment, a query, or a path
     * leaving the repository.
     */
    static String repositoryPath(String destination, String directory) {
        if (destination.isEmpty() || destination.startsWith("/") || destination.startsWith("#")
                || destination.startsWith("?")) {
            return null;
        }
        try {
            URI dest = new URI(destination);
            if (dest.isAbsolute() || dest.getRawAuthority() != null || dest.getPath() == null || dest.getPath().isEmpty()) {
                return null;
            }
            String resolved = new URI(null, null, "/" + (directory.isEmpty() ? "" : directory + "/"), null)
                    .resolve(new URI(null, null, dest.getPath(), null)).normalize().getPath();
            if (resolved.startsWith("/..") || resolved.equals("/")) {
                return null;
            }
            resolved = resolved.substring(1);
            return resolved.endsWith("/") ? resolved.substring(0, resolved.length() - 1) : resolved;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
