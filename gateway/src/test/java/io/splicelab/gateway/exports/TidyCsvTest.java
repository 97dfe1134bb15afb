package io.splicelab.gateway.exports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TidyCsvTest {
    @Test
    void quotesOnlyWhatRfc4180Needs() {
        TidyCsv.Table t = new TidyCsv.Table(List.of("a", "b", "c", "d"), List.of(
                List.of("plain", "with,comma", "say \"hi\"", "two\nlines")));
        assertEquals("a,b,c,d\nplain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\"\n", TidyCsv.toString(t));
    }

    @Test
    void fieldsOfEveryKind() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        TidyCsv.Table t = new TidyCsv.Table(List.of("null", "nan", "double", "int", "time", "steps", "json", "text",
                "jsonNumber"), List.of(Arrays.asList(null, Double.NaN, 0.25, 7, Instant.parse("2026-01-02T03:04:05Z"),
                List.of(0, 50, 100), f.objectNode().put("k", 1), f.textNode("t"), f.numberNode(0.5))));
        assertEquals("null,nan,double,int,time,steps,json,text,jsonNumber\n"
                + ",,0.25,7,2026-01-02T03:04:05Z,0 50 100,\"{\"\"k\"\":1}\",t,0.5\n", TidyCsv.toString(t));
    }

    @Test
    void anEmptyTableIsItsHeader() {
        assertEquals("x,y\n", TidyCsv.toString(new TidyCsv.Table(List.of("x", "y"), List.of())));
    }

    @Test
    void aRowOfTheWrongLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TidyCsv.Table(List.of("x"), List.of(List.of(1, 2))));
    }
}
