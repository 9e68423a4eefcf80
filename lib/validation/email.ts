// The one email-address rule of the app, for every path that takes an address: invitations,
// sign-up, password sign-in, sign-in links (Auth.js's own endpoint included), provisioning.
// Addresses are trimmed and lower-cased, then must be a single plain address (zod's email
// check: no lists, no quoted local parts, no display names).
import { z } from "zod";

const Address = z.email();

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}

export function isEmailAddress(input: string): boolean {
  return Address.safeParse(normalizeEmail(input)).success;
}

/** A form or body field holding one address, normalized; `message` is what a person is told. */
export function emailField(message = "Enter a valid email address") {
  return z
    .string({ error: "Enter your email address" })
    .transform(normalizeEmail)
    .pipe(z.email(message));
}

export class InvalidEmailAddress extends Error {
  constructor() {
    super("Not a valid email address");
    this.name = "InvalidEmailAddress";
  }
}

/** Normalized, or throws: for callers that must never act on anything but one real address. */
export function normalizeEmailOrThrow(input: string): string {
  const email = normalizeEmail(input);
  if (!Address.safeParse(email).success) throw new InvalidEmailAddress();
  return email;
}
