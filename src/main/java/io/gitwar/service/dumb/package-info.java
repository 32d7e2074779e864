/**
 * Dumb reads: the files of git's dumb HTTP protocol, generated from the request's snapshot (the
 * listings) or read from it (packs, indexes, objects of small pushes in git's loose encoding).
 */
package io.gitwar.service.dumb;
