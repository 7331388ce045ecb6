package dev.berth.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Accounts, login sessions, CSRF and HTTP Basic, against the real server and its embedded PostgreSQL. */
@QuarkusTest
class AccountApiTest {
    static final String ADMIN_PASSWORD = "test-admin-password";

    record Login(String cookie, String csrf) {
    }

    static Login login(String username, String password) {
        Response r = given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/session");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        return new Login(r.cookie("berth_session"), r.jsonPath().getString("csrfToken"));
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static long createUser(String username, String role) {
        return given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", "password-of-" + username, "role", role))
                .post("/api/users").then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void wrongPasswordIsAClearJsonError() {
        given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", "not-the-password"))
                .post("/api/session")
                .then().statusCode(401).contentType(ContentType.JSON)
                .body("error", equalTo("invalid_credentials"))
                .body("message", equalTo("Wrong username or password."));
    }

    @Test
    void loginSetsAnHttpOnlyStrictCookieAndLogoutEndsTheSession() {
        Response r = given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", ADMIN_PASSWORD))
                .post("/api/session");
        r.then().statusCode(200).body("username", equalTo("admin")).body("role", equalTo("admin"))
                .body("csrfToken", notNullValue());
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).contains("berth_session=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict");
        String cookie = r.cookie("berth_session");
        String csrf = r.jsonPath().getString("csrfToken");

        given().cookie("berth_session", cookie).get("/api/session").then().statusCode(200)
                .body("username", equalTo("admin")).body("csrfToken", equalTo(csrf));
        given().cookie("berth_session", cookie).header("X-CSRF-Token", csrf).delete("/api/session")
                .then().statusCode(204);
        given().cookie("berth_session", cookie).get("/api/session").then().statusCode(401)
                .body("error", equalTo("unauthenticated"));
    }

    @Test
    void cookieAuthenticatedChangesNeedTheCsrfToken() {
        Login admin = login("admin", ADMIN_PASSWORD);
        String name = unique("csrf");
        Map<String, String> body = Map.of("username", name, "password", "a-long-password", "role", "user");
        given().cookie("berth_session", admin.cookie()).contentType(ContentType.JSON).body(body).post("/api/users")
                .then().statusCode(403).body("error", equalTo("csrf_token_missing"));
        given().cookie("berth_session", admin.cookie()).header("X-CSRF-Token", "forged").contentType(ContentType.JSON)
                .body(body).post("/api/users").then().statusCode(403).body("error", equalTo("csrf_token_invalid"));
        given().cookie("berth_session", admin.cookie()).header("X-CSRF-Token", admin.csrf()).contentType(ContentType.JSON)
                .body(body).post("/api/users").then().statusCode(201).body("username", equalTo(name));
    }

    @Test
    void scriptsUseHttpBasicAndRolesAreEnforced() {
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).get("/api/users")
                .then().statusCode(200).body("username", hasItem("admin"));
        String name = unique("basic");
        createUser(name, "user");
        given().auth().preemptive().basic(name, "password-of-" + name).get("/api/users")
                .then().statusCode(403).contentType(ContentType.JSON).body("error", equalTo("forbidden"));
        given().auth().preemptive().basic(name, "password-of-" + name).get("/api/session")
                .then().statusCode(200).body("role", equalTo("user"));
        given().auth().preemptive().basic(name, "wrong-password!").get("/api/session")
                .then().statusCode(401).contentType(ContentType.JSON).body("error", equalTo("unauthenticated"));
        given().get("/api/users").then().statusCode(401).contentType(ContentType.JSON)
                .body("message", containsString("Log in"));
    }

