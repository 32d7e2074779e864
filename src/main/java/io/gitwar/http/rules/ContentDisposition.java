package io.gitwar.http.rules;

import java.nio.charset.StandardCharsets;

/**
 * {@code Content-Disposition: attachment} for a download (RFC 6266): the file's name as an ASCII
 * {@code filename} (anything else replaced by {@code _}) for old clients, and exactly as
 * {@code filename*} (RFC 8187, UTF-8, percent-encoded) for all others. A name can hold quotes,
 * backslashes, semicolons or line breaks (git allows them): none reaches the header as such.
 */
public final class ContentDisposition {

    private ContentDisposition() {
    }

    public static String attachment(String fileName) {
        StringBuilder ascii = new StringBuilder();
        StringBuilder encoded = new StringBuilder();
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        for (byte b : fileName.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            // RFC 8187 attr-char: ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
    }
}
