package dev.berth.web.audit;

import java.io.IOException;
import java.io.InputStream;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/** Keeps a parsed JSON request body for {@link AuditFilter}'s summary (streams and raw bytes are left alone). */
@Provider
public class AuditBodyCapture implements ReaderInterceptor {
    static final String BODY = "berth.audit.body";

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body != null && !(body instanceof InputStream) && !(body instanceof byte[])) {
            context.setProperty(BODY, body);
        }
        return body;
    }
}
