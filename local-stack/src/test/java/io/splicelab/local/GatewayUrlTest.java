package io.splicelab.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GatewayUrlTest {
    static String error(String url) {
        return assertThrows(IllegalArgumentException.class, () -> GatewayUrl.check(url)).getMessage();
    }

    @Test
    void goodUrlsPassWithoutTrailingSlashes() {
        assertEquals("http://127.0.0.1:8080", GatewayUrl.check("http://127.0.0.1:8080/"));
        assertEquals("https://lab.example.org", GatewayUrl.check(" https://lab.example.org "));
        assertEquals("HTTP://localhost:8080/splicelab", GatewayUrl.check("HTTP://localhost:8080/splicelab//"));
        assertEquals("http://[::1]:8080", GatewayUrl.check("http://[::1]:8080"));
    }

    @Test
    void everyBadUrlSaysWhatIsWrong() {
        assertEquals("the gateway URL '127.0.0.1:8080' has no scheme: write http://127.0.0.1:8080 (or https://...)",
                error("127.0.0.1:8080"));
        assertTrue(error("localhost:8080").contains("has no scheme: write http://localhost:8080"));
        assertTrue(error("localhost").contains("has no scheme: write http://localhost"));
        assertTrue(error("http:/localhost:8080").contains("needs two slashes after the scheme: write "
                + "http://localhost:8080"), error("http:/localhost:8080"));
        assertTrue(error("ftp://host:21").contains("only http:// and https:// are supported"));
        assertTrue(error("").contains("is empty"));
        assertTrue(error(null).contains("is empty"));
        assertTrue(error("http://").contains("names no host"), error("http://"));
        assertTrue(error("http:///api").contains("names no host"), error("http:///api"));
        assertTrue(error("http://:8080").contains("names no host before the port"), error("http://:8080"));
        assertTrue(error("http://host:80a").contains("the port '80a': a port is a number from 1 to 65535"),
                error("http://host:80a"));
        assertTrue(error("http://host:99999").contains("the port '99999'"), error("http://host:99999"));
        assertTrue(error("http://host:0").contains("the port '0'"), error("http://host:0"));
        assertTrue(error("http://host:").contains("a port is a number"), error("http://host:"));
        assertTrue(error("http://user:pw@host:8080").contains("user info"));
        assertTrue(error("http://host:8080?x=1").contains("query or fragment"));
        assertTrue(error("http://host:8080/#top").contains("query or fragment"));
        assertTrue(error("http://ho st:8080").contains("space"));
        assertTrue(error("http://host:8080/a b").contains("space"));
        assertTrue(error("http://ho^st:8080").contains("not a valid URL"), error("http://ho^st:8080"));
        assertTrue(error("http://exa_mple:8080").contains("no valid host name"), error("http://exa_mple:8080"));
    }

    @Test
    void aHostThatDoesNotResolveIsNamed() {
        assertEquals("unknown host no-such-host (is the host name right?)",
                RunFollower.describe(new java.net.UnknownHostException("no-such-host")));
    }

    @Test
    void aBadGatewayOptionIsAUsageErrorWithTheMessageNotAStackTrace() {
        for (String[] args : new String[][] {{"follow", "r1", "--gateway", "127.0.0.1:8080"},
                {"runs", "--gateway", "127.0.0.1:8080"}, {"export", "r1", "--gateway", "127.0.0.1:8080"},
                {"demo", "--gateway", "127.0.0.1:8080"}}) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            assertEquals(2, Main.run(args, o, e), String.join(" ", args));
            String text = err.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("'--gateway'") && text.contains("has no scheme: write http://127.0.0.1:8080"),
                    text);
            assertTrue(!text.contains("Exception") && !text.contains("\tat "), text);
        }
    }
}
