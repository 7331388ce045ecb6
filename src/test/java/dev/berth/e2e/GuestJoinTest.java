package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.berth.terminal.PtyProcess;
import dev.berth.terminal.TerminalRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A guest opens a share link in a fresh browser (no account, no cookies), gives a name, and gets the live shared
 * terminal: the output already on it, and (with a drive link) what they type. A used-up link shows why it refuses.
 */
@QuarkusTest
class GuestJoinTest extends BrowserTest {
    @Inject
    TerminalRegistry registry;

    private final List<String> terminals = new ArrayList<>();

    @AfterEach
    void closeTerminals() {
        terminals.forEach(t -> registry.close(t, "test over"));
    }

    private String terminal() throws Exception {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        registry.open(id, adminUsername(), new PtyProcess("busybox", "sh", "-c", "cd /tmp; export PS1='demo $ '; echo WELCOME-$((40+2)); exec sh"), 80, 24);
        terminals.add(id);
        return id;
    }

    private String link(String terminal, String role, Integer maxUses) {
        Map<String, Object> body = maxUses == null ? Map.of("role", role) : Map.of("role", role, "maxUses", maxUses);
        return given().auth().preemptive().basic(adminUsername(), adminPassword()).contentType(ContentType.JSON).body(body)
                .post("/api/terminals/" + terminal + "/links").then().statusCode(201).extract().path("url");
    }

    @Test
    void aGuestJoinsByLinkGivesANameAndSeesAndDrivesTheTerminal() throws Exception {
        String t = terminal();
        String url = link(t, "drive", null);

        Page page = newContext().newPage();
        page.navigate(url);
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Join the terminal"))).isVisible();
        assertThat(page.getByText("You will be able to type into it.")).isVisible();
        page.getByLabel("Your name").fill("Grace");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join")).click();

        assertThat(page.getByTestId("join-terminal")).containsText("you are Grace");
        var screen = page.getByTestId("guest-terminal").locator(".xterm-rows");
        assertThat(screen).containsText("WELCOME-42"); // output from before the guest came: the repaint
        page.getByTestId("guest-terminal").locator(".term-box").click();
        page.keyboard().type("echo GUEST-$((6*7))-TYPED\n");
        assertThat(screen).containsText("GUEST-42-TYPED");
        screenshot(page, "guest-join");
    }

    @Test
    void theOwnerSharesFromTheTerminalPageAndRevokingShowsTheGuestWhy() throws Exception {
        String t = terminal();
        Page owner = loginAsAdmin(newContext());
        owner.navigate(url("/terminals/" + t));
        owner.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share")).click();
        var share = owner.getByTestId("share-dialog");
        var links = share.locator("section[aria-labelledby=share-links]");
        links.getByLabel("Access").selectOption("view");
        links.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Create link")).click();
        String url = share.getByLabel("Share link").inputValue();
        org.assertj.core.api.Assertions.assertThat(url).startsWith(base() + "join/");

        Page guest = newContext().newPage();
        guest.navigate(url);
        assertThat(guest.getByText("You will watch it; you cannot type.")).isVisible();
        guest.getByLabel("Your name").fill("Vera Viewer");
        guest.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join")).click();
        assertThat(guest.getByTestId("guest-terminal").locator(".xterm-rows")).containsText("WELCOME-42");
        assertThat(guest.getByTestId("join-terminal")).containsText("watching");

        links.getByRole(AriaRole.BUTTON, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(guest.getByTestId("guest-terminal")).containsText("Your access to this terminal was revoked");
    }

    @Test
    void aUsedUpLinkSaysSoInsteadOfAskingForAName() throws Exception {
        String t = terminal();
        String url = link(t, "view", 1);
        String token = url.substring(url.lastIndexOf('/') + 1);
        given().contentType(ContentType.JSON).body(Map.of("displayName", "First")).post("/api/join/" + token).then().statusCode(201);

        Page page = newContext().newPage();
        page.navigate(url);
        assertThat(page.getByTestId("join-refused")).containsText("This link has been used up");
        assertThat(page.getByTestId("join-refused")).containsText("ask the person who shared it for a new one");
        assertThat(page.getByLabel("Your name")).hasCount(0);
    }
}
