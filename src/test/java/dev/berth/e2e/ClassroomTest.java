package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.web.workspace.WorkspaceAndClassTest;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A class in real Chromium against the real console and engine: a trainer creates a class, two attendees join by
 * its link in their own browser contexts (guests giving a name), the trainer sees both terminals live as
 * thumbnails, takes control of one and types into it, and the attendee sees the trainer's command run.
 */
@QuarkusTest
class ClassroomTest extends BrowserTest {
    @Inject
    ImageStoreSource images;

    private String trainer;

    @BeforeEach
    void setUp() throws Exception {
        WorkspaceAndClassTest.importImage(images);
        trainer = "trainer-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().preemptive().basic(adminUsername(), adminPassword()).contentType(ContentType.JSON)
                .body(Map.of("username", trainer, "displayName", "Tess Trainer", "password", "password-of-" + trainer, "role", "user"))
                .post("/api/users").then().statusCode(201);
    }

    @AfterEach
    void endClasses() {
        var admin = given().auth().preemptive().basic(adminUsername(), adminPassword());
        for (Object id : admin.get("/api/classes").then().extract().jsonPath().getList("findAll { it.trainer == '" + trainer + "' }.id")) {
            given().auth().preemptive().basic(adminUsername(), adminPassword()).delete("/api/classes/" + id);
        }
    }

