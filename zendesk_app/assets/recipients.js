// Share recipients (pure): parse what the agent typed, validate addresses, and build the choices
// from the ticket (requester checked, CCs offered).

import { MAX_RECIPIENTS } from './delivery.js';

// Close to what the backend's validator accepts: local@domain.tld, no spaces or brackets.
const EMAIL = /^[^\s@<>()[\],;:"\\]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

export function isEmail(value) {
  const text = String(value ?? '').trim();
  return text.length <= 254 && EMAIL.test(text);
}

/** Tokens of a free-text recipients field: comma/semicolon/newline/space separated, `Name <a@b>` too. */
export function splitRecipients(text) {
  const tokens = [];
  for (const part of String(text ?? '').split(/[,;\n\r]+/)) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const bracketed = trimmed.match(/<([^<>]*)>/);
    if (bracketed) {
      tokens.push(bracketed[1].trim());
    } else {
      tokens.push(...trimmed.split(/\s+/).filter(Boolean));
    }
  }
  return tokens;
}

/** `{valid, invalid}` from free text; duplicates (case-insensitive) dropped, first spelling kept. */
export function parseRecipients(text) {
  const valid = [];
  const invalid = [];
  const seen = new Set();
  for (const token of splitRecipients(text)) {
    const key = token.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    (isEmail(token) ? valid : invalid).push(token);
  }
  return { valid, invalid };
}

/**
 * The final recipient list: ticked choices first, then typed addresses, deduplicated.
 * `{recipients, invalid, tooMany}`; tooMany when more than MAX_RECIPIENTS.
 */
export function collectRecipients(checked, typedText, max = MAX_RECIPIENTS) {
  const typed = parseRecipients(typedText);
  const seen = new Set();
  const recipients = [];
  for (const email of [...(checked || []), ...typed.valid]) {
    const key = String(email).toLowerCase();
    if (!email || seen.has(key)) continue;
    seen.add(key);
    recipients.push(String(email));
  }
  return { recipients, invalid: typed.invalid, tooMany: recipients.length > max };
}

/**
 * The checkbox choices for a share: the requester (checked) then each CC with an address
 * (unchecked), deduplicated. `requester` from /context or `client.get('ticket.requester')`.
 */
export function recipientChoices(requester, ccs = [], { extra = [] } = {}) {
  const choices = [];
  const seen = new Set();
  const push = (person, role, checked) => {
    const email = person && typeof person.email === 'string' ? person.email.trim() : '';
    if (!isEmail(email) || seen.has(email.toLowerCase())) return;
    seen.add(email.toLowerCase());
    choices.push({ email, name: (person.name || '').trim() || null, role, checked });
  };
  push(requester, 'requester', true);
  for (const cc of Array.isArray(ccs) ? ccs : []) push(cc, 'cc', false);
  for (const email of extra) push({ email }, 'other', true);
  return choices;
}
