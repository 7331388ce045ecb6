package dev.berth.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import io.quarkus.test.junit.QuarkusTest;

/**
 * In a real Chromium: the console runs under its Content-Security-Policy without a single violation (every
 * violation event and console error is collected), and a person creates an API token from the user menu, sees
 * it once, uses it from a script, and revokes it.
 */
@QuarkusTest
class SecurityAndTokensTest extends BrowserTest {

    /** Records CSP violations (the page's own securitypolicyviolation events) and console errors of a page. */
    static List<String> watch(BrowserContext context, Page page) {
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        context.addInitScript("document.addEventListener('securitypolicyviolation', e => console.error("
                + "'CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));");
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !m.text().contains("401")) {
                problems.add(m.text());
            }
        });
        page.onPageError(e -> problems.add("page error: " + e));
        return problems;
    }

    @Test
    void consoleRunsUnderItsCspAndTokensAreCreatedShownOnceAndRevoked() throws Exception {
        BrowserContext context = newContext();
        Page page = context.newPage();
        List<String> problems = watch(context, page);
        page.navigate(url("/login"));
        submitLogin(page, adminUsername(), adminPassword());
        assertThat(page.getByTestId("user-menu")).isVisible();
        for (String screen : List.of("/images", "/containers", "/terminals", "/networks", "/volumes", "/admin/users")) {
            page.navigate(url(screen));
            assertThat(page.getByRole(AriaRole.HEADING).first()).isVisible();
        }
        // the theme toggle sets styles at run time: allowed, no violation
        page.getByTestId("theme-toggle").click();
        page.getByTestId("theme-toggle").click();

        page.getByTestId("user-menu").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("API tokens")).click();
        assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("API tokens").setExact(true))).isVisible();

        String name = "e2e script " + UUID.randomUUID().toString().substring(0, 6);
        Locator form = page.getByTestId("new-token-form");
        form.getByLabel("Name").fill(name);
        form.getByLabel("Expires after").selectOption("30");
        form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create token")).click();
        Locator secret = page.getByTestId("token-secret");
        assertThat(secret).hasValue(java.util.regex.Pattern.compile("^berth_[A-Za-z0-9_-]{40,}$"));
        String token = secret.inputValue();
        Locator row = page.locator("tr[data-token-name='" + name + "']");
        assertThat(row).containsText(token.substring(0, 12));
        assertThat(row).not().containsText(token.substring(12));
        screenshot(page, "api-tokens");

        // a script uses it
        given().header("Authorization", "Bearer " + token).get(url("/api/session")).then().statusCode(200);

        // shown once: after a reload only the prefix is left
        page.reload();
        assertThat(page.locator("tr[data-token-name='" + name + "']")).isVisible();
        assertThat(page.getByTestId("token-secret")).hasCount(0);

        page.locator("tr[data-token-name='" + name + "']").getByRole(AriaRole.BUTTON).click();
        Locator confirm = page.getByRole(AriaRole.DIALOG);
        assertThat(confirm).containsText("Revoke “" + name + "”?");
        confirm.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
        assertThat(page.getByTestId("notice")).containsText("revoked");
        assertThat(page.locator("tr[data-token-name='" + name + "']")).hasCount(0);
        given().header("Authorization", "Bearer " + token).get(url("/api/session")).then().statusCode(401);

        org.assertj.core.api.Assertions.assertThat(problems).as("CSP violations and console errors").isEmpty();
    }
}
