package io.gitwar.service.browse;

import java.time.Instant;

/**
 * One commit as a list shows it.
 *
 * @param id the full object id
 * @param subject the first line of its message (as git's {@code %s}), possibly empty
 * @param author the author's name
 * @param time when it was committed (the committer's time, as {@code git log} orders by)
 */
public record CommitSummary(String id, String subject, String author, Instant time) {
}
