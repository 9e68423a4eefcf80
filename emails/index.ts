// The one way to turn a template into mail: subject, HTML and plain text, typed by kind.
import { createElement, type ReactElement } from "react";
import { plainTextSelectors, render, toPlainText } from "@react-email/render";
import * as accountExists from "./account-exists";
import * as invitation from "./invitation";
import * as invitationAccepted from "./invitation-accepted";
import * as signInLink from "./sign-in-link";
import * as verifyEmail from "./verify-email";

export type { AccountExistsEmailProps } from "./account-exists";
export type { InvitationEmailProps } from "./invitation";
export type { InvitationAcceptedEmailProps } from "./invitation-accepted";
export type { SignInLinkEmailProps } from "./sign-in-link";
export type { VerifyEmailProps } from "./verify-email";

export type EmailKind = "invitation" | "invitation-accepted" | "sign-in-link" | "verify-email" | "account-exists";

export type EmailProps = {
  invitation: invitation.InvitationEmailProps;
  "invitation-accepted": invitationAccepted.InvitationAcceptedEmailProps;
  "sign-in-link": signInLink.SignInLinkEmailProps;
  "verify-email": verifyEmail.VerifyEmailProps;
  "account-exists": accountExists.AccountExistsEmailProps;
};

export type RenderedEmail = { subject: string; html: string; text: string };

type Template<P> = {
  component: (props: P) => ReactElement;
  subject: (props: P) => string;
  previewProps: P;
  /** The prop holding the template's only link target. */
  urlProp: keyof P & string;
};

function template<P>(
  module: { default: (props: P) => ReactElement; subject: (props: P) => string; previewProps: P },
  urlProp: keyof P & string,
): Template<P> {
  const { default: component, subject, previewProps } = module;
  return { component, subject, previewProps, urlProp };
}

const TEMPLATES: { [K in EmailKind]: Template<EmailProps[K]> } = {
  invitation: template(invitation, "inviteUrl"),
  "invitation-accepted": template(invitationAccepted, "membersUrl"),
  "sign-in-link": template(signInLink, "url"),
  "verify-email": template(verifyEmail, "url"),
  "account-exists": template(accountExists, "signInUrl"),
};

export const EMAIL_KINDS = Object.keys(TEMPLATES) as EmailKind[];

export function isEmailKind(value: string): value is EmailKind {
  return Object.hasOwn(TEMPLATES, value);
}

// The link props are built from APP_URL, but a `javascript:` or relative URL slipping through
// would be mailed to real people: refuse anything that is not an absolute http(s) URL.
function assertHttpUrl(kind: EmailKind, prop: string, value: unknown) {
  let protocol: string | undefined;
  try {
    protocol = new URL(String(value)).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new Error(`Email "${kind}": ${prop} must be an absolute http(s) URL`);
  }
}

/** Renders one email. Throws on a non-http(s) link or an invalid date in the props. */
export async function renderEmail<K extends EmailKind>(
  kind: K,
  props: EmailProps[K],
): Promise<RenderedEmail> {
  const template: Template<EmailProps[K]> = TEMPLATES[kind];
  assertHttpUrl(kind, template.urlProp, props[template.urlProp]);
  const html = await render(createElement(template.component, props));
  // Derived from the HTML (what render's plainText mode does internally) rather than rendering
  // the tree twice: a third of the cost, same output.
  const text = toPlainText(html, {
    selectors: [
      ...plainTextSelectors,
      // html-to-text upper-cases headings by default, which reads as shouting in a text mail.
      { selector: "h1", options: { uppercase: false } },
    ],
  });
  return { subject: template.subject(props), html, text };
}

export type EmailPreview = { [K in EmailKind]: { kind: K; props: EmailProps[K] } }[EmailKind];

/** Every template with its default props: the fixtures for the dev preview and the tests. */
export const EMAIL_PREVIEWS: EmailPreview[] = [
  { kind: "invitation", props: TEMPLATES.invitation.previewProps },
  { kind: "invitation-accepted", props: TEMPLATES["invitation-accepted"].previewProps },
  { kind: "sign-in-link", props: TEMPLATES["sign-in-link"].previewProps },
  { kind: "verify-email", props: TEMPLATES["verify-email"].previewProps },
  { kind: "account-exists", props: TEMPLATES["account-exists"].previewProps },
];

/** Renders a preview entry (the union above cannot be passed to renderEmail directly). */
export function renderPreview(preview: EmailPreview): Promise<RenderedEmail> {
  return renderEmail(preview.kind, preview.props);
}
