package dev.berth.web;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The one JSON shape of every error the API returns: a stable machine code, a message for people, and,
 * for validation errors, the name of the offending field.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {
    public ApiError(String error, String message) {
        this(error, message, null);
    }
}
