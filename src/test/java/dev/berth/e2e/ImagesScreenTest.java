package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FilePayload;

import dev.berth.engine.image.ContentStore;
import dev.berth.engine.image.ImageStore;
import dev.berth.engine.image.RegistrySettings;
import dev.berth.engine.image.Tars;
import dev.berth.engine.image.TestImage;
import dev.berth.engine.image.TestRegistry;
import dev.berth.engine.testing.TestRootfs;
import dev.berth.web.container.BusyboxImageArchive;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The Images screen in a real Chromium against the real console, engine and a real registry on loopback: pulls
 * with live per-layer bars that a second browser sees too, inspect, tag, remove (refused while a container uses
 * the image), import with upload progress and export as a download.
 */
@QuarkusTest
class ImagesScreenTest extends BrowserTest {
    static TestRegistry registry;
    static Path dir;

    @Inject
    ImageStore images;

    @BeforeAll
    static void startRegistry() throws Exception {
        dir = Files.createTempDirectory("berth-e2e-images");
        registry = TestRegistry.start(dir.resolve("registry"), false);
    }

    @AfterAll
    static void stopRegistry() throws Exception {
        if (registry != null) {
            registry.close();
        }
        ContentStore.deleteTree(dir);
    }

    @Test
    void pullShowsLiveLayerProgressToEveryoneWatchingAndTheImageJoinsTheList() throws Exception {
        // three layers: two of a few MB (random, so gzip cannot shrink them) that the gate holds part-way, one small
        Random random = new Random(42);
        TestImage image = new TestImage().architecture(RegistrySettings.hostArchitecture())
                .layer(Tars.tar().dir("opt").file("opt/app.bin", bytes(random, 4_200_000), 0644).bytes(), TestImage.Compression.GZIP)
                .layer(Tars.tar().dir("usr").file("usr/lib.so", bytes(random, 2_600_000), 0644).bytes(), TestImage.Compression.GZIP)
                .layer(Tars.tar().dir("etc").file("etc/app.conf", "mode=demo\n").bytes(), TestImage.Compression.GZIP);
        image.push(registry.pusher(), "team/webapp", "1.4.2", false);
        String demoRef = "demo/busybox:1.36";
        String demoContainer = "shop-web";
        String pulledRef;
        String containerId = null;
        String workerId = null;
        try (GatedRegistryProxy proxy = new GatedRegistryProxy(registry.url(), 1_000_000)) {
            pulledRef = proxy.host() + "/team/webapp:1.4.2";
            containerId = seedImageInUse(demoRef, demoContainer);
            images.tag(demoRef, "demo/busybox:latest");
            workerId = createContainer(demoRef, "shop-worker");

            Page page = loginAsAdmin(newContext());
            page.navigate(url("/images"));
            assertThat(row(page, "docker.io/" + demoRef)).containsText(demoContainer);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pull image")).click();
            Locator dialog = page.getByRole(AriaRole.DIALOG);
            dialog.getByLabel("Image reference").fill(pulledRef);
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pull")).click();

            // mid-pull: the small layer is done, the two large ones are held part-way by the gate
            proxy.awaitHeld(2);
            Locator layers = dialog.getByTestId("pull-layer");
            assertThat(layers).hasCount(3);
            assertThat(dialog.locator("[data-testid=pull-layer][data-status=done]")).hasCount(1);
            Locator downloading = dialog.locator("[data-testid=pull-layer][data-status=downloading]");
            assertThat(downloading).hasCount(2);
            for (int i = 0; i < 2; i++) {
                Locator bar = downloading.nth(i).getByRole(AriaRole.PROGRESSBAR);
                // some bytes shown, not all: the bar follows the download
                assertThat(bar).hasAttribute("aria-valuenow", Pattern.compile("^[1-9]\\d*$"));
                long now = Long.parseLong(bar.getAttribute("aria-valuenow"));
                long max = Long.parseLong(bar.getAttribute("aria-valuemax"));
                assertThat(now).isPositive().isLessThan(max);
            }
            assertThat(dialog.getByText("Pulling: 1 of 3 layers done")).isVisible();
            screenshot(page, "pull-progress");

            // a second person opening Images now sees the same pull, with the same bars
            Page other = loginAsAdmin(newContext());
            other.navigate(url("/images"));
            Locator running = other.getByTestId("running-pulls").locator("[data-testid=pull-progress][data-reference='" + pulledRef + "']");
            assertThat(running).isVisible();
            assertThat(running.getByTestId("pull-layer")).hasCount(3);
            assertThat(running.locator("[data-testid=pull-layer][data-status=downloading]")).hasCount(2);
            assertThat(running.getByRole(AriaRole.PROGRESSBAR)).hasCount(4);

            proxy.release();

            // complete: every bar full, the image listed for both
            Locator progress = dialog.getByTestId("pull-progress");
            assertThat(progress).hasAttribute("data-status", "complete");
            assertThat(dialog.locator("[data-testid=pull-layer][data-status=done]")).hasCount(3);
            for (Locator bar : dialog.getByRole(AriaRole.PROGRESSBAR).all()) {
                assertThat(bar.getAttribute("aria-valuenow")).isEqualTo(bar.getAttribute("aria-valuemax"));
            }
            assertThat(dialog).containsText("Pulled " + pulledRef);
            dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
            assertThat(row(page, pulledRef)).containsText(image.id().substring(7, 19));
            assertThat(row(other, pulledRef)).isVisible();

            // the list: filter and sort
            Locator filter = page.getByLabel("Filter images");
            filter.fill("webapp");
            assertThat(page.getByTestId("image-row")).hasCount(1);
            filter.fill("");
            assertThat(page.getByTestId("running-pulls")).isHidden();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Size")).click();
            assertThat(page.locator("th[aria-sort=descending]")).containsText("Size");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Created")).click();
            screenshot(page, "images");
        } finally {
            for (String id : new String[] {containerId, workerId}) {
                if (id != null) {
                    admin().delete("/api/containers/" + id + "?force=true").then().statusCode(204);
                }
            }
            images.find(demoRef).ifPresent(i -> images.remove(i.id(), true));
        }
        admin().delete("/api/images/" + pulledRef).then().statusCode(200);
    }

