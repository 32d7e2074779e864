/**
 * gitwar's operator URLs on the HTTP port, under {@code /git/-/} (which the Git filter passes on):
 * the health checks at {@code -/health/live} and {@code -/health/ready}, for balancers that only
 * see this port, and the Prometheus metrics at {@code -/metrics}. Plain servlets, so that they
 * need nothing of the server but the Servlet API and JSON-P.
 */
package io.gitwar.http.operations;
