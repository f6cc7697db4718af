/**
 * C0 controls (NUL, escape, line breaks, tabs) and DEL. PostgreSQL refuses NUL in text outright,
 * and in a name or an email address none of these means anything a person could have typed.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

export function hasControlCharacters(value: string): boolean {
  return CONTROL_CHARACTERS.test(value);
}

/** `what` starts the sentence: "Names", "Email addresses". */
export function noControlCharactersMessage(what: string): string {
  return `${what} cannot contain control characters (such as NUL, tabs or line breaks); remove them and try again.`;
}
