package dev.berth.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The newcomer's path on the packaged application: first start prints a one-time admin password, the admin
 * logs in and must change it, and every account survives a crash (SIGKILL) and a normal restart, with the
 * embedded PostgreSQL reused or restarted as needed.
 */
class FirstStartAndRestartIT {

    @Test
    void firstStartPrintsAOneTimePasswordAndAccountsSurviveRestarts() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-restart-").toAbsolutePath();
        String adminPassword;
        try (PackagedApp app = new PackagedApp(dataDir, Map.of()).start()) {
            Matcher m = Pattern.compile("One-time password: (\\S+)").matcher(app.logText());
            assertThat(m.find()).as("the log shows the one-time password:\n" + app.logText()).isTrue();
            String oneTime = m.group(1);

            Response login = given().contentType(ContentType.JSON)
                    .body(Map.of("username", "admin", "password", oneTime)).post(app.url("/api/session"));
            login.then().statusCode(200).body("mustChangePassword", equalTo(true));
            String cookie = login.cookie("berth_session");
            String csrf = login.jsonPath().getString("csrfToken");
            adminPassword = "chosen-admin-password";
            given().cookie("berth_session", cookie).header("X-CSRF-Token", csrf).contentType(ContentType.JSON)
                    .body(Map.of("currentPassword", oneTime, "newPassword", adminPassword))
                    .put(app.url("/api/session/password")).then().statusCode(204);
            given().auth().preemptive().basic("admin", adminPassword).contentType(ContentType.JSON)
                    .body(Map.of("username", "alice", "password", "alice-password", "role", "user"))
                    .post(app.url("/api/users")).then().statusCode(201);

            app.kill(); // a crash: the embedded PostgreSQL is left running
            assertThat(dataDir.resolve("postgres/data/postmaster.pid")).exists();
        }

        try (PackagedApp again = new PackagedApp(dataDir, Map.of()).start()) {
            assertThat(again.logText()).contains("Reusing the embedded PostgreSQL");
            given().auth().preemptive().basic("alice", "alice-password").get(again.url("/api/session"))
                    .then().statusCode(200).body("username", equalTo("alice"));
            again.stop(); // a normal shutdown stops the embedded PostgreSQL
            assertThat(dataDir.resolve("postgres/data/postmaster.pid")).doesNotExist();
        }

        try (PackagedApp third = new PackagedApp(dataDir, Map.of()).start()) {
            assertThat(third.logText()).doesNotContain("One-time password: ", "created the administrator")
                    .as("no second admin is created");
            given().auth().preemptive().basic("admin", adminPassword).get(third.url("/api/users"))
                    .then().statusCode(200).body("username", hasItem("alice"));
        }
    }
}
