/**
 * The web pages for people: the repository's page, its trees and files, and the listing, rendered
 * on the server as plain HTML (no script at all, a strict Content-Security-Policy) from the browse
 * service's records. Everything shown passes through {@link io.gitwar.http.pages.Html#escape}; URLs
 * through {@link io.gitwar.http.pages.Links}. {@link io.gitwar.http.GitFilter} decides which requests
 * get a page; Git clients never do.
 */
package io.gitwar.http.pages;
