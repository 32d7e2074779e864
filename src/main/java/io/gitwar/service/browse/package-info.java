/**
 * Browsing a repository, read-only, on the request's snapshot through JGit: its branches and tags
 * with their last commits, the latest commits of the default branch, trees, files (text up to a
 * bound, binary detected as git does, raw bytes streamed) and the README. Every quantity is bounded
 * ({@link io.gitwar.service.browse.Browser}'s limits). What the web pages show; never imports
 * {@code jakarta.servlet}.
 */
package io.gitwar.service.browse;
