package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.junit.QuarkusTest;

/** The console's shell in a real Chromium: login, navigation, landing page, not-found pages, theme, logout. */
@QuarkusTest
class ConsoleShellTest extends BrowserTest {

    private static final List<String> NAV = List.of("Home", "Images", "Containers", "Terminals", "Classes", "Networks", "Volumes", "Admin");

    @Test
    void wrongPasswordShowsTheServersMessageAndKeepsTheFormUsable() {
        Page page = newContext().newPage();
        page.navigate(url("/login"));

        submitLogin(page, adminUsername(), "not-the-password");

        assertThat(page.getByTestId("login-error")).hasText("Wrong username or password.");
        assertThat(page).hasURL(Pattern.compile("/login$"));
        assertThat(page.getByLabel("Username")).hasValue(adminUsername());
        assertThat(page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true))).isFocused();
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isDisabled();
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("another-guess");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isEnabled();
    }

    @Test
    void repeatedFailuresShowTheThrottleMessageUntilTheWaitIsOver() {
        String username = "e2e-throttled-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Page page = newContext().newPage();
        page.navigate(url("/login"));
        page.getByLabel("Username").fill(username);

        Response refused = null;
        for (int attempt = 0; attempt < 10 && refused == null; attempt++) {
            page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("guess-" + attempt);
            Response response = page.waitForResponse(r -> r.url().endsWith("/api/session") && r.request().method().equals("POST"),
                    () -> page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click());
            if (response.status() == 429) {
                refused = response;
            } else {
                assertThat(page.getByTestId("login-error")).hasText("Wrong username or password.");
            }
        }

        assertThat(refused).as("the server throttles repeated failures").isNotNull();
        String message = new io.vertx.core.json.JsonObject(refused.text()).getString("message");
        assertThat(message).containsIgnoringCase("try again");
        assertThat(page.getByTestId("login-error")).hasText(message);
        // once the wait is over the form can be submitted again
        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("one-more-guess");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isEnabled(
                new com.microsoft.playwright.assertions.LocatorAssertions.IsEnabledOptions().setTimeout(30_000));
    }

    @Test
    void adminSignsInSeesTheLandingPageAndEveryScreen() throws Exception {
        Page page = loginAsAdmin(newContext());

        assertThat(page).hasURL(url("/"));
        assertThat(page).hasTitle("Home · Berth");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).containsText("Welcome");
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("What Berth is"))).isVisible();
        for (String step : List.of("Pull an image", "Run a container", "Open and share a terminal", "Add the people who use it")) {
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName(step))).isVisible();
        }
        assertThat(page.locator("body")).not().containsText(Pattern.compile("lorem|coming soon|TODO", Pattern.CASE_INSENSITIVE));
        assertThat(mainNav(page).getByRole(AriaRole.LINK)).hasText(NAV.toArray(String[]::new));
        Path shot = screenshot(page, "console");
        assertThat(Files.size(shot)).isPositive();

        for (String entry : List.of("Images", "Containers", "Terminals", "Networks", "Volumes")) {
            mainNav(page).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName(entry)).click();
            assertThat(page).hasURL(url("/" + entry.toLowerCase()));
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText(entry);
            assertThat(page).hasTitle(entry + " · Berth");
            assertThat(mainNav(page).locator("[aria-current=page]")).hasText(entry);
            // every screen is built (each has its own browser test): no placeholder is left anywhere
            assertThat(page.locator("body")).not().containsText(Pattern.compile("planned|coming soon", Pattern.CASE_INSENSITIVE));
        }

        mainNav(page).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Admin")).click();
        assertThat(page).hasURL(url("/admin/users"));
        assertThat(page.getByTestId("users-table")).containsText(adminUsername());
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("System")).click();
        assertThat(page.getByTestId("system-info")).containsText(Pattern.compile("Berth.*Java.*PostgreSQL"));

        // a reload keeps the session and the screen (the server serves the app for its routes)
        page.reload();
        assertThat(page.getByTestId("system-info")).isVisible();
        page.goBack();
        assertThat(page).hasURL(url("/admin/users"));
    }

    @Test
    void aSignedOutVisitorIsSentToLoginAndBackToThePageTheyAskedFor() {
        Page page = newContext().newPage();
        page.navigate(url("/containers"));

        assertThat(page).hasURL(Pattern.compile("/login\\?next=%2Fcontainers$"));
        submitLogin(page, adminUsername(), adminPassword());

        assertThat(page).hasURL(url("/containers"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1))).hasText("Containers");
    }

    @Test
    void unknownServerPathsGetARealNotFoundPage() {
        Page page = newContext().newPage();

        Response response = page.navigate(url("/no-such-page"));

        assertThat(response.status()).isEqualTo(404);
        assertThat(page.locator("body")).containsText(Pattern.compile("not found", Pattern.CASE_INSENSITIVE));
    }

    @Test
    void unknownRoutesInsideTheAppShowTheNotFoundView() {
        Page page = loginAsAdmin(newContext());

        page.navigate(url("/images/no/such/screen"));

        assertThat(page.getByTestId("not-found")).containsText("There is no page at /images/no/such/screen");
        page.getByTestId("not-found").getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("home page")).click();
        assertThat(page).hasURL(url("/"));
    }

    @Test
    void darkThemeToggleAppliesAndIsRemembered() throws Exception {
        Page page = loginAsAdmin(newContext());
        String lightBackground = bodyBackground(page);

        page.getByTestId("theme-toggle").click();

        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        assertThat(bodyBackground(page)).isNotEqualTo(lightBackground);
        assertThat(luminance(bodyBackground(page))).isLessThan(luminance(lightBackground));
        page.reload();
        assertThat(page.locator("html")).hasAttribute("data-theme", "dark");
        assertThat(page.getByTestId("theme-toggle")).hasAttribute("aria-label", "Switch to light theme");
        screenshot(page, "console-dark");

        page.getByTestId("theme-toggle").click();
        assertThat(page.locator("html")).hasAttribute("data-theme", "light");
        assertThat(bodyBackground(page)).isEqualTo(lightBackground);
    }

    @Test
    void signingOutEndsTheSession() {
        BrowserContext context = newContext();
        Page page = loginAsAdmin(context);

        page.getByTestId("user-menu").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();

        assertThat(page).hasURL(url("/login"));
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        assertThat(page.getByTestId("session-ended")).hasCount(0);
        assertThat(context.request().get(url("/api/session")).status()).isEqualTo(401);
        page.navigate(url("/images"));
        assertThat(page).hasURL(Pattern.compile("/login\\?next=%2Fimages$"));
    }

    @Test
    void keyboardUsersCanSkipToTheContentAndUseTheUserMenu() {
        Page page = loginAsAdmin(newContext());
        page.navigate(url("/volumes"));
        assertThat(page.getByTestId("user-menu")).isVisible();

        page.keyboard().press("Tab");
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Skip to content"))).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#main")).isFocused();
        assertThat(page).hasURL(url("/volumes"));

        page.getByTestId("user-menu").focus();
        page.keyboard().press("Enter");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Change password"))).isFocused();
        page.keyboard().press("ArrowDown");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("API tokens"))).isFocused();
        page.keyboard().press("ArrowDown");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).isFocused();
        page.keyboard().press("Escape");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out"))).hasCount(0);
        assertThat(page.getByTestId("user-menu")).isFocused();
    }

    @Test
    void onALaptopSplitScreenEveryNavigationEntryStaysReachable() {
        Page page = loginAsAdmin(newContext());
        page.setViewportSize(700, 800);

        for (String entry : NAV) {
            com.microsoft.playwright.Locator link = mainNav(page).getByRole(AriaRole.LINK,
                    new com.microsoft.playwright.Locator.GetByRoleOptions().setName(entry).setExact(true));
            assertThat(link).isInViewport();
            com.microsoft.playwright.options.BoundingBox box = link.boundingBox();
            assertThat(box.x + box.width).isLessThanOrEqualTo(700);
        }
        // nothing makes the page scroll sideways
        assertThat((Boolean) page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")).isTrue();
    }

    @Test
    void worksUnderASubPathBehindAReverseProxy() {
        // The browser itself plays the proxy: /berth/... is fetched from / with X-Forwarded-Prefix: /berth.
        BrowserContext context = newContext();
        String prefixed = url("/berth/");
        context.route(prefixed + "**", route -> {
            Map<String, String> headers = new HashMap<>(route.request().headers());
            headers.put("X-Forwarded-Prefix", "/berth");
            APIResponse upstream = route.fetch(new Route.FetchOptions()
                    .setUrl(base() + route.request().url().substring(prefixed.length()))
                    .setHeaders(headers));
            route.fulfill(new Route.FulfillOptions().setResponse(upstream));
        });
        List<String> outside = new CopyOnWriteArrayList<>();
        Page page = context.newPage();
        page.onRequest(request -> {
            if (request.url().startsWith(base()) && !request.url().startsWith(prefixed)) {
                outside.add(request.url());
            }
        });

        page.navigate(prefixed + "containers");
        assertThat(page).hasURL(prefixed + "login?next=%2Fcontainers");
        submitLogin(page, adminUsername(), adminPassword());
        assertThat(page).hasURL(prefixed + "containers");
        mainNav(page).getByRole(AriaRole.LINK, new com.microsoft.playwright.Locator.GetByRoleOptions().setName("Admin")).click();
        assertThat(page).hasURL(prefixed + "admin/users");
        assertThat(page.getByTestId("users-table")).containsText(adminUsername());
        page.reload();
        assertThat(page.getByTestId("users-table")).containsText(adminUsername());

        assertThat(outside).as("requests that escaped the /berth/ prefix").isEmpty();
    }

    private static String bodyBackground(Page page) {
        return (String) page.evaluate("() => getComputedStyle(document.body).backgroundColor");
    }

    /** Relative luminance-ish of an "rgb(r, g, b)" string, enough to tell dark from light. */
    private static double luminance(String rgb) {
        String[] parts = rgb.replaceAll("[^0-9,]", "").split(",");
        return 0.2126 * Integer.parseInt(parts[0]) + 0.7152 * Integer.parseInt(parts[1]) + 0.0722 * Integer.parseInt(parts[2]);
    }
}