    @Test
    void validationNamesTheBadField() {
        var admin = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON);
        admin.body(Map.of("username", "Bad Name!", "password", "a-long-password", "role", "user")).post("/api/users")
                .then().statusCode(400).body("field", equalTo("username")).body("error", equalTo("invalid_username"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("username", unique("short"), "password", "short", "role", "user")).post("/api/users")
                .then().statusCode(400).body("field", equalTo("password")).body("message", containsString("at least 10"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("username", unique("role"), "password", "a-long-password", "role", "root")).post("/api/users")
                .then().statusCode(400).body("field", equalTo("role")).body("message", containsString("admin, user"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", "a-long-password", "role", "user")).post("/api/users")
                .then().statusCode(409).body("error", equalTo("username_taken"));
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON).body("{not json")
                .post("/api/users").then().statusCode(400).contentType(ContentType.JSON);
    }

    @Test
    void disablingAUserEndsTheirSessionsAndRefusesLogin() {
        String name = unique("dis");
        long id = createUser(name, "user");
        Login user = login(name, "password-of-" + name);
        given().cookie("berth_session", user.cookie()).get("/api/session").then().statusCode(200);

        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("disabled", true)).patch("/api/users/" + id).then().statusCode(200)
                .body("disabled", equalTo(true));
        given().cookie("berth_session", user.cookie()).get("/api/session").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name))
                .post("/api/session").then().statusCode(403).body("error", equalTo("account_disabled"))
                .body("message", containsString("ask an administrator"));
    }

    @Test
    void passwordResetAndChange() {
        String name = unique("pw");
        long id = createUser(name, "user");
        Login before = login(name, "password-of-" + name);
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("password", "reset-by-admin-1")).post("/api/users/" + id + "/password").then().statusCode(204);
        given().cookie("berth_session", before.cookie()).get("/api/session").then().statusCode(401);

        Login after = login(name, "reset-by-admin-1");
        given().cookie("berth_session", after.cookie()).get("/api/session").then().body("mustChangePassword", equalTo(true));
        given().cookie("berth_session", after.cookie()).header("X-CSRF-Token", after.csrf()).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "wrong-current", "newPassword", "chosen-by-user-1"))
                .put("/api/session/password").then().statusCode(400).body("field", equalTo("currentPassword"));
        given().cookie("berth_session", after.cookie()).header("X-CSRF-Token", after.csrf()).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "reset-by-admin-1", "newPassword", "chosen-by-user-1"))
                .put("/api/session/password").then().statusCode(204);
        given().cookie("berth_session", after.cookie()).get("/api/session").then().statusCode(200)
                .body("mustChangePassword", equalTo(false));
        login(name, "chosen-by-user-1");
    }

    @Test
    void theLastAdminCannotBeDemoted() {
        // Other tests may have made admins of their own users; the rule is about the last active one.
        java.util.List<Integer> otherAdmins = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).get("/api/users")
                .jsonPath().getList("findAll { it.role == 'admin' && !it.disabled && it.username != 'admin' }.id");
        for (Integer other : otherAdmins) {
            given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                    .body(Map.of("role", "user")).patch("/api/users/" + other).then().statusCode(200);
        }
        long adminId = given().auth().preemptive().basic("admin", ADMIN_PASSWORD).get("/api/users").jsonPath()
                .getLong("find { it.username == 'admin' }.id");
        given().auth().preemptive().basic("admin", ADMIN_PASSWORD).contentType(ContentType.JSON)
                .body(Map.of("role", "user")).patch("/api/users/" + adminId)
                .then().statusCode(409).body("error", equalTo("last_admin"));
    }

    @Test
    void repeatedFailedLoginsAreSlowedDown() {
        String name = unique("throttle");
        createUser(name, "user");
        int status = 0;
        Response last = null;
        for (int i = 0; i < 8 && status != 429; i++) {
            last = given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "guess-number-" + i))
                    .post("/api/session");
            status = last.statusCode();
        }
        assertThat(status).isEqualTo(429);
        assertThat(last.header("Retry-After")).isNotNull();
        assertThat(last.jsonPath().getString("error")).isEqualTo("too_many_attempts");
        // even the right password is refused while locked
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", "password-of-" + name))
                .post("/api/session").then().statusCode(429);
    }
}
