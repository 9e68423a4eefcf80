import type { ChangeEvent } from "react";

/**
 * React resets a form natively after every action, a failed one too, which puts a <select>
 * back on the option it was first rendered with while the error talks about the user's choice.
 * Making the current choice the default keeps it through that reset.
 */
export function keepChoiceOnReset(event: ChangeEvent<HTMLSelectElement>) {
  for (const option of event.currentTarget.options) option.defaultSelected = option.selected;
}
