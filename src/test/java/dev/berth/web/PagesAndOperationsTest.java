package dev.berth.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Unknown pages, unknown API paths and the operations endpoints. */
@QuarkusTest
class PagesAndOperationsTest {

    @Test
    void unknownPageIsARealNotFoundPage() {
        given().accept("text/html").get("/no/such/page").then().statusCode(404)
                .contentType(containsString("text/html")).body(containsString("There is no page here"));
    }

    @Test
    void unknownApiPathIsJson() {
        given().get("/api/no-such-thing").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("not_found"));
    }

    @Test
    void consoleRoutesServeTheApp() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<div id=\"app\">"));
        given().get("/containers/abc").then().statusCode(200).body(containsString("<div id=\"app\">"));
        given().get("/login").then().statusCode(200).body(containsString("<div id=\"app\">"));
    }

    @Test
    void behindAProxySubPathThePageBaseIsThePrefix() {
        given().header("X-Forwarded-Prefix", "/berth").get("/containers/abc").then().statusCode(200)
                .body(containsString("<base href=\"/berth/\" />"));
        given().get("/images").then().statusCode(200).body(containsString("<base href=\"/\" />"));
        // a prefix that is not a plain path is ignored rather than written into the page
        given().header("X-Forwarded-Prefix", "/x\"><script>").get("/images").then().statusCode(200)
                .body(containsString("<base href=\"/\" />"));
    }

    @Test
    void healthOpenApiAndMetrics() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/session"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
