package io.gitwar.http.pages;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * HTML built from templates in which every value is escaped unless it is already {@link Safe}: the
 * one way text reaches a page, so that a file name, branch or commit message holding markup stays
 * text. Escaping covers element content and quoted attribute values alike.
 */
public final class Html {

    private Html() {
    }

    /** Markup that is safe to insert as is: built by this class from escaped values, or by the Markdown renderer. */
    public record Safe(String html) {
        public static final Safe EMPTY = new Safe("");

        @Override
        public String toString() {
            return html;
        }
    }

    /**
     * The one escaping function: {@code & < > " '} become character references, so that the result
     * is text in element content and in single- or double-quoted attribute values.
     */
    public static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Fills {@code template}'s {@code %s} (a {@link String#format} pattern) with {@code values}, each
     * escaped unless it is {@link Safe}. Templates are constants of the page classes, never input.
     */
    public static Safe html(String template, Object... values) {
        Object[] escaped = Arrays.stream(values)
                .map(v -> v instanceof Safe s ? s.html() : escape(String.valueOf(v))).toArray();
        return new Safe(String.format(Locale.ROOT, template, escaped));
    }

    /** Markup pieces one after another. */
    public static Safe join(Iterable<Safe> parts) {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(p.html()));
        return new Safe(b.toString());
    }

    /** Markup pieces one after another. */
    public static Safe join(java.util.stream.Stream<Safe> parts) {
        return new Safe(parts.map(Safe::html).collect(Collectors.joining()));
    }
}
