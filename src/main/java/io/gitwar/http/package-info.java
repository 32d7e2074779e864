/**
 * HTTP: the filter that routes every request once and resolves its repository, the routing table,
 * the handlers of the dumb and smart protocols, and how failures and caching become responses (the
 * pure rules are in {@code rules}). Speaks servlets and calls the service layer; never storage or SQL.
 */
package io.gitwar.http;
