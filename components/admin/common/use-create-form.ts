"use client";

import type { UseMutationResult } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ApiRequestError, errorMessage } from "@/components/queries/api";

export type FormErrors<V> = Partial<Record<keyof V, string>>;

type CreateFormOptions<V, I> = {
  empty: V;
  /** Every field's message, and the input to send once none has one. */
  validate: (values: V) => { errors: FormErrors<V>; input: I | null };
  mutation: UseMutationResult<unknown, Error, I>;
  /** The server's code for "that one exists already", and the field whose value is taken. */
  conflict: { code: string; field: keyof V };
};

// What the "New room" and "New user" forms share: values and their messages, a taken key shown
// beside its field (not as a form-wide alert), and a clean form once the thing is created.
export function useCreateForm<V, I>({ empty, validate, mutation, conflict }: CreateFormOptions<V, I>) {
  const [values, setValues] = useState<V>(empty);
  const [errors, setErrors] = useState<FormErrors<V>>({});
  const [created, setCreated] = useState<I | null>(null);

  /** A submit handler: checks the fields, then hands valid input on. */
  const submitWith = (onValid: (input: I) => void) => (event: FormEvent) => {
    event.preventDefault();
    setCreated(null);
    const result = validate(values);
    setErrors(result.errors);
    if (result.input !== null) onValid(result.input);
  };

  function create(input: I, onSettled?: () => void) {
    mutation.mutate(input, {
      onSuccess: () => {
        onSettled?.();
        setCreated(input);
        setValues(empty);
      },
      onError: (error) => {
        onSettled?.();
        if (error instanceof ApiRequestError && error.code === conflict.code) {
          setErrors({ [conflict.field]: error.message } as FormErrors<V>);
        }
      },
    });
  }

  const serverError = mutation.error && !errors[conflict.field] ? errorMessage(mutation.error) : null;
  return { values, setValues, errors, created, pending: mutation.isPending, serverError, submitWith, create };
}
