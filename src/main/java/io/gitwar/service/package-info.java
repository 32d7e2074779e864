/**
 * Service: each repository's actor (one writer at a time, reads on snapshots), the request's lease on
 * it, the one JTA-bound write path, and the rooms of what gitwar does with repositories:
 * {@code push}, {@code fetch}, {@code dumb} reads and {@code repack}. Never imports {@code jakarta.servlet}.
 */
package io.gitwar.service;