    @Test
    void aTrainerWatchesTwoAttendeesLiveAndTakesControlOfOne() throws Exception {
        // the trainer creates the class from the Classes screen
        Page teacher = login(newContext(), trainer, "password-of-" + trainer);
        mainNav(teacher).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Classes")).click();
        assertThat(teacher.getByTestId("classes-empty")).isVisible();
        teacher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New class")).first().click();
        Locator form = teacher.getByTestId("new-class-form");
        form.getByLabel("Name").fill("Linux shell basics");
        form.getByLabel("Image").fill(WorkspaceAndClassTest.IMAGE);
        form.getByLabel("Command").fill("sh");
        form.getByLabel("Idle time-out (minutes)").fill("45");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create class")).click();

        assertThat(teacher).hasURL(Pattern.compile("/classes/\\d+$"));
        assertThat(teacher.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Linux shell basics");
        assertThat(teacher.getByTestId("no-attendees")).isVisible();
        String link = teacher.getByTestId("class-link").inputValue();
        assertThat(link).startsWith(base() + "class/");

        // two attendees open the link in their own browsers, give a name and land on their own terminal
        Page ada = attendee(link, "Ada");
        Page bob = attendee(link, "Bob");
        typeIn(ada, "echo HELLO-FROM-ADA-$((6*7))");
        typeIn(bob, "ls /");
        typeIn(bob, "echo BOB-WAS-HERE");
        assertThat(ada.getByTestId("attendee-terminal")).containsText("HELLO-FROM-ADA-42");
        assertThat(bob.getByTestId("attendee-terminal")).containsText("BOB-WAS-HERE");
        assertThat(ada.getByTestId("countdown")).containsText(Pattern.compile("expires in 4[45]:\\d\\d"));

        // the trainer sees both terminals live as thumbnails, including what was typed
        Locator thumbnails = teacher.getByTestId("thumbnail");
        assertThat(thumbnails).hasCount(2);
        Locator adaThumb = teacher.locator("[data-testid=thumbnail][data-attendee=Ada]");
        Locator bobThumb = teacher.locator("[data-testid=thumbnail][data-attendee=Bob]");
        assertThat(adaThumb.getByTestId("thumbnail-terminal")).containsText("HELLO-FROM-ADA-42");
        assertThat(bobThumb.getByTestId("thumbnail-terminal")).containsText("BOB-WAS-HERE");
        // live: typed after the thumbnails opened
        typeIn(ada, "echo STILL-LIVE-$((1+1))");
        assertThat(adaThumb.getByTestId("thumbnail-terminal")).containsText("STILL-LIVE-2");
        typeIn(ada, "uname -s");
        teacher.getByLabel("Push a command").fill("echo 'Welcome to Linux shell basics'");
        teacher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
        assertThat(teacher.getByText("Sent to all 2 attendees.")).isVisible();
        assertThat(bob.getByTestId("attendee-terminal")).containsText("Welcome to Linux shell basics");
        assertThat(adaThumb.getByTestId("thumbnail-terminal")).containsText("Welcome to Linux shell basics");

        // Ada's connection drops (a classroom's Wi-Fi): her page says so; what runs meanwhile reaches her screen once
        // it is back, and nothing she had is written twice
        ada.evaluate("() => { window.__holdSockets = true; window.__sockets.forEach(s => s.close()); }");
        assertThat(ada.getByText(Pattern.compile("The connection dropped; reconnecting"))).isVisible();
        teacher.getByLabel("Push a command").fill("echo DURING-DROP-$((2*5))");
        teacher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
        assertThat(bob.getByTestId("attendee-terminal")).containsText("DURING-DROP-10");
        ada.evaluate("() => { window.__holdSockets = false; }");
        assertThat(ada.getByTestId("attendee-terminal")).containsText("DURING-DROP-10",
                new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
        assertThat(ada.getByText(Pattern.compile("The connection dropped; reconnecting"))).isHidden();
        assertThat(occurrences(ada, "HELLO-FROM-ADA-42")).isEqualTo(1);
        assertThat(occurrences(ada, "DURING-DROP-10")).isEqualTo(1);

        teacher.mouse().move(0, 0);
        Path shot = screenshot(teacher, "instructor-view");
        assertThat(Files.size(shot)).isPositive();

        // the trainer takes control of Bob's terminal and types; Bob sees it run
        bobThumb.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Take control")).click();
        Locator focused = teacher.getByTestId("focused-terminal");
        assertThat(focused).containsText("Bob");
        assertThat(focused).containsText("you are typing here");
        assertThat(teacher.getByTestId("focused-pane")).containsText("BOB-WAS-HERE");
        teacher.getByTestId("focused-pane").click();
        teacher.keyboard().type("echo TRAINER-HELPS-$((4+4))");
        teacher.keyboard().press("Enter");
        assertThat(bob.getByTestId("attendee-terminal")).containsText("TRAINER-HELPS-8");
        assertThat(ada.getByTestId("attendee-terminal")).not().containsText("TRAINER-HELPS-8");
        bob.mouse().move(0, 0);
        screenshot(bob, "class-attendee");

        // handing back: watching again, typing goes nowhere
        teacher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Hand back")).click();
        assertThat(focused).containsText("watching");
        teacher.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Back to all")).click();
        assertThat(thumbnails).hasCount(2);
    }

    private Page attendee(String link, String name) {
        BrowserContext context = newContext();
        context.addInitScript(SOCKET_SPY);
        Page page = context.newPage();
        page.setViewportSize(1000, 620); // a laptop window beside the course material: the terminal is about 110x30
        page.navigate(link);
        assertThat(page.getByTestId("class-name")).hasText("Linux shell basics");
        page.getByLabel("Your name").fill(name);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join the class")).click();
        assertThat(page.getByTestId("attendee-name")).hasText(name);
        assertThat(page.getByTestId("attendee-terminal").locator(".xterm-rows")).containsText(Pattern.compile("[#$] ?"));
        return page;
    }

    /** How often text appears on an attendee's screen. */
    private static int occurrences(Page page, String text) {
        String screen = (String) page.getByTestId("attendee-terminal").locator(".xterm-rows")
                .evaluate("e => e.innerText.replace(/\\u00a0/g, ' ')");
        int count = 0;
        for (int i = screen.indexOf(text); i >= 0; i = screen.indexOf(text, i + 1)) count++;
        return count;
    }

    private static void typeIn(Page page, String command) {
        page.getByTestId("attendee-terminal").click();
        page.keyboard().type(command);
        page.keyboard().press("Enter");
    }
}