    @Test
    void pullErrorsShowTheServersMessageInTheDialog() {
        Page page = loginAsAdmin(newContext());
        page.navigate(url("/images"));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Pull image")).first().click();
        Locator dialog = page.getByRole(AriaRole.DIALOG);

        // refused before pulling: the reference is malformed; the server's message is shown at the field
        dialog.getByLabel("Image reference").fill("Not/Lowercase");
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pull")).click();
        assertThat(dialog.locator("#pull-reference-error")).containsText("Not/Lowercase");
        assertThat(dialog.getByLabel("Image reference")).hasAttribute("aria-invalid", "true");

        // failed while pulling: the registry has no such tag; the stream's failed event is shown in the dialog
        String missing = registry.host() + "/team/missing:9";
        dialog.getByLabel("Image reference").fill(missing);
        dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Pull")).click();
        assertThat(dialog.getByTestId("pull-progress")).hasAttribute("data-status", "failed");
        assertThat(dialog.getByRole(AriaRole.ALERT)).containsText("The pull failed.");
        assertThat(dialog.getByRole(AriaRole.ALERT)).containsText("team/missing:9");
        assertThat(dialog.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Try again"))).isVisible();
    }

    @Test
    void inspectTagExportAndRemoveWhichIsRefusedWhileAContainerUsesTheImage() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ref = "e2e/inspect:" + suffix;
        String copy = "e2e/inspect-copy:" + suffix;
        String containerId = seedImageInUse(ref, "inspect-" + suffix);
        String imageId = images.find(ref).orElseThrow().id();
        try {
            Page page = loginAsAdmin(newContext());
            page.navigate(url("/images"));
            page.getByLabel("Filter images").fill(suffix);
            row(page, "docker.io/" + ref).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("e2e/inspect")).click();
            assertThat(page).hasURL(Pattern.compile("/images/" + imageId.substring(7) + "\\?tag=.*$"));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(ref))).isVisible();
            Locator config = page.getByTestId("image-config");
            assertThat(config).containsText("FROM_IMAGE=yes");
            assertThat(config).containsText("[\"/bin/sh\"]");
            assertThat(page.getByTestId("image-layers").locator("tbody tr")).hasCount(1);
            assertThat(page.getByText("inspect-" + suffix)).isVisible();

            // tag: the server's validation error appears at the field; a good name is added
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Tag").setExact(true)).click();
            Locator tagForm = page.getByTestId("tag-form");
            tagForm.getByLabel("New name").fill("Not A Name!");
            tagForm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add tag")).click();
            assertThat(tagForm.locator("#tag-target-error")).containsText("Not A Name!");
            assertThat(tagForm.getByLabel("New name")).hasAttribute("aria-invalid", "true");
            tagForm.getByLabel("New name").fill(copy);
            tagForm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add tag")).click();
            assertThat(tagForm).isHidden();
            assertThat(page.getByTestId("image-tags")).containsText(copy);
            assertThat(page.getByTestId("notice")).containsText("Tagged as " + copy);
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(ref))).isVisible();
            screenshot(page, "image-detail");

            // export: a download that is a docker save archive and an OCI layout
            Download download = page.waitForDownload(() -> page.getByTestId("export-image").click());
            assertThat(download.suggestedFilename()).endsWith(".tar");
            List<String> entries = tarEntries(download.createReadStream());
            assertThat(entries).contains("manifest.json", "index.json", "oci-layout");

            // untag the copy
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove tag " + copy)).click();
            Locator remove = page.getByTestId("remove-dialog");
            remove.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove")).click();
            assertThat(page.getByTestId("notice")).containsText("Removed the tag " + copy);
            assertThat(page.getByTestId("image-tags")).not().containsText(copy);

            // remove: refused while the container uses it, with the server's message and an offer to force
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove").setExact(true)).click();
            remove.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove")).click();
            assertThat(remove.getByTestId("remove-refusal")).containsText("is used by container");
            assertThat(remove.getByTestId("remove-refusal")).containsText(containerId);
            assertThat(remove.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force removal"))).isVisible();
            // forced: only the names go; the image stays (dangling) while its container exists
            remove.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Force removal")).click();
            assertThat(remove).isHidden();
            assertThat(page.getByTestId("notice")).containsText("stays while containers use it");
            assertThat(page.getByText("none (dangling image)")).isVisible();
            assertThat(images.find(imageId)).isPresent();

            // once the container is gone the image can go
            admin().delete("/api/containers/" + containerId + "?force=true").then().statusCode(204);
            containerId = null;
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove").setExact(true)).click();
            remove.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Remove")).click();
            assertThat(page).hasURL(Pattern.compile("/images$"));
            assertThat(page.locator("[data-testid=image-row][data-id='" + imageId + "']")).hasCount(0);
            assertThat(images.find(imageId)).isEmpty();
        } finally {
            if (containerId != null) {
                admin().delete("/api/containers/" + containerId + "?force=true");
            }
            images.find(imageId).ifPresent(i -> images.remove(i.id(), true));
        }
    }

    @Test
    void importUploadsWithProgressAndListsTheLoadedImage() throws Exception {
        String ref = "e2e/imported:" + UUID.randomUUID().toString().substring(0, 8);
        Path rootfsDir = Files.createTempDirectory("berth-e2e-import");
        byte[] archive;
        try {
            archive = BusyboxImageArchive.of(TestRootfs.busybox(rootfsDir.resolve("rootfs")), ref, List.of("/bin/sh"), List.of());
        } finally {
            ContentStore.deleteTree(rootfsDir);
        }
        try {
            Page page = loginAsAdmin(newContext());
            page.navigate(url("/images"));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Import archive")).first().click();
            Locator form = page.getByTestId("import-form");
            form.getByLabel("Archive").setInputFiles(new FilePayload("busybox.tar", "application/x-tar", archive));
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Import")).click();

            Locator upload = form.getByRole(AriaRole.PROGRESSBAR, new Locator.GetByRoleOptions().setName("Upload of busybox.tar"));
            assertThat(upload).hasAttribute("aria-valuenow", "100");
            assertThat(form.getByTestId("imported")).containsText(ref);
            assertThat(form).containsText("Imported");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Close")).click();
            assertThat(row(page, "docker.io/" + ref)).isVisible();
        } finally {
            images.find(ref).ifPresent(i -> images.remove(i.id(), true));
        }
    }

    /** Imports a busybox image under {@code ref} (if missing) and creates a container of it; returns the container id. */
    private String seedImageInUse(String ref, String containerName) throws Exception {
        if (images.find(ref).isEmpty()) {
            Path rootfsDir = Files.createTempDirectory("berth-e2e-busybox");
            try {
                Path rootfs = TestRootfs.busybox(rootfsDir.resolve("rootfs"));
                images.importArchive(new ByteArrayInputStream(BusyboxImageArchive.of(rootfs, ref, List.of("/bin/sh"), List.of())));
            } finally {
                ContentStore.deleteTree(rootfsDir);
            }
        }
        return createContainer(ref, containerName);
    }

    private static String createContainer(String ref, String containerName) {
        admin().delete("/api/containers/" + containerName + "?force=true"); // left over by an aborted run
        return admin().contentType(ContentType.JSON).body(Map.of("image", ref, "name", containerName))
                .post("/api/containers").then().statusCode(201).extract().path("Id");
    }

    private static Locator row(Page page, String reference) {
        return page.locator("[data-testid=image-row][data-reference='" + reference + "']");
    }

    private static byte[] bytes(Random random, int size) {
        byte[] out = new byte[size];
        random.nextBytes(out);
        return out;
    }

    private static List<String> tarEntries(InputStream in) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                names.add(entry.getName());
            }
        }
        return names;
    }

    private static RequestSpecification admin() {
        return given().auth().preemptive().basic(adminUsername(), adminPassword());
    }
}
