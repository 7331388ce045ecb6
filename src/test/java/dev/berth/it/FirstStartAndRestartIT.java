package dev.berth.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The newcomer's path on the packaged application: first start prints a one-time admin password, the admin
 * logs in with it in a browser (Debian's Chromium) and must change it, and every account survives a crash (SIGKILL) and a normal restart, with the
 * embedded PostgreSQL reused or restarted as needed.
 */
class FirstStartAndRestartIT {
    /** Defaults everywhere but the host network objects: this test's bridge and nft table are its own and removed. */
    private static final Map<String, String> OWN_NETWORK = Map.of(
            "BERTH_NETWORK_NAME_PREFIX", "bfs",
            "BERTH_NETWORK_POOL", "10.237.0.0/16");

    @Test
    void firstStartPrintsAOneTimePasswordAndAccountsSurviveRestarts() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-restart-").toAbsolutePath();
        try {
            startsLogsInAndSurvivesRestarts(dataDir);
        } finally {
            new ProcessBuilder("sh", "-c", "nft delete table ip bfs 2>/dev/null; ip link del bfs0 2>/dev/null; true")
                    .inheritIO().start().waitFor();
        }
    }

    private void startsLogsInAndSurvivesRestarts(Path dataDir) throws Exception {
        String adminPassword;
        try (PackagedApp app = new PackagedApp(dataDir, OWN_NETWORK).start()) {
            Matcher m = Pattern.compile("One-time password: (\\S+)").matcher(app.logText());
            assertThat(m.find()).as("the log shows the one-time password:\n" + app.logText()).isTrue();
            String oneTime = m.group(1);

            // A person in a browser logs in with the printed password and is asked to choose their own.
            try (Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
                 Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                         .setExecutablePath(Path.of(System.getProperty("berth.e2e.chromium", "/usr/bin/chromium")))
                         .setHeadless(true).setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic",
                                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                 "--disable-sync")))) {
                Page page = browser.newContext().newPage();
                page.navigate(app.url("/login"));
                page.getByLabel("Username").fill("admin");
                page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill(oneTime);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
                PlaywrightAssertions.assertThat(page.getByTestId("user-menu")).isVisible();
                PlaywrightAssertions.assertThat(page.getByTestId("must-change-password")).isVisible();
            }

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

        try (PackagedApp again = new PackagedApp(dataDir, OWN_NETWORK).start()) {
            assertThat(again.logText()).contains("Reusing the embedded PostgreSQL");
            given().auth().preemptive().basic("alice", "alice-password").get(again.url("/api/session"))
                    .then().statusCode(200).body("username", equalTo("alice"));
            again.stop(); // a normal shutdown stops the embedded PostgreSQL
            assertThat(dataDir.resolve("postgres/data/postmaster.pid")).doesNotExist();
        }

        try (PackagedApp third = new PackagedApp(dataDir, OWN_NETWORK).start()) {
            assertThat(third.logText()).doesNotContain("One-time password: ", "created the administrator")
                    .as("no second admin is created");
            given().auth().preemptive().basic("admin", adminPassword).get(third.url("/api/users"))
                    .then().statusCode(200).body("username", hasItem("alice"));
        }
    }
}
