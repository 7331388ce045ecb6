package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import dev.berth.engine.container.ImageStoreSource;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Networks, Volumes and Admin (system, quotas, audit) in a real Chromium against the real console and engine. */
@QuarkusTest
class NetworksVolumesAdminTest extends BrowserTest {
    static final String IMAGE = "berth-test/busybox:e2e-admin";

    @Inject
    ImageStoreSource images;

    @BeforeEach
    void image() throws Exception {
        if (images.store().find(IMAGE).isEmpty()) {
            Path dir = Files.createTempDirectory("berth-e2e-admin");
            try {
                images.store().importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(TestRootfs.busybox(dir.resolve("rootfs")),
                        IMAGE, List.of("/bin/sh"), List.of())));
            } finally {
                dev.berth.engine.container.Trees.deleteRecursively(dir);
            }
        }
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic(adminUsername(), adminPassword());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    private static String createContainer(Map<String, Object> body) {
        return admin().contentType(ContentType.JSON).body(body).post("/api/containers").then().statusCode(201).extract().path("Id");
    }

    private static void removeContainer(String id) {
        admin().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
    }

    private static Locator button(Locator scope, String name) {
        return scope.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName(name).setExact(true));
    }

    private static Locator button(Page page, String name) {
        return page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    @Test
    void networkIsCreatedShownWithItsContainersRefusedWhileInUseAndRemoved() throws Exception {
        String name = unique("e2enet");
        Page page = loginAsAdmin(newContext());
        mainNav(page).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Networks")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Networks").setLevel(1))).isVisible();

        button(page, "New network").first().click();
        Locator form = page.getByTestId("create-network-form");
        form.getByLabel("Name").fill(name);
        button(form, "Create network").click();
        assertThat(page.getByTestId("notice")).containsText("Network " + name + " created");
        Locator row = page.locator("tr[data-network='" + name + "']");
        assertThat(row).containsText(Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+"));
        JsonPath rest = admin().get("/api/networks/" + name).then().statusCode(200).extract().jsonPath();
        assertThat(row).containsText(rest.getString("subnet"));
        assertThat(row).containsText(rest.getString("gateway"));
        assertThat(row).containsText("none");

        // a running container on the network: the inspect page lists it with its address, removal is refused
        String container = unique("e2e-on-net");
        String id = createContainer(Map.of("image", IMAGE, "name", container, "cmd", List.of("sleep", "300"), "networkMode", name));
        try {
            admin().post("/api/containers/" + id + "/start").then().statusCode(204);
            String ip = admin().get("/api/networks/" + name).then().statusCode(200).extract().path("containers[0].ip");
            assertThat(ip).isNotBlank();
            button(page, "Refresh").click();
            assertThat(row).containsText(container);
            row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name)).click();
            Locator members = page.getByTestId("network-members");
            assertThat(members).containsText(container);
            assertThat(members).containsText(ip);
            screenshot(page, "network-detail");
            button(page, "Remove").click();
            button(page.getByRole(AriaRole.DIALOG), "Remove").click();
            assertThat(page.getByTestId("action-error")).containsText("Could not remove the network");
            assertThat(page.getByTestId("action-error")).containsText(container);
            admin().get("/api/networks/" + name).then().statusCode(200);
        } finally {
            removeContainer(id);
        }

        page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Breadcrumb")).getByRole(AriaRole.LINK).click();
        assertThat(row.getByText("none")).isVisible();
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove network " + name)).click();
        button(page.getByRole(AriaRole.DIALOG), "Remove").click();
        assertThat(page.getByTestId("notice")).containsText("Network " + name + " removed");
        assertThat(row).hasCount(0);
        admin().get("/api/networks/" + name).then().statusCode(404);
    }

    @Test
    void volumeIsCreatedShownRefusedWhileInUseAndForceRemoved() throws Exception {
        String name = unique("e2evol");
        Page page = loginAsAdmin(newContext());
        page.navigate(url("/volumes"));
        button(page, "New volume").first().click();
        Locator form = page.getByTestId("create-volume-form");
        form.getByLabel("Name").fill(name);
        form.getByLabel("Labels (optional)").fill("purpose=e2e");
        button(form, "Create volume").click();
        assertThat(page.getByTestId("notice")).containsText("Volume " + name + " created");
        Locator row = page.locator("tr[data-volume='" + name + "']");
        String mountpoint = admin().get("/api/volumes/" + name).then().statusCode(200).body("labels.purpose", org.hamcrest.Matchers.equalTo("e2e"))
                .extract().path("mountpoint");
        assertThat(row).containsText(mountpoint);
        assertThat(row).containsText("unused");
        assertThat(row).containsText("local");
        Files.write(Path.of(mountpoint, "data.bin"), new byte[2 << 20]);
        button(page, "Refresh").click();
        assertThat(row).containsText("2.0 MiB");

        String container = unique("e2e-uses-vol");
        String id = createContainer(Map.of("image", IMAGE, "name", container, "cmd", List.of("true"),
                "mounts", List.of(Map.of("type", "volume", "source", name, "target", "/data"))));
        try {
            button(page, "Refresh").click();
            assertThat(row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(container))).isVisible();
            row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName(name)).click();
            assertThat(page.getByTestId("volume-details")).containsText(container);
            assertThat(page.getByTestId("volume-details")).containsText("purpose=e2e");
            page.goBack();

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove volume " + name)).click();
            Locator dialog = page.getByTestId("remove-volume");
            button(dialog, "Remove").click();
            assertThat(dialog).containsText("The volume is in use.");
            assertThat(dialog).containsText(id.substring(0, 12));
            admin().get("/api/volumes/" + name).then().statusCode(200);
            button(dialog, "Remove anyway").click();
            assertThat(page.getByTestId("notice")).containsText("Volume " + name + " removed");
            assertThat(row).hasCount(0);
            admin().get("/api/volumes/" + name).then().statusCode(404);
        } finally {
            removeContainer(id);
        }
    }

    @Test
    void systemPageShowsTheFiguresOfTheRestEndpoint() throws Exception {
        // something in every category, so the chart has all its parts
        String volume = unique("e2e-df");
        String mountpoint = admin().contentType(ContentType.JSON).body(Map.of("name", volume)).post("/api/volumes")
                .then().statusCode(201).extract().path("mountpoint");
        Files.write(Path.of(mountpoint, "data.bin"), new byte[3 << 20]);
        String id = createContainer(Map.of("image", IMAGE, "cmd", List.of("true")));
        try {
            JsonPath df = admin().get("/api/system/df").then().statusCode(200).extract().jsonPath();
            JsonPath info = admin().get("/api/system/info").then().statusCode(200).extract().jsonPath();
            Page page = loginAsAdmin(newContext());
            page.navigate(url("/admin/system"));
            for (String kind : List.of("images", "containers", "volumes")) {
                assertThat(page.getByTestId("df-" + kind + "-total")).hasText(String.valueOf(df.getInt(kind + ".total")));
                assertThat(page.getByTestId("df-" + kind + "-size")).hasAttribute("data-bytes", String.valueOf(df.getLong(kind + ".sizeBytes")));
                assertThat(page.getByTestId("df-" + kind + "-reclaimable"))
                        .hasAttribute("data-bytes", String.valueOf(df.getLong(kind + ".reclaimableBytes")));
            }
            assertThat(df.getInt("volumes.total")).isGreaterThanOrEqualTo(1);
            assertThat(df.getLong("volumes.sizeBytes")).isGreaterThanOrEqualTo(3 << 20);
            assertThat(page.getByTestId("info-kernel")).hasText(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
            assertThat(page.getByTestId("info-postgres")).hasText(info.getString("postgresVersion"));
            assertThat(page.getByTestId("info-cgroups")).hasText(info.getString("cgroupVersion"));
            assertThat(page.getByTestId("info-engine-root")).hasText(df.getString("root"));
            assertThat(page.getByTestId("disk-chart").getByRole(AriaRole.IMG)).hasAttribute("aria-label",
                    Pattern.compile("^File system: berth [0-9.]+ [KMGT]?i?B, other files .*, free .*"));
            page.setViewportSize(WIDTH, 1000); // the whole page: disk use and versions
            screenshot(page, "admin-system");
            // for a look at the dark theme (not a README screenshot)
            page.getByTestId("theme-toggle").click();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "admin-system-dark.png")));
        } finally {
            removeContainer(id);
            admin().delete("/api/volumes/" + volume).then().statusCode(204);
        }
    }

    @Test
    void quotaAndAuditPagesShowDataOrSayTheServerLacksThem() throws Exception {
        int quotas = admin().get("/api/quotas").then().extract().statusCode();
        int audit = admin().get("/api/audit?limit=5").then().extract().statusCode();
        Page page = loginAsAdmin(newContext());
        Locator tabs = page.getByRole(AriaRole.NAVIGATION, new Page.GetByRoleOptions().setName("Admin sections"));

        page.navigate(url("/admin/system"));
        tabs.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Quotas")).click();
        assertThat(page).hasURL(Pattern.compile("/admin/quotas$"));
        if (quotas == 404 || quotas == 405) {
            assertThat(page.getByTestId("quotas-unavailable")).containsText("Quotas are not available on this server");
        } else {
            assertThat(quotas).isEqualTo(200);
            assertThat(page.getByTestId("quotas-table").or(page.getByTestId("quotas-empty"))).isVisible();
            // the server has quotas: set one for a user through the form, see it, and remove it again
            String user = unique("quota-user");
            button(page, "New quota").first().click();
            Locator form = page.getByTestId("quota-form");
            form.getByLabel("Applies to").selectOption("user");
            form.getByLabel("Username").fill(user);
            form.getByLabel("Running containers").fill("3");
            form.getByLabel("Memory per container").fill("256");
            form.getByLabel("CPUs per container").fill("0.5");
            button(form, "Save quota").click();
            Locator row = page.locator("tr[data-quota='user:" + user + "']");
            assertThat(row).containsText("256 MiB");
            assertThat(row).containsText("0.5");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "admin-quotas.png")));
            admin().get("/api/quotas").then().statusCode(200)
                    .body("find { it.name == '" + user + "' }.maxMemoryBytes", org.hamcrest.Matchers.equalTo(256 << 20))
                    .body("find { it.name == '" + user + "' }.maxNanoCpus", org.hamcrest.Matchers.equalTo(500_000_000))
                    .body("find { it.name == '" + user + "' }.maxRunning", org.hamcrest.Matchers.equalTo(3));
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove quota of user " + user)).click();
            button(page.getByRole(AriaRole.DIALOG), "Remove").click();
            assertThat(row).hasCount(0);
            assertThat(page.getByTestId("notice")).containsText("removed");
        }

        tabs.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Audit")).click();
        assertThat(page).hasURL(Pattern.compile("/admin/audit$"));
        if (audit == 404 || audit == 405) {
            assertThat(page.getByTestId("audit-unavailable")).containsText("The audit log is not available on this server");
        } else {
            assertThat(audit).isEqualTo(200);
            assertThat(page.getByTestId("audit-table").or(page.getByTestId("audit-empty"))).isVisible();
            // an action of this test is found by searching for it
            String volume = unique("audited");
            admin().contentType(ContentType.JSON).body(Map.of("name", volume)).post("/api/volumes").then().statusCode(201);
            admin().delete("/api/volumes/" + volume).then().statusCode(204);
            // the audit log writes in batches: wait (bounded) until the server lists the entry, then search for it
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (admin().get("/api/audit?q=" + volume).then().statusCode(200).extract().jsonPath().getList("entries").size() < 2) {
                assertThat(System.nanoTime()).as("audit entries for " + volume + " within 20 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            page.getByLabel("Search", new Page.GetByLabelOptions().setExact(true)).fill(volume);
            button(page, "Search").click();
            Locator table = page.getByTestId("audit-table");
            assertThat(table).containsText("volume.remove", new com.microsoft.playwright.assertions.LocatorAssertions.ContainsTextOptions().setTimeout(20_000));
            assertThat(table).containsText(volume);
            page.getByLabel("Search", new Page.GetByLabelOptions().setExact(true)).fill("");
            button(page, "Search").click();
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "admin-audit.png")));
            page.getByLabel("Actor").fill("nobody-" + UUID.randomUUID());
            button(page, "Search").click();
            assertThat(page.getByTestId("audit-empty")).containsText("Nothing matches");
        }
    }

    @Test
    void atALaptopSplitScreenTheConsoleHasNoHorizontalOverflowAndTheNavigationWorks() throws Exception {
        String volume = unique("e2e-narrow-volume-with-a-rather-long-name");
        admin().contentType(ContentType.JSON).body(Map.of("name", volume)).post("/api/volumes").then().statusCode(201);
        try {
            Page page = loginAsAdmin(newContext());
            page.setViewportSize(640, 800);
            for (String path : List.of("/", "/images", "/containers", "/terminals", "/networks", "/volumes", "/admin/users",
                    "/admin/system", "/admin/quotas", "/admin/audit")) {
                page.navigate(url(path));
                assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).isVisible();
                page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
                Object overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
                assertThat(((Number) overflow).intValue()).as("horizontal overflow of %s at 640 px", path).isLessThanOrEqualTo(0);
            }
            // every entry of the main navigation is visible and reachable by keyboard
            Locator links = mainNav(page).getByRole(AriaRole.LINK);
            for (int i = 0; i < links.count(); i++) {
                assertThat(links.nth(i)).isInViewport();
            }
            Locator volumes = mainNav(page).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Volumes"));
            volumes.focus();
            page.keyboard().press("Enter");
            assertThat(page).hasURL(Pattern.compile("/volumes$"));
            assertThat(page.locator("tr[data-volume='" + volume + "']")).isVisible();
            screenshot(page, "volumes-narrow");
        } finally {
            admin().delete("/api/volumes/" + volume).then().statusCode(204);
        }
    }
}
