package io.gitwar.http;

import io.gitwar.config.Version;
import io.gitwar.failure.BadRequest;
import io.gitwar.http.pages.ErrorPage;
import io.gitwar.http.pages.FilePages;
import io.gitwar.http.pages.HomePage;
import io.gitwar.http.pages.Layout;
import io.gitwar.http.pages.Links;
import io.gitwar.http.pages.ListingPage;
import io.gitwar.http.pages.PagePath;
import io.gitwar.http.rules.ContentDisposition;
import io.gitwar.service.ActorRegistry;
import io.gitwar.service.Lease;
import io.gitwar.service.RepositoryName;
import io.gitwar.service.admin.Repositories;
import io.gitwar.service.admin.RepositoryFacts;
import io.gitwar.service.admin.RepositoryPage;
import io.gitwar.service.browse.Browser;
import io.gitwar.service.browse.Location;
import io.gitwar.service.browse.RawFile;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Answers the pages for people ({@link PagePath}) that {@link GitFilter} routed here: reads through
 * the browse service and the listing of the API, renders with {@code io.gitwar.http.pages}, and
 * sends with the pages' headers. A repository's pages carry an ETag made from its refs (and the
 * page's parameters), checked before anything else is read, so revalidating costs a ref read.
 */
@ApplicationScoped
class PageHandlers {

    /** Repositories on one page of the listing: each is opened to describe it (about 1 ms each). */
    static final int LISTING_PAGE_SIZE = 50;
    /** The longest search or cursor taken: no repository name is longer. */
    static final int MAX_QUERY_CHARS = RepositoryName.MAX_LENGTH;

    @Inject
    ActorRegistry registry;

    @Inject
    Repositories repositories;

    @Inject
    Browser browser;

    void handle(HttpServletRequest request, HttpServletResponse response, PagePath page) throws IOException {
        Links links = new Links(request.getContextPath());
        if (page instanceof PagePath.Listing) {
            listing(request, response, links);
        } else if (page instanceof PagePath.Home h) {
            home(request, response, links, RepositoryName.parse(h.repository()));
        } else if (page instanceof PagePath.View v) {
            view(request, response, links, RepositoryName.parse(v.repository()), v);
        } else {
            sendError(request, response, HttpServletResponse.SC_NOT_FOUND, "not found");
        }
    }

    private void listing(HttpServletRequest request, HttpServletResponse response, Links links) throws IOException {
        String q = bounded(GitFilter.queryParameter(request, "q"), "q");
        String after = bounded(GitFilter.queryParameter(request, "after"), "after");
        q = q == null ? "" : q.strip();
        after = after == null || after.isEmpty() ? null : after;
        RepositoryPage page = q.isEmpty() ? repositories.list(null, after, LISTING_PAGE_SIZE)
                : repositories.search(q, after, LISTING_PAGE_SIZE);
        // each repository was read anyway: the ETag is the page's own digest
        byte[] body = HttpCaching.utf8(ListingPage.render(links, q, after, page));
        pageHeaders(response);
        HttpCaching.sendMutable(request, response, Layout.CONTENT_TYPE, body);
    }

    private void home(HttpServletRequest request, HttpServletResponse response, Links links, RepositoryName name)
            throws IOException {
        try (Lease lease = registry.lease(name)) {
            RepositoryFacts facts = repositories.describe(lease);
            String etag = etag(lease, "home", String.valueOf(facts.sizeBytes()), String.valueOf(facts.lastPushAt()),
                    String.valueOf(facts.readOnly()));
            if (notModified(request, response, etag)) {
                return;
            }
            String html = HomePage.render(links, name.value(), cloneUrl(request, name), facts, browser.overview(lease));
            send(response, html);
        }
    }

    private void view(HttpServletRequest request, HttpServletResponse response, Links links, RepositoryName name,
            PagePath.View v) throws IOException {
        try (Lease lease = registry.lease(name)) {
            String etag = etag(lease, v.kind().name(), v.encoded());
            if (notModified(request, response, etag)) {
                return;
            }
            Location at = browser.locate(lease, v.refAndPath());
            switch (v.kind()) {
                case TREE -> send(response, FilePages.tree(links, name.value(), browser.directory(lease, at)));
                case BLOB -> send(response, FilePages.file(links, name.value(), browser.file(lease, at)));
                case RAW -> raw(request, response, lease, at);
            }
        }
    }

    /** The file's bytes as a download, streamed: never rendered by the browser, whatever they hold. */
    private void raw(HttpServletRequest request, HttpServletResponse response, Lease lease, Location at)
            throws IOException {
        try (RawFile file = browser.raw(lease, at)) {
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Content-Security-Policy", Layout.RAW_CONTENT_SECURITY_POLICY);
            response.setHeader("Content-Disposition", ContentDisposition.attachment(file.name()));
            response.setContentType("application/octet-stream");
            response.setContentLengthLong(file.size());
            if ("HEAD".equals(request.getMethod())) {
                return;
            }
            OutputStream out = response.getOutputStream();
            try (InputStream in = file.open()) {
                in.transferTo(out);
            }
        }
    }

    /** A failure as a page: the status and reason Git clients would get, in HTML. */
    static void sendError(HttpServletRequest request, HttpServletResponse response, int status, String message) {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(status);
        pageHeaders(response);
        response.setHeader("Cache-Control", "no-cache");
        byte[] body = HttpCaching.utf8(ErrorPage.render(new Links(request.getContextPath()), status, message));
        response.setContentType(Layout.CONTENT_TYPE);
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException gone) {
            // the browser left; nothing more to tell it
        }
    }

    private static void send(HttpServletResponse response, String html) throws IOException {
        byte[] body = HttpCaching.utf8(html);
        response.setContentType(Layout.CONTENT_TYPE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Headers of every page: no script, no sniffing, referrers kept in the site. */
    private static void pageHeaders(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", Layout.CONTENT_SECURITY_POLICY);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", Layout.REFERRER_POLICY);
        response.setHeader("Vary", "Accept"); // the same URL answers Git clients differently
    }

    /**
     * Sets the page headers, no-cache and the ETag; answers 304 if the browser has this version.
     * The tag covers the refs, the page's parameters and gitwar's version (a new gitwar renders anew).
     */
    private static boolean notModified(HttpServletRequest request, HttpServletResponse response, String etag) {
        pageHeaders(response);
        return HttpCaching.revalidated(request, response, etag);
    }

    private String etag(Lease lease, String... parameters) throws IOException {
        return HttpCaching.sha1(HttpCaching.utf8(Version.VALUE + "\n" + String.join("\n", parameters) + "\n"
                + browser.refsDigest(lease)));
    }

    /** The smart URL as this request reached gitwar ({@code http://host:port/git/NAME.git}). */
    private static String cloneUrl(HttpServletRequest request, RepositoryName name) {
        String url = request.getRequestURL().toString();
        String origin = url.substring(0, url.length() - request.getRequestURI().length());
        return origin + request.getContextPath() + "/" + name.value() + ".git";
    }

    private static String bounded(String value, String parameter) {
        if (value != null && value.length() > MAX_QUERY_CHARS) {
            throw new BadRequest(parameter + " longer than " + MAX_QUERY_CHARS + " characters");
        }
        return value;
    }
}
