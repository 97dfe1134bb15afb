package io.splicelab.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.splicelab.model.events.EventCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of RFC 7386, appendix A, and that neither argument is modified. */
class MergePatchTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":\"b\"}                  | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"b\"}                  | {\"b\":\"c\"}              | {\"a\":\"b\",\"b\":\"c\"}",
        "{\"a\":\"b\"}                  | {\"a\":null}               | {}",
        "{\"a\":\"b\",\"b\":\"c\"}      | {\"a\":null}               | {\"b\":\"c\"}",
        "{\"a\":[\"b\"]}                | {\"a\":\"c\"}              | {\"a\":\"c\"}",
        "{\"a\":\"c\"}                  | {\"a\":[\"b\"]}            | {\"a\":[\"b\"]}",
        "{\"a\":{\"b\":\"c\"}}          | {\"a\":{\"b\":\"d\",\"c\":null}} | {\"a\":{\"b\":\"d\"}}",
        "{\"a\":[{\"b\":\"c\"}]}        | {\"a\":[1]}                | {\"a\":[1]}",
        "[\"a\",\"b\"]                  | [\"c\",\"d\"]              | [\"c\",\"d\"]",
        "{\"a\":\"b\"}                  | [\"c\"]                    | [\"c\"]",
        "{\"a\":\"foo\"}                | null                       | null",
        "{\"a\":\"foo\"}                | \"bar\"                    | \"bar\"",
        "{\"e\":null}                   | {\"a\":1}                  | {\"e\":null,\"a\":1}",
        "[1,2]                          | {\"a\":\"b\",\"c\":null}   | {\"a\":\"b\"}",
        "{}                             | {\"a\":{\"bb\":{\"ccc\":null}}} | {\"a\":{\"bb\":{}}}"})
    void appliesTheExamplesOfTheRfc(String target, String patch, String expected) throws Exception {
        JsonNode t = EventCodec.mapper().readTree(target);
        JsonNode p = EventCodec.mapper().readTree(patch);
        String before = t.toString();
        String patchBefore = p.toString();
        assertEquals(EventCodec.mapper().readTree(expected), MergePatch.apply(t, p));
        assertEquals(before, t.toString(), "the target is not modified");
        assertEquals(patchBefore, p.toString(), "the patch is not modified");
    }
}
