/**
 * The HTTP rules as pure functions, each with table tests and a fuzzer: byte ranges, entity tags,
 * HTTP dates, the precondition evaluation of RFC 9110, and the CORS decisions. No servlet API here;
 * {@code io.gitwar.http} applies them.
 */
package io.gitwar.http.rules;
