package dev.berth.account;

/** An account operation was refused; {@link #field()} names the input at fault, when there is one. */
public class AccountException extends RuntimeException {
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Kind kind;
    private final String code;
    private final String field;

    public AccountException(Kind kind, String code, String field, String message) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public static AccountException invalid(String field, String message) {
        return new AccountException(Kind.INVALID, "invalid_" + field.replaceAll("([A-Z])", "_$1").toLowerCase(), field, message);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }
}
