/** The error state of one form: a message under the field the server (or the form) named, else one above the form. */
import { useState } from 'preact/hooks';
import { ApiError, messageOf } from './api';

export type FormError = { message: string; field?: string };

export type FormErrorState = {
  error: FormError | null;
  /** Sets or clears the error (a check the form made itself names its field). */
  setError: (error: FormError | null) => void;
  /** Records a failed request: the server's message and, for validation errors, the field it names. */
  fail: (caught: unknown) => void;
  /** The message to show under one field, when the error named it. */
  fieldError: (field: string) => string | undefined;
  /**
   * The message to show above the form: when the error names none of the form's fields. An error naming a field
   * the form does not show (the server validates more than one form asks) is shown here, never swallowed.
   */
  formError: string | undefined;
};

export function useFormError(fields: readonly string[]): FormErrorState {
  const [error, setError] = useState<FormError | null>(null);
  const named = error?.field !== undefined && fields.includes(error.field);
  return {
    error,
    setError,
    fail: (caught) => setError({ message: messageOf(caught), field: caught instanceof ApiError ? caught.field : undefined }),
    fieldError: (field) => (error && error.field === field ? error.message : undefined),
    formError: error && !named ? error.message : undefined,
  };
}
