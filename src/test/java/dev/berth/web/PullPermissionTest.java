package dev.berth.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** The pull permission is an account flag admins switch in /api/users; it takes effect on the next request. */
@QuarkusTest
class PullPermissionTest {

    @Test
    void mayPullDefaultsToTrueAndAdminsSwitchItOffAndOn() {
        String name = "puller-" + UUID.randomUUID().toString().substring(0, 8);
        long id = ((Number) admin().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", "password-of-" + name, "role", "user"))
                .post("/api/users").then().statusCode(201).body("mayPull", equalTo(true)).extract().path("id")).longValue();

        admin().contentType(ContentType.JSON).body(Map.of("mayPull", false)).patch("/api/users/" + id).then().statusCode(200)
                .body("mayPull", equalTo(false)).body("role", equalTo("user"));
        admin().get("/api/users/" + id).then().body("mayPull", equalTo(false));
        as(name).contentType("application/x-tar").body(new byte[1024]).post("/api/images/import").then().statusCode(403)
                .body("error", equalTo("forbidden")).body("field", equalTo("mayPull"))
                .body("message", equalTo("You may not import images: your account lacks the 'pull' permission (mayPull). "
                        + "Ask an administrator to allow it in Users."));
        as(name).get("/api/images").then().statusCode(200); // reading stays open

        admin().contentType(ContentType.JSON).body(Map.of("mayPull", true)).patch("/api/users/" + id).then().statusCode(200)
                .body("mayPull", equalTo(true));
        // allowed again: an empty archive is now refused for what it is, not for who sends it
        int status = as(name).contentType("application/x-tar").body(new byte[1024]).post("/api/images/import").statusCode();
        org.assertj.core.api.Assertions.assertThat(status).isNotEqualTo(403);
        // admins always may, whatever their flag says
        List<Map<String, Object>> users = admin().get("/api/users").then().extract().jsonPath().getList("$");
        org.assertj.core.api.Assertions.assertThat(users).filteredOn(u -> "admin".equals(u.get("role")))
                .allSatisfy(u -> org.assertj.core.api.Assertions.assertThat(u.get("mayPull")).isEqualTo(true));
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic("admin", "test-admin-password");
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "password-of-" + user);
    }
}
