package io.gitwar.http.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What in an HTML document could run script, read as a browser's HTML parser reads it (jsoup
 * follows the WHATWG parsing algorithm): script, iframe, object and embed elements, {@code on*}
 * attributes, and {@code javascript:} or {@code data:} URLs in links and sources. For tests of any package.
 */
public final class InertHtml {

    private InertHtml() {
    }

    /** Each active part found, described; empty for an inert document. */
    public static List<String> activeParts(String html) {
        Document doc = Jsoup.parse(html);
        List<String> found = new ArrayList<>();
        for (Element e : doc.getAllElements()) {
            String tag = e.tagName().toLowerCase(Locale.ROOT);
            if (List.of("script", "iframe", "object", "embed", "frame", "base").contains(tag)) {
                found.add("<" + tag + ">");
            }
            for (Attribute a : e.attributes()) {
                String name = a.getKey().toLowerCase(Locale.ROOT);
                String value = a.getValue().strip().toLowerCase(Locale.ROOT);
                if (name.startsWith("on")) {
                    found.add("<" + tag + " " + name + ">");
                }
                if ((name.equals("href") || name.equals("src") || name.equals("action") || name.equals("formaction"))
                        && (value.startsWith("javascript:") || value.startsWith("data:text") || value.startsWith("vbscript:"))) {
                    found.add("<" + tag + " " + name + "=" + value + ">");
                }
            }
        }
        return found;
    }
}
