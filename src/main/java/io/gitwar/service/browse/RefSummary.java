package io.gitwar.service.browse;

/**
 * A branch or tag and the commit it names.
 *
 * @param name the short name ({@code main}, {@code v1.0}), as URLs of the pages use it
 * @param commit the commit it names (a tag peeled), null if it names no commit (a tag of a tree or blob)
 */
public record RefSummary(String name, CommitSummary commit) {
}
