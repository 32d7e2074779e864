/**
 * Service: repositories as actors, and what gitwar does with them (pushes, dumb listings, fetches).
 * Owns concurrency (one writer per repository), JTA transactions and configuration; speaks JGit and
 * the storage layer, never {@code jakarta.servlet}. Failures are named exceptions the HTTP layer renders.
 */
package io.gitwar.service;
