package io.gitwar.service.browse;

/**
 * A file at a revision as a page shows it: its text when it is text and at most
 * {@link Browser#MAX_TEXT_BYTES}, else only what it is (it is then offered as a download).
 *
 * @param at where it is
 * @param id the blob's object id
 * @param size its size in bytes
 * @param shown whether it is shown as text, or too large, or binary
 * @param text its text (UTF-8, malformed bytes replaced) when shown is {@link Shown#TEXT}; else null
 */
public record FileContent(Location at, String id, long size, Shown shown, String text) {

    /** How a file is shown. */
    public enum Shown {
        TEXT, TOO_LARGE, BINARY
    }
}
