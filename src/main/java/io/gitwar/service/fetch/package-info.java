/**
 * Fetches and clones: JGit's upload-pack (protocol v0, v1 and v2) on the request's snapshot, with
 * what gitwar adds to JGit's engine (deepen-relative, the v0 deepen-since round, any stored object
 * by id) and its errors in-band as git expects them.
 */
package io.gitwar.service.fetch;
