package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import dev.berth.engine.container.Trees;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Containers screens in a real Chromium against the real engine: run a busybox httpd from the run form (checking
 * the docker run line), find it in the list, open its port link and see the page it serves, read its logs, watch
 * the charts fill, open a shell (the no-shell message first, then a terminal), pause, stop, start and remove it.
 */
@QuarkusTest
class ContainersScreenTest extends BrowserTest {
    static final String IMAGE = "busybox:latest";
    static final String WEB = "web";
    static final List<String> EXTRAS = List.of("worker", "docs", "nightly-backup");
    static final String SCRIPT = "trap \"exit 0\" TERM; mkdir -p /www; echo \"<h1>Hello from Berth</h1>\" > /www/index.html;"
            + " echo serving on port 8080; httpd -f -p 8080 -h /www & wait";
    static final LocatorAssertions.HasTextOptions SLOW = new LocatorAssertions.HasTextOptions().setTimeout(30_000);

    private final List<String> created = new ArrayList<>();

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic(adminUsername(), adminPassword());
    }

    @BeforeEach
    void importImageAndClearNames() throws Exception {
        Path dir = Files.createTempDirectory("berth-e2e-rootfs");
        try {
            Path rootfs = TestRootfs.busybox(dir.resolve("rootfs"));
            byte[] archive = BusyboxImageArchive.of(rootfs, IMAGE, List.of("sh"), List.of(), List.of("8080/tcp"));
            admin().contentType("application/x-tar").body(archive).post("/api/images/import").then().statusCode(200);
        } finally {
            Trees.deleteRecursively(dir);
        }
        // a run that died half way may have left these names behind
        for (String name : names()) {
            admin().delete("/api/containers/" + name + "?force=true").then().statusCode(org.hamcrest.Matchers.anyOf(
                    org.hamcrest.Matchers.is(204), org.hamcrest.Matchers.is(404)));
        }
    }

    @AfterEach
    void removeContainers() {
        for (String name : names()) {
            admin().delete("/api/containers/" + name + "?force=true");
        }
        created.forEach(id -> admin().delete("/api/containers/" + id + "?force=true"));
    }

    private static List<String> names() {
        List<String> all = new ArrayList<>(EXTRAS);
        all.add(WEB);
        all.add("bad-limits");
        return all;
    }

    private void runByApi(String body) {
        String id = admin().contentType(ContentType.JSON).body(body).post("/api/containers").then().statusCode(201).extract().path("Id");
        created.add(id);
        admin().post("/api/containers/" + id + "/start").then().statusCode(204);
    }

    private static Locator row(Page page, String name) {
        return page.locator("tr[data-container='" + name + "']");
    }

    private static Locator field(Locator scope, String label) {
        return scope.getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
    }

    private static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    void runAContainerFromTheFormOpenItsPortReadLogsWatchChartsOpenAShellAndManageIt() throws Exception {
        Page page = loginAsAdmin(newContext());
        mainNav(page).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Containers")).click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run a container")).first().click();
        assertThat(page).hasURL(Pattern.compile("/containers/new$"));

        Locator form = page.getByTestId("run-form");
        field(form, "Image").fill(IMAGE);
        field(form, "Name").fill(WEB);
        field(form, "Command").fill("sh -c '" + SCRIPT + "'");
        button(form, "Add port").click();
        form.getByLabel("Container port 1").fill("8080");
        button(form, "Add variable").click();
        form.getByLabel("Name of variable 1").fill("GREETING");
        form.getByLabel("Value of variable 1").fill("hello world");
        form.getByLabel("Memory").fill("64m");
        form.getByLabel("Restart policy").selectOption("unless-stopped");

        // the equivalent command, one option a line, quoted for a POSIX shell
        assertThat(page.getByTestId("docker-run")).hasText(String.join(" \\ ", "docker run -d --name web", "-e 'GREETING=hello world'",
                "-p 8080", "--memory 64m", "--restart unless-stopped", "busybox:latest sh -c '" + SCRIPT + "'"));
        page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)");
        screenshot(page, "run-form");

        button(form, "Run container").click();
        assertThat(page).hasURL(Pattern.compile("/containers/[0-9a-f]{64}$"));
        assertThat(page.getByTestId("detail-state")).hasText("running");

        // a few more containers so the list shows what it is for
        runByApi("{\"image\":\"" + IMAGE + "\",\"name\":\"worker\",\"cmd\":[\"sh\",\"-c\",\"trap 'exit 0' TERM; while true; do echo tick; sleep 5 & wait; done\"]}");
        runByApi("{\"image\":\"" + IMAGE + "\",\"name\":\"docs\",\"cmd\":[\"sh\",\"-c\",\"trap 'exit 0' TERM; httpd -f -p 80 -h / & wait\"],"
                + "\"portBindings\":[{\"containerPort\":80,\"protocol\":\"tcp\",\"hostPort\":0},{\"containerPort\":9000,\"protocol\":\"udp\",\"hostPort\":0}]}");
        runByApi("{\"image\":\"" + IMAGE + "\",\"name\":\"nightly-backup\",\"cmd\":[\"sh\",\"-c\",\"echo backup done\"]}");

        mainNav(page).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Containers")).click();
        Locator web = row(page, WEB);
        assertThat(web.getByTestId("state")).hasText("running");
        assertThat(web).containsText("busybox:latest");
        assertThat(web).containsText(Pattern.compile("→ 127\\.0\\.0\\.1:\\d+"));
        assertThat(row(page, "nightly-backup").getByTestId("state")).hasText("exited", SLOW);
        assertThat(row(page, "docs").getByTestId("port-link")).hasText("80/tcp ↗");
        screenshot(page, "containers");

        // the port link opens the page the container serves, through Berth (once httpd listens: the container
        // counts as running as soon as its shell started)
        for (int i = 0; i < 100 && !page.request().get(url("/ports/web/8080/")).ok(); i++) {
            Thread.sleep(150);
        }
        Page served = page.waitForPopup(() -> web.getByTestId("port-link").click());
        assertThat(served).hasURL(Pattern.compile("/ports/web/8080/$"));
        assertThat(served.locator("h1")).hasText("Hello from Berth");
        served.close();

        // logs, search, charts
        web.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(WEB)).click();
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Logs")).click();
        assertThat(page.getByTestId("log-view")).containsText("serving on port 8080");
        page.getByLabel("Search the log").fill("serving");
        assertThat(page.getByTestId("log-matches")).hasText("1 matching line");
        assertThat(page.getByTestId("log-view").locator("mark")).hasText("serving");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Stats")).click();
        assertThat(page.getByTestId("chart-cpu")).hasAttribute("data-samples", Pattern.compile("^([3-9]|\\d\\d+)$"),
                new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        for (int i = 0; i < 6; i++) { // some traffic through the port link for the network chart
            assertThat(page.request().get(url("/ports/web/8080/"))).isOK();
        }
        assertThat(page.getByTestId("chart-network")).hasAttribute("data-samples", Pattern.compile("^([6-9]|\\d\\d+)$"),
                new LocatorAssertions.HasAttributeOptions().setTimeout(20_000));
        screenshot(page, "container-stats");
        assertThat(page.getByTestId("chart-memory")).containsText("MiB");
        assertThat(page.getByTestId("chart-memory").locator("polyline")).hasCount(1);
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Processes")).click();
        assertThat(page.getByTestId("processes")).containsText("httpd");
        page.getByRole(AriaRole.TAB, new Page.GetByRoleOptions().setName("Inspect")).click();
        assertThat(page.getByTestId("inspect-json")).containsText("\"Name\": \"/web\"");

        // a shell: the image has no bash, which the dialog says, and offers /bin/sh, which opens a terminal
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open a shell")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Command").fill("/bin/bash");
        button(dialog, "Open shell").click();
        assertThat(dialog.getByTestId("no-shell")).containsText("web has no /bin/bash");
        assertThat(dialog.getByTestId("no-shell")).containsText("run a new container of the same image with");
        assertThat(dialog.getByLabel("Command")).hasAttribute("aria-invalid", "true");
        button(dialog.getByTestId("no-shell"), "/bin/sh").click();
        assertThat(page).hasURL(Pattern.compile("/terminals/exec-[0-9a-f]+$"));

        // pause, resume, stop, start and remove from the list
        page.navigate(url("/containers"));
        button(web, "Pause web").click();
        assertThat(web.getByTestId("state")).hasText("paused");
        button(web, "Resume web").click();
        assertThat(web.getByTestId("state")).hasText("running");
        button(web, "Stop web").click();
        assertThat(web.getByTestId("state")).hasText("exited", SLOW);
        assertThat(page.getByTestId("notice")).containsText("web stopped.");
        assertThat(web.getByTestId("port-link")).hasCount(0);
        button(web, "Start web").click();
        assertThat(web.getByTestId("state")).hasText("running", SLOW);
        assertThat(web.getByTestId("port-link")).hasText("8080/tcp ↗");
        button(web, "Remove web").click();
        Locator confirm = page.getByRole(AriaRole.DIALOG);
        assertThat(confirm).containsText("Remove web?");
        assertThat(confirm).containsText("it will be killed at once");
        button(confirm, "Stop and remove").click();
        assertThat(web).hasCount(0);
        assertThat(page.getByTestId("notice")).containsText("web removed.");
    }

    @Test
    void serverValidationErrorsShowAtTheirFieldAndTheNoShellChoiceAttachesToATty() {
        Page page = loginAsAdmin(newContext());
        page.navigate(url("/containers/new"));
        Locator form = page.getByTestId("run-form");
        field(form, "Image").fill(IMAGE);
        field(form, "Name").fill("bad-limits");
        form.getByLabel("Memory").fill("1m");
        button(form, "Run container").click();
        assertThat(form.locator("#run-memory-error")).containsText("below the minimum of 6 MiB");
        assertThat(form.getByLabel("Memory")).hasAttribute("aria-invalid", "true");

        form.getByLabel("Memory").fill("64m");
        field(form, "Image").fill("no-such/image:1");
        button(form, "Run container").click();
        assertThat(form.locator("#run-image-error")).containsText("No such image");
        assertThat(form.locator("#run-memory-error")).hasCount(0);

        // a container with a TTY but no /bin/bash: the dialog offers the main TTY
        field(form, "Image").fill(IMAGE);
        field(form, "Command").fill("sh");
        form.getByLabel("Give it a terminal (TTY) that people can attach to").check();
        form.getByLabel("Keep its input open (type into it)").check();
        assertThat(page.getByTestId("docker-run")).hasText("docker run -d -it --name bad-limits \\ --memory 64m \\ busybox:latest sh");
        button(form, "Run container").click();
        assertThat(page.getByTestId("detail-state")).hasText("running");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Open a shell")).click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);
        dialog.getByLabel("Command").fill("bash");
        button(dialog, "Open shell").click();
        assertThat(dialog.getByTestId("no-shell")).containsText("bad-limits has no bash");
        button(dialog.getByTestId("no-shell"), "Attach to main TTY").click();
        assertThat(page).hasURL(Pattern.compile("/terminals/[0-9a-f]{64}$"));
    }

    @Test
    void theEmptyListSaysWhatToDo() {
        Page page = loginAsAdmin(newContext());
        // other suites share this engine, so the list is rarely empty here: the browser sees an empty answer instead
        page.route(Pattern.compile(".*/api/containers\\?all=true$"), r -> r.fulfill(new com.microsoft.playwright.Route.FulfillOptions()
                .setStatus(200).setContentType("application/json").setBody("[]")));
        page.navigate(url("/containers"));
        Locator empty = page.getByTestId("containers-empty");
        assertThat(empty).containsText("No containers yet");
        assertThat(empty.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Pull or import one on Images"))).isVisible();
        empty.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Run a container")).click();
        assertThat(page).hasURL(Pattern.compile("/containers/new$"));
    }
}
