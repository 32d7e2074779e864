/**
 * Failures: the named reasons gitwar refuses a request (bad input, a limit, a busy or missing
 * repository, a switched-off service). Thrown by every layer, rendered for clients in one place per
 * medium (HTTP status, {@code ERR} line, push report). Imports nothing but the JDK.
 */
package io.gitwar.failure;
