package io.gitwar.http.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EntityTagTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        // header                         | parsed tags, ; separated (- = malformed or absent)
        "\"abc\"                          | \"abc\"",
        "W/\"abc\"                        | W/\"abc\"",
        "\"a\", W/\"b\",\"c\"             | \"a\";W/\"b\";\"c\"",
        "  \"a\" ,  \"b\"                 | \"a\";\"b\"",
        "*                                | \"*\"",
        "\"\"                             | \"\"",
        "abc                              | -",
        "\"abc                            | -",
        "\"a\" \"b\"                      | -",
        "w/\"a\"                          | -",
        "''                               | -",
    })
    void parsesLists(String header, String expected) {
        List<EntityTag> tags = EntityTag.parseList(header);
        if (expected == null) {
            assertNull(tags, header);
        } else {
            assertEquals(expected, tags.stream().map(EntityTag::header).collect(Collectors.joining(";")));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // a         | b         | strong | weak   (RFC 9110 §8.8.3.2 table)
        "W/\"1\"     | W/\"1\"   | false  | true",
        "W/\"1\"     | W/\"2\"   | false  | false",
        "W/\"1\"     | \"1\"     | false  | true",
        "\"1\"       | \"1\"     | true   | true",
        "\"1\"       | \"2\"     | false  | false",
    })
    void comparesLikeRfc9110(String a, String b, boolean strong, boolean weak) {
        EntityTag x = EntityTag.parse(a);
        EntityTag y = EntityTag.parse(b);
        assertEquals(strong, x.strongMatch(y));
        assertEquals(weak, x.weakMatch(y));
    }
}
