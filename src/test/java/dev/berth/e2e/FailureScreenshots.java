package dev.berth.e2e;

import java.lang.reflect.Method;

import io.quarkus.test.junit.callback.QuarkusTestAfterTestExecutionCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;

/**
 * When a browser test fails, saves a screenshot of each page it had open to target/e2e-failures/, before the
 * contexts are closed, so a red build shows what the browser saw. Registered in META-INF/services.
 */
public class FailureScreenshots implements QuarkusTestAfterTestExecutionCallback {
    @Override
    public void afterTestExecution(QuarkusTestMethodContext context) {
        Object test = context.getTestInstance();
        if (test == null || !context.getTestStatus().isTestFailed()) {
            return;
        }
        // reflection: the instance may come from another class loader than this callback
        for (Class<?> type = test.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(BrowserTest.class.getName())) {
                try {
                    Method capture = type.getDeclaredMethod("captureFailure", String.class);
                    capture.setAccessible(true);
                    capture.invoke(test, test.getClass().getSimpleName() + "-" + context.getTestMethod().getName());
                } catch (ReflectiveOperationException e) {
                    System.err.println("Could not save failure screenshots: " + e);
                }
                return;
            }
        }
    }
}
