package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.berth.engine.container.Trees;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Terminals screens in real Chromium against the real console and a real busybox container: two people on one
 * terminal see the same screen, hand the keyboard over, viewers are told why their keys go nowhere, a dropped socket
 * reconnects with nothing lost or doubled, copy/paste works from the keyboard, tabs keep their sockets, and a
 * recording replays.
 */
@QuarkusTest
class TerminalsScreenTest extends BrowserTest {
    private static final String IMAGE = "berth-test/busybox:terminals-ui";

    private final List<String> containers = new ArrayList<>();

    @BeforeEach
    void image() throws Exception {
        if (admin().get("/api/images/" + IMAGE).statusCode() == 200) return;
        Path dir = Files.createTempDirectory("berth-terminals-ui");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            byte[] archive = BusyboxImageArchive.of(rootfs, IMAGE, List.of("/bin/sh"), List.of());
            admin().contentType("application/x-tar").body(archive).post("/api/images/import").then().statusCode(200);
        } finally {
            Trees.deleteRecursively(dir);
        }
    }

    @AfterEach
    void removeContainers() {
        for (String id : containers) admin().delete("/api/containers/" + id + "?force=true");
        containers.clear();
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic(adminUsername(), adminPassword());
    }

    /** A running busybox sh with a TTY, and its terminal opened by admin (who owns it). */
    private String shellContainer() {
        String id = admin().contentType(ContentType.JSON)
                .body(Map.of("image", IMAGE, "cmd", List.of("/bin/sh"), "tty", true, "openStdin", true, "networkMode", "none",
                        "name", "shared-" + UUID.randomUUID().toString().substring(0, 6)))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
        containers.add(id);
        admin().post("/api/containers/" + id + "/start").then().statusCode(204);
        String terminal = admin().post("/api/containers/" + id + "/terminal?cols=100&rows=26").then().statusCode(201)
                .extract().path("terminalId");
        assertThat(terminal).isEqualTo(id);
        return id;
    }

    /** A user account; given access to the container by a grant where this server has grants (else the default rule lets them watch). */
    private static String userWithAccessTo(String containerId, String name) {
        String username = name + "-" + UUID.randomUUID().toString().substring(0, 4);
        admin().contentType(ContentType.JSON).body(Map.of("username", username, "displayName", "Bob Example",
                "password", "password-of-" + username, "role", "user")).post("/api/users").then().statusCode(201);
        // they choose their own password (as anyone would at first sign-in)
        given().auth().preemptive().basic(username, "password-of-" + username).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "password-of-" + username, "newPassword", "chosen-password-of-" + username))
                .put("/api/session/password").then().statusCode(204);
        int granted = admin().contentType(ContentType.JSON).body(Map.of("role", "drive"))
                .put("/api/containers/" + containerId + "/grants/" + username).statusCode();
        assertThat(granted).isIn(200, 201, 204, 404, 405);
        return username;
    }

    private static Locator view(Page page, String terminalId) {
        return page.locator("[data-testid=terminal-view][data-terminal-id='" + terminalId + "']");
    }

    private static Locator rows(Page page, String terminalId) {
        return view(page, terminalId).locator(".xterm-rows");
    }

    private static void live(Page page, String terminalId) {
        assertThat(view(page, terminalId).getByTestId("terminal-status")).hasText("Live");
    }

    /** Clicks into the terminal and types a line as a person would. */
    private static void typeLine(Page page, String terminalId, String line) {
        view(page, terminalId).locator(".term-box").click();
        page.keyboard().type(line);
        page.keyboard().press("Enter");
    }

    /** How many times {@code text} shows on the terminal's screen. */
    private static int occurrences(Page page, String terminalId, String text) {
        String screen = (String) rows(page, terminalId).evaluate("e => e.innerText.replace(/\\u00a0/g, ' ')");
        int count = 0;
        for (int i = screen.indexOf(text); i >= 0; i = screen.indexOf(text, i + 1)) count++;
        return count;
    }

    private Page open(Page page, String terminalId) {
        page.navigate(url("/terminals/" + terminalId));
        live(page, terminalId);
        assertThat(rows(page, terminalId)).containsText("#");
        return page;
    }

    @Test
    void twoPeopleShareAScreenHandTheKeyboardOverAndViewersAreToldWhyTheyCannotType() throws Exception {
        String id = shellContainer();
        String bob = userWithAccessTo(id, "bob");
        Page ada = open(loginAsAdmin(newContext()), id);
        Page other = open(login(newContext(), bob, "chosen-password-of-" + bob), id);

        // both are on the presence bar; the owner makes bob a viewer explicitly
        Locator bobChip = ada.getByTestId("presence").locator("[data-user='" + bob + "']");
        assertThat(bobChip).isVisible();
        assertThat(other.getByTestId("presence").locator("[data-user='" + adminUsername() + "']")).containsText("Owner");
        ada.getByLabel("Role of " + bob).selectOption("viewer");
        assertThat(view(other, id)).hasAttribute("data-role", "viewer");
        assertThat(view(other, id).getByTestId("read-only-badge")).isVisible();

        // a colourful prompt typed by the owner shows on both screens
        typeLine(ada, id, "E=$(printf '\\033'); G=\"$E[1;32m\"; C=\"$E[36m\"; Y=\"$E[33m\"; N=\"$E[0m\"; PS1=\"\\[$G\\]" + adminUsername()
                + "\\[$N\\]@\\[${E}[1;36m\\]berth\\[$N\\]:\\[${E}[1;34m\\]\\w\\[$N\\]# \"; clear");
        typeLine(ada, id, "echo FROM$((6*7))OWNER");
        assertThat(rows(ada, id)).containsText("FROM42OWNER");
        assertThat(rows(other, id)).containsText("FROM42OWNER");

        // the viewer's keys are refused, with a hint saying why; nothing reaches the shell
        typeLine(other, id, "echo VIEWER$((1+1))");
        assertThat(other.getByTestId("terminal-hint")).containsText("You are watching");
        assertThat(rows(ada, id)).not().containsText("VIEWER");

        // the owner lets bob drive; shared keyboard: bob's line runs and ada sees it
        ada.getByLabel("Role of " + bob).selectOption("driver");
        assertThat(view(other, id)).hasAttribute("data-role", "driver");
        typeLine(other, id, "echo FROM$((6*7))BOB");
        assertThat(rows(ada, id)).containsText("FROM42BOB");
        assertThat(rows(other, id)).containsText("FROM42BOB");
        typeLine(other, id, "ls -l --color=always /");
        assertThat(rows(ada, id)).containsText("proc");

        // single-driver mode: the owner holds the keyboard; bob is told, asks for it, ada grants it
        ada.getByTestId("keyboard-mode").selectOption("single");
        assertThat(ada.getByTestId("presence").locator("[data-user='" + adminUsername() + "']").getByTestId("has-control")).isVisible();
        typeLine(other, id, "echo NOTYET");
        Locator hint = other.getByTestId("terminal-hint");
        assertThat(hint).containsText("has the keyboard");
        hint.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Request control")).click();
        Locator request = ada.getByTestId("control-request");
        assertThat(request).containsText(bob + " asks for control");
        request.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Grant")).click();
        assertThat(bobChip.getByTestId("has-control")).isVisible();
        assertThat(other.getByTestId("presence").locator("[data-user='" + bob + "']").getByTestId("has-control")).isVisible();
        typeLine(other, id, "for s in web api db cache; do printf \"$G%-6s$N $C%s$N  ${Y}healthy$N\\n\" $s running; done");
        assertThat(rows(ada, id)).containsText("cache  running  healthy");
        assertThat(rows(ada, id)).not().containsText("NOTYET");
        // now the owner is the one refused, until taking control back
        typeLine(ada, id, "echo OWNERWAITS");
        assertThat(ada.getByTestId("terminal-hint")).containsText(bob + " has the keyboard");
        // bob starts typing: ada sees who is typing
        view(other, id).locator(".term-box").click();
        other.keyboard().type("uptime");
        assertThat(bobChip.getByTestId("typing")).isVisible();
        assertThat(rows(ada, id)).containsText("uptime");
        ada.getByTestId("terminal-hint").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Dismiss")).click();
        assertThat(ada.getByTestId("terminal-hint")).isHidden();
        screenshot(ada, "shared-terminal");
        other.keyboard().press("Enter");
        assertThat(rows(ada, id)).containsText("load average");

        ada.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take back control")).click();
        assertThat(ada.getByTestId("presence").locator("[data-user='" + adminUsername() + "']").getByTestId("has-control")).isVisible();
        typeLine(ada, id, "echo BACK$((2+2))");
        assertThat(rows(other, id)).containsText("BACK4");
        assertThat(rows(other, id)).not().containsText("OWNERWAITS");

        // sharing: the dialog offers people and links, or says plainly that this server has no sharing yet
        ada.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Share")).click();
        Locator share = ada.getByTestId("share-dialog");
        assertThat(share).containsText("People");
        assertThat(share).containsText("Links");
        share.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Done")).click();
        assertThat(share).isHidden();
    }

    @Test
    void aDroppedSocketReconnectsWithNothingLostOrDoubledAndCopyPasteWorksFromTheKeyboard() throws Exception {
        String id = shellContainer();
        BrowserContext watcherContext = newContext();
        watcherContext.addInitScript(SOCKET_SPY);
        watcherContext.grantPermissions(List.of("clipboard-read", "clipboard-write"));
        Page watcher = open(loginAsAdmin(watcherContext), id);
        BrowserContext typistContext = newContext();
        Page typist = open(loginAsAdmin(typistContext), id);

        // the watcher's window is smaller: the PTY follows the typist (the active driver) and the watcher sees
        // that whole screen scaled down to fit
        watcher.setViewportSize(960, 640);
        typeLine(typist, id, "clear; echo BEFORE-$((3+4))");
        assertThat(rows(watcher, id)).containsText("BEFORE-7");
        assertThat(view(watcher, id)).hasAttribute("data-scale", Pattern.compile("0\\.[0-9]+"));
        assertThat(view(typist, id)).hasAttribute("data-scale", "1.000");
        assertThat(view(watcher, id).locator(".term-size")).containsText("scaled to");

        // the watcher's socket drops and reconnects are held back: it says so
        watcher.evaluate("() => { window.__holdSockets = true; window.__sockets.forEach(s => s.close()); }");
        assertThat(watcher.getByTestId("terminal-reconnecting")).containsText("Reconnecting");
        assertThat(view(watcher, id).getByTestId("terminal-status")).hasText("Reconnecting…");
        // meanwhile output happens
        typeLine(typist, id, "echo DURING-$((3*5))");
        assertThat(rows(typist, id)).containsText("DURING-15");
        // the network is back: it resumes and shows what it missed, once, and what it had, once
        watcher.evaluate("() => { window.__holdSockets = false; }");
        assertThat(view(watcher, id).getByTestId("terminal-status")).hasText("Live", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(20_000));
        assertThat(watcher.getByTestId("terminal-reconnecting")).isHidden();
        assertThat(rows(watcher, id)).containsText("DURING-15");
        typeLine(typist, id, "echo AFTER-$((4*4))");
        assertThat(rows(watcher, id)).containsText("AFTER-16");
        assertThat(occurrences(watcher, id, "BEFORE-7")).isEqualTo(1);
        assertThat(occurrences(watcher, id, "DURING-15")).isEqualTo(1);
        assertThat(occurrences(watcher, id, "AFTER-16")).isEqualTo(1);
        assertThat((String) rows(watcher, id).evaluate("e => e.innerText.replace(/\\u00a0/g, ' ')"))
                .isEqualTo(rows(typist, id).evaluate("e => e.innerText.replace(/\\u00a0/g, ' ')"));
        assertThat(((Number) watcher.evaluate("() => window.__sockets.length")).intValue()).isGreaterThanOrEqualTo(2);

        // search the scrollback
        view(watcher, id).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Search")).click();
        watcher.getByLabel("Search the terminal").fill("DURING-15");
        assertThat(view(watcher, id).locator(".term-search-count")).hasText("1 of 1");
        watcher.getByLabel("Search the terminal").press("Escape");
        assertThat(watcher.getByLabel("Search the terminal")).isHidden();

        // text input that is not a key press (as an IME commits it) is sent once
        view(watcher, id).locator(".term-box").click();
        watcher.keyboard().type("echo ");
        watcher.keyboard().insertText("日本語");
        watcher.keyboard().type("-$((1+1))");
        watcher.keyboard().press("Enter");
        assertThat(rows(typist, id)).containsText("日本語-2");
        assertThat(occurrences(typist, id, "日本語日本語")).isZero();

        // copy: select a word by double-click, Ctrl+Shift+C; paste: Ctrl+Shift+V sends it as a paste
        typeLine(watcher, id, "clear; echo COPYME-$((40+2))");
        assertThat(rows(watcher, id)).containsText("COPYME-42");
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) rows(watcher, id).evaluate("""
                e => { for (const row of e.children) {
                         if (row.textContent.replace(/\\u00a0/g, ' ').trim() === 'COPYME-42') {
                           const r = row.getBoundingClientRect(); return [r.x + 12, r.y + r.height / 2]; } }
                       return null; }""");
        assertThat(at).as("the output row").isNotNull();
        watcher.mouse().dblclick(at.get(0).doubleValue(), at.get(1).doubleValue());
        watcher.keyboard().press("Control+Shift+C");
        assertThat(watcher.getByTestId("terminal-hint")).containsText("Copied");
        assertThat(watcher.evaluate("() => navigator.clipboard.readText()")).isEqualTo("COPYME-42");
        watcher.keyboard().type("echo PASTED-");
        watcher.keyboard().press("Control+Shift+V");
        watcher.keyboard().press("Enter");
        assertThat(rows(typist, id)).containsText("PASTED-COPYME-42");
        assertThat(occurrences(typist, id, "PASTED-COPYME-42COPYME-42")).isZero();

        // links in the output are clickable and open in a new tab
        String link = url("/terminals/" + id);
        typeLine(typist, id, "clear; echo \"see ${HOST_URL:-" + link + "} for more\"");
        assertThat(rows(typist, id)).containsText("see " + link + " for more");
        @SuppressWarnings("unchecked")
        List<Number> onLink = (List<Number>) rows(typist, id).evaluate("""
                (e, text) => { for (const row of e.children) {
                    const at = row.textContent.indexOf(text);
                    if (at < 0 || row.textContent.includes('HOST_URL')) continue;
                    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
                    let node, offset = 0;
                    while ((node = walker.nextNode())) {
                      const length = node.textContent.length;
                      if (offset + length > at + 8) {
                        const range = document.createRange();
                        range.setStart(node, at + 8 - offset);
                        range.setEnd(node, at + 9 - offset);
                        const b = range.getBoundingClientRect();
                        return [b.x + b.width / 2, b.y + b.height / 2];
                      }
                      offset += length;
                    } }
                  return null; }""", "see " + link);
        assertThat(onLink).as("the link's row").isNotNull();
        typist.mouse().move(onLink.get(0).doubleValue(), onLink.get(1).doubleValue());
        assertThat(view(typist, id).locator(".xterm-cursor-pointer")).hasCount(1); // hovering a link
        Page opened = typistContext.waitForPage(
                () -> typist.mouse().click(onLink.get(0).doubleValue(), onLink.get(1).doubleValue()));
        opened.waitForLoadState();
        assertThat(opened).hasURL(link);
    }

    @Test
    void tabsKeepTheirSocketsANewShellOpensInAContainerAndARecordingReplays() throws Exception {
        String id = shellContainer();
        BrowserContext context = newContext();
        context.addInitScript(SOCKET_SPY);
        Page page = loginAsAdmin(context);

        page.navigate(url("/terminals"));
        Locator tabs = page.getByRole(AriaRole.TABLIST, new Page.GetByRoleOptions().setName("Open terminals"));
        assertThat(tabs.locator("[data-terminal-id='" + id + "']")).isVisible();
        live(page, id);

        // a new shell in the same container opens in its own tab
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("New terminal")).first().click();
        Locator form = page.getByTestId("new-terminal-form");
        form.getByLabel("Container", new Locator.GetByLabelOptions().setExact(true)).selectOption(id);
        form.getByLabel("A new shell in it (exec)").check();
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Open terminal")).click();
        assertThat(page).hasURL(Pattern.compile("/terminals\\?tab=exec-"));
        String exec = page.url().replaceAll(".*tab=", "");
        live(page, exec);
        assertThat(rows(page, exec)).containsText("#");
        typeLine(page, exec, "echo IN-EXEC-$((1+2))");
        assertThat(rows(page, exec)).containsText("IN-EXEC-3");
        int sockets = ((Number) page.evaluate("() => window.__sockets.length")).intValue();

        // switching tabs keeps both connections: no new socket, same screen
        tabs.locator("[data-terminal-id='" + id + "']").click();
        assertThat(view(page, id)).isVisible();
        assertThat(view(page, exec)).isHidden();
        tabs.locator("[data-terminal-id='" + exec + "']").click();
        live(page, exec);
        assertThat(rows(page, exec)).containsText("IN-EXEC-3");
        assertThat(((Number) page.evaluate("() => window.__sockets.length")).intValue()).isEqualTo(sockets);

        // the shell ends: the tab says so and keeps its output to read
        typeLine(page, exec, "exit 3");
        assertThat(view(page, exec).getByTestId("terminal-status")).hasText("Ended (exit 3)");
        assertThat(view(page, exec).getByTestId("terminal-closed")).containsText("The program ended with status 3");
        assertThat(rows(page, exec)).containsText("IN-EXEC-3");

        // record on the terminal page, then replay it
        page.navigate(url("/terminals/" + id));
        live(page, id);
        assertThat(page.getByTestId("recordings")).containsText("No recordings yet");
        page.getByTestId("record-button").click();
        assertThat(page.getByTestId("record-button")).hasText("Stop recording");
        assertThat(rows(page, id)).containsText("#");
        typeLine(page, id, "echo RECORDED-$((2+3))");
        assertThat(rows(page, id)).containsText("RECORDED-5");
        page.getByTestId("record-button").click();
        assertThat(page.getByTestId("record-button")).hasText("Record");
        Locator recording = page.getByTestId("recordings").locator(".recording").first();
        assertThat(recording).isVisible();
        recording.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Replay")).click();
        Locator replay = page.getByTestId("replay");
        assertThat(replay).isVisible();
        assertThat(replay.getByTestId("replay-screen").locator(".xterm-rows")).containsText("RECORDED-5");
        assertThat(replay.getByTestId("replay-play")).hasText("Play again");
        replay.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
        assertThat(replay).isHidden();
    }
}
